// Malformed input never crashes a decoder with anything but ProtocolDecodeError:
// every request decoder (what a broker reads from untrusted clients) and every response
// decoder is fed seeded random bytes and randomly mutated valid encodings.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiByKey } from '../../src/protocol/generated/api-table.ts';
import { decodeRequestHeader } from '../../src/protocol/headers.ts';
import { ProtocolDecodeError, Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';

const CASES_PER_VERSION = 40;

/** Small deterministic PRNG (mulberry32) so failures reproduce. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(rand: () => number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  for (let i = 0; i < length; i++) buf[i] = Math.floor(rand() * 256);
  return buf;
}

function mutate(rand: () => number, valid: Buffer): Buffer {
  const buf = Buffer.from(valid);
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips && buf.length > 0; i++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
  return buf;
}

function decodeOrDecodeError(decode: () => unknown, where: string): void {
  try {
    decode();
  } catch (err) {
    assert.ok(err instanceof ProtocolDecodeError, `${where}: ${String(err)}`);
  }
}

test('decoders reject random and mutated input only with ProtocolDecodeError', () => {
  const rand = prng(20261126);
  let cases = 0;
  for (const api of apiByKey.values()) {
    for (let v = api.minVersion; v <= api.maxVersion; v++) {
      const codecs = [
        ['request', api.decodeRequest, api.encodeRequest],
        ['response', api.decodeResponse, api.encodeResponse],
      ] as const;
      for (const [kind, decode, encode] of codecs) {
        const w = new Writer();
        encode(w, v, {});
        const valid = w.toBuffer();
        for (let i = 0; i < CASES_PER_VERSION; i++) {
          const input = i % 2 === 0 ? randomBytes(rand, Math.floor(rand() * 64)) : mutate(rand, valid);
          decodeOrDecodeError(() => decode(new Reader(input), v), `${api.name} ${kind} v${v} case ${i}`);
          cases++;
        }
      }
    }
  }
  assert.ok(cases > 10_000, `ran ${cases} cases`);
});

test('request headers reject random input only with ProtocolDecodeError', () => {
  const rand = prng(7);
  for (let i = 0; i < 2000; i++) {
    const input = randomBytes(rand, Math.floor(rand() * 16));
    decodeOrDecodeError(() => decodeRequestHeader(new Reader(input)), `header case ${i}`);
  }
});
