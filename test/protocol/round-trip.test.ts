// Every generated codec, at every valid version: a message populated from its schema
// (once with values everywhere, once with null wherever the version allows null) is
// encoded, decoded and compared; re-encoding the decoded message gives the same bytes;
// truncated encodings throw ProtocolDecodeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SCHEMA_ROOT } from '../../tools/generate-protocol.ts';
import type { FieldSpec, MessageSpec } from '../../tools/protocol-gen/schema.ts';
import { kebab, loadSchemas, lowerFirst, parseRange } from '../../tools/protocol-gen/schema.ts';
import { apiByKey } from '../../src/protocol/generated/api-table.ts';
import { ProtocolDecodeError, Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';

type Decode = (r: Reader, v: number) => unknown;
type Encode = (w: Writer, v: number, m: object) => void;

const UUID = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url');
const RECORDS = Buffer.alloc(1500, 0xab);

function inRange(text: string | undefined, v: number): boolean {
  const r = parseRange(text ?? 'none');
  return v >= r.lo && v <= r.hi;
}

function scalar(type: string, seed: number): unknown {
  switch (type) {
    case 'int8': return 5 + seed;
    case 'int16': return -300 - seed;
    case 'int32': return 70000 + seed;
    case 'int64': return -(2 ** 40) - seed;
    case 'uint16': return 65000 + seed;
    case 'uint32': return 4_000_000_000 + seed;
    case 'float64': return 0.25 + seed;
    case 'bool': return true;
    case 'string': return `s${seed}-é`;
    case 'uuid': return UUID;
    case 'bytes': return Buffer.from([seed, 1, 2, 3]);
    case 'records': return RECORDS;
    default: return undefined;
  }
}

class Populator {
  private readonly spec: MessageSpec;
  private readonly v: number;
  private readonly nulls: boolean;

  constructor(spec: MessageSpec, v: number, nulls: boolean) {
    this.spec = spec;
    this.v = v;
    this.nulls = nulls;
  }

  struct(fields: FieldSpec[], seed: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      if (inRange(f.versions ?? f.taggedVersions ?? '0+', this.v)) out[lowerFirst(f.name)] = this.field(f, seed + i);
    });
    return out;
  }

  private field(f: FieldSpec, seed: number): unknown {
    if (this.nulls && inRange(f.nullableVersions, this.v)) return null;
    const isArray = f.type.startsWith('[]');
    const base = isArray ? f.type.slice(2) : f.type;
    const one = (s: number): unknown => scalar(base, s) ?? this.struct(this.structFields(f, base), s);
    return isArray ? [one(seed), one(seed + 1)] : one(seed);
  }

  private structFields(f: FieldSpec, base: string): FieldSpec[] {
    const fields = f.fields ?? this.spec.commonStructs?.find((s) => s.name === base)?.fields;
    assert.ok(fields, `struct ${base}`);
    return fields;
  }
}

/** Every value in `expected` appears in `actual` (absent-in-version fields are not given). */
function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (Buffer.isBuffer(expected)) {
    assert.ok(Buffer.isBuffer(actual) && actual.equals(expected), path);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, path);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', path);
    for (const [k, e] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], e, `${path}.${k}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

function encode(enc: Encode, v: number, m: object): Buffer {
  const w = new Writer();
  enc(w, v, m);
  return w.toBuffer();
}

function checkOne(name: string, spec: MessageSpec, dec: Decode, enc: Encode): number {
  const valid = parseRange(spec.validVersions);
  let checked = 0;
  for (let v = valid.lo; v <= valid.hi; v++) {
    for (const nulls of [false, true]) {
      const where = `${name} v${v}${nulls ? ' (nulls)' : ''}`;
      const input = new Populator(spec, v, nulls).struct(spec.fields, 0);
      const bytes = encode(enc, v, input);
      const r = new Reader(bytes);
      const decoded = dec(r, v);
      assert.equal(r.remaining(), 0, `${where}: decoder consumed everything`);
      assertSubset(decoded, input, where);
      assert.ok(encode(enc, v, decoded as object).equals(bytes), `${where}: re-encoding is stable`);
      for (const cut of new Set([bytes.length - 1, bytes.length >> 1, 1])) {
        if (cut >= 0 && cut < bytes.length) {
          assert.throws(() => dec(new Reader(bytes.subarray(0, cut)), v), ProtocolDecodeError, `${where} cut ${cut}`);
        }
      }
      checked++;
    }
  }
  return checked;
}

const hasSchemas = existsSync(DEFAULT_SCHEMA_ROOT);

test('every API request and response round-trips at every version', () => {
  if (!hasSchemas) {
    assert.ok(apiByKey.size > 0);
    return;
  }
  const messages = loadSchemas(join(DEFAULT_SCHEMA_ROOT, 'messages'));
  let checked = 0;
  for (const spec of messages) {
    if (spec.type !== 'request' && spec.type !== 'response') continue;
    const api = apiByKey.get(spec.apiKey!);
    assert.ok(api, spec.name);
    const [dec, enc] = spec.type === 'request'
      ? [api.decodeRequest, api.encodeRequest]
      : [api.decodeResponse, api.encodeResponse];
    checked += checkOne(spec.name, spec, dec, enc);
  }
  assert.ok(checked > 1000, `checked ${checked}`);
});

test('every data and record schema round-trips at every version', async () => {
  if (!hasSchemas) {
    const mod = await import('../../src/protocol/generated/records/offset-commit-value.ts');
    assert.equal(typeof mod.decodeOffsetCommitValue, 'function');
    return;
  }
  const dataSpecs = loadSchemas(join(DEFAULT_SCHEMA_ROOT, 'messages')).filter((s) => s.type === 'data');
  const recordSpecs = loadSchemas(join(DEFAULT_SCHEMA_ROOT, 'records'));
  const sets: [string, MessageSpec[]][] = [['data', dataSpecs], ['records', recordSpecs]];
  for (const [dir, specs] of sets) {
    for (const spec of specs) {
      const mod = (await import(`../../src/protocol/generated/${dir}/${kebab(spec.name)}.ts`)) as Record<string, unknown>;
      const dec = mod[`decode${spec.name}`] as Decode;
      const enc = mod[`encode${spec.name}`] as Encode;
      checkOne(spec.name, spec, dec, enc);
    }
  }
});
