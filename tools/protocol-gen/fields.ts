// Per-field code fragments for the protocol generator: TypeScript types, defaults, and
// the read/write expressions for one field in a given version context.
//
// A "condition" is either a constant (the field's property holds for every version the
// struct is used in) or a JS expression over `v`; constants fold away so the generated
// code only checks versions where a field's range requires it.

import type { FieldSpec, Range } from './schema.ts';
import { EMPTY, intersect, isEmpty, lowerFirst, parseRange } from './schema.ts';

export type Cond = boolean | string;

const NUMERIC: Record<string, string> = {
  int8: 'Int8',
  int16: 'Int16',
  int32: 'Int32',
  int64: 'Int64',
  uint16: 'UInt16',
  uint32: 'UInt32',
  float64: 'Float64',
};

export function isPrimitive(type: string): boolean {
  return type in NUMERIC || ['bool', 'string', 'bytes', 'uuid', 'records'].includes(type);
}

/** Whether range r holds for every version in `within` (true), none (false), or some. */
export function cond(r: Range, within: Range): Cond {
  const both = intersect(r, within);
  if (isEmpty(both)) return false;
  if (both.lo === within.lo && both.hi === within.hi) return true;
  if (both.lo === both.hi) return `v === ${both.lo}`;
  const parts: string[] = [];
  if (both.lo > within.lo) parts.push(`v >= ${both.lo}`);
  if (both.hi < within.hi) parts.push(`v <= ${both.hi}`);
  return parts.join(' && ');
}

export function choose(c: Cond, whenTrue: string, whenFalse: string): string {
  if (c === true) return whenTrue;
  if (c === false) return whenFalse;
  return `(${c} ? ${whenTrue} : ${whenFalse})`;
}

export function chooseStmt(c: Cond, whenTrue: string, whenFalse: string): string {
  if (c === true) return whenTrue;
  if (c === false) return whenFalse;
  return `if (${c}) ${whenTrue}\nelse ${whenFalse}`;
}

/** What the emitter needs to know about the struct types a field refers to. */
export interface StructNaming {
  tsName(schemaType: string): string;
  wantDefault(schemaType: string): void;
  wantIsDefault(schemaType: string): void;
}

/** Facts about one field inside one struct's version range. */
export class FieldInfo {
  readonly spec: FieldSpec;
  readonly prop: string;
  readonly versions: Range;
  /** Versions in which the field is present, restricted to the struct's range. */
  readonly present: Range;
  readonly tagged: boolean;
  readonly nullable: Range;
  readonly isArray: boolean;
  /** Element type for arrays, the type itself otherwise. */
  readonly base: string;
  readonly compact: Cond;
  readonly isNullable: Cond;

  constructor(spec: FieldSpec, structRange: Range, messageFlex: Range) {
    this.spec = spec;
    this.prop = lowerFirst(spec.name);
    this.versions = parseRange(spec.versions ?? spec.taggedVersions ?? '0+');
    this.tagged = spec.taggedVersions !== undefined;
    if (this.tagged && spec.taggedVersions !== (spec.versions ?? spec.taggedVersions)) {
      throw new Error(`${spec.name}: taggedVersions differing from versions is not supported`);
    }
    this.present = intersect(this.versions, structRange);
    this.nullable = spec.nullableVersions ? parseRange(spec.nullableVersions) : EMPTY;
    this.isArray = spec.type.startsWith('[]');
    this.base = this.isArray ? spec.type.slice(2) : spec.type;
    const flex = spec.flexibleVersions ? parseRange(spec.flexibleVersions) : messageFlex;
    this.compact = this.tagged ? true : cond(flex, this.present);
    this.isNullable = cond(this.nullable, this.present);
  }

  get isStruct(): boolean {
    return !isPrimitive(this.base);
  }

  /** May hold null in some version (records always may). */
  get nullableType(): boolean {
    return !isEmpty(this.nullable) || (this.base === 'records' && !this.isArray);
  }

  get defaultIsNull(): boolean {
    const d = this.spec.default;
    return d === null || d === 'null' || d === 'None' || (this.base === 'records' && !this.isArray);
  }
}

function scalarTs(type: string, naming: StructNaming): string {
  if (type in NUMERIC) return 'number';
  if (type === 'bool') return 'boolean';
  if (type === 'string' || type === 'uuid') return 'string';
  if (type === 'bytes' || type === 'records') return 'Buffer';
  return naming.tsName(type);
}

export function tsType(f: FieldInfo, naming: StructNaming): string {
  const base = scalarTs(f.base, naming);
  const t = f.isArray ? `${base}[]` : base;
  return f.nullableType ? `${t} | null` : t;
}

function numberDefault(d: FieldSpec['default']): string {
  if (d === undefined) return '0';
  const s = String(d).trim();
  const negative = s.startsWith('-');
  const digits = negative ? s.slice(1) : s;
  const n = /^0x/i.test(digits) ? parseInt(digits.slice(2), 16) : Number(digits);
  if (!Number.isFinite(n)) throw new Error(`bad numeric default ${s}`);
  return String(negative ? -n : n);
}

/** The value a decoder fills in when the field is absent from the version. */
export function defaultExpr(f: FieldInfo, naming: StructNaming): string {
  const d = f.spec.default;
  if (f.defaultIsNull) return 'null';
  if (f.isArray) return '[]';
  if (f.base in NUMERIC) return numberDefault(d);
  if (f.base === 'bool') return String(String(d ?? 'false').toLowerCase() === 'true');
  if (f.base === 'string') return JSON.stringify(String(d ?? ''));
  if (f.base === 'uuid') return 'ZERO_UUID';
  if (f.base === 'bytes') return 'EMPTY_BUFFER';
  naming.wantDefault(f.base);
  return `default${naming.tsName(f.base)}()`;
}

/** The default an encoder substitutes for a missing input (structs take a partial). */
export function inputDefaultExpr(f: FieldInfo, naming: StructNaming): string {
  if (f.isStruct && !f.isArray && !f.defaultIsNull) return '{}';
  return defaultExpr(f, naming);
}

function bytesLike(type: string, compact: boolean, nullable: boolean, op: 'read' | 'write'): string {
  const kind = type === 'string' ? 'String' : 'Bytes';
  return `${op}${compact ? 'Compact' : ''}${nullable ? 'Nullable' : ''}${kind}`;
}

function elementReader(f: FieldInfo, compact: boolean, naming: StructNaming): string {
  if (f.base in NUMERIC) return `(r) => r.read${NUMERIC[f.base]}()`;
  if (f.base === 'bool') return '(r) => r.readBool()';
  if (f.base === 'uuid') return '(r) => r.readUuid()';
  if (f.base === 'string' || f.base === 'bytes') return `(r) => r.${bytesLike(f.base, compact, false, 'read')}()`;
  return `(r) => decode${naming.tsName(f.base)}(r, v)`;
}

function elementWriter(f: FieldInfo, compact: boolean, naming: StructNaming): string {
  if (f.base in NUMERIC) return `(w, e) => w.write${NUMERIC[f.base]}(e)`;
  if (f.base === 'bool') return '(w, e) => w.writeBool(e)';
  if (f.base === 'uuid') return '(w, e) => w.writeUuid(e)';
  if (f.base === 'string' || f.base === 'bytes') return `(w, e) => w.${bytesLike(f.base, compact, false, 'write')}(e)`;
  return `(w, e) => encode${naming.tsName(f.base)}(w, v, e)`;
}

/** Expression reading the field (assumes it is present in the version). */
export function readExpr(f: FieldInfo, naming: StructNaming): string {
  const byCompactAndNull = (make: (compact: boolean, nullable: boolean) => string): string =>
    choose(
      f.compact,
      choose(f.isNullable, make(true, true), make(true, false)),
      choose(f.isNullable, make(false, true), make(false, false)),
    );
  if (f.isArray) {
    return byCompactAndNull(
      (c, n) => `r.read${c ? 'Compact' : ''}${n ? 'Nullable' : ''}Array(${elementReader(f, c, naming)})`,
    );
  }
  if (f.base in NUMERIC) return `r.read${NUMERIC[f.base]}()`;
  if (f.base === 'bool') return 'r.readBool()';
  if (f.base === 'uuid') return 'r.readUuid()';
  if (f.base === 'records') return choose(f.compact, 'r.readCompactNullableBytes()', 'r.readNullableBytes()');
  if (f.base === 'string' || f.base === 'bytes') {
    return byCompactAndNull((c, n) => `r.${bytesLike(f.base, c, n, 'read')}()`);
  }
  const decode = `decode${naming.tsName(f.base)}(r, v)`;
  return choose(f.isNullable, `(r.readInt8() < 0 ? null : ${decode})`, decode);
}

/** Statement writing value expression `x` (assumes the field is present in the version). */
export function writeStmt(f: FieldInfo, x: string, naming: StructNaming): string {
  const nonNull = f.nullableType ? `notNull(${x}, '${f.prop}')` : x;
  const byCompactAndNull = (make: (compact: boolean, nullable: boolean) => string): string =>
    chooseStmt(
      f.compact,
      chooseStmt(f.isNullable, make(true, true), make(true, false)),
      chooseStmt(f.isNullable, make(false, true), make(false, false)),
    );
  if (f.isArray) {
    return byCompactAndNull(
      (c, n) =>
        `w.write${c ? 'Compact' : ''}${n ? 'Nullable' : ''}Array(${n ? x : nonNull}, ${elementWriter(f, c, naming)});`,
    );
  }
  if (f.base in NUMERIC) return `w.write${NUMERIC[f.base]}(${x});`;
  if (f.base === 'bool') return `w.writeBool(${x});`;
  if (f.base === 'uuid') return `w.writeUuid(${x});`;
  if (f.base === 'records') {
    return chooseStmt(f.compact, `w.writeCompactNullableBytes(${x});`, `w.writeNullableBytes(${x});`);
  }
  if (f.base === 'string' || f.base === 'bytes') {
    return byCompactAndNull((c, n) => `w.${bytesLike(f.base, c, n, 'write')}(${n ? x : nonNull});`);
  }
  const encode = (value: string): string => `encode${naming.tsName(f.base)}(w, v, ${value});`;
  if (!f.nullableType) return encode(x);
  return chooseStmt(
    f.isNullable,
    `{\n      const s = ${x};\n      if (s === null) w.writeInt8(-1);\n      else {\n        w.writeInt8(1);\n        ${encode('s')}\n      }\n    }`,
    encode(nonNull),
  );
}

/** Input value for the field: the caller's value, or the default when it is missing. */
export function inputValue(f: FieldInfo, naming: StructNaming): string {
  const d = inputDefaultExpr(f, naming);
  return f.nullableType ? `m.${f.prop} === undefined ? ${d} : m.${f.prop}` : `m.${f.prop} ?? ${d}`;
}

/** Expression: tagged value `x` differs from its default and must be written. */
export function taggedNonDefault(f: FieldInfo, x: string, naming: StructNaming): string {
  if (f.defaultIsNull) return `${x} !== null`;
  if (f.isArray) return f.nullableType ? `(${x} === null || ${x}.length > 0)` : `${x}.length > 0`;
  if (f.isStruct) {
    naming.wantIsDefault(f.base);
    return `!isDefault${naming.tsName(f.base)}(${x})`;
  }
  if (f.base === 'bytes' || f.base === 'records') throw new Error(`tagged ${f.base} is not supported`);
  return `${x} !== ${defaultExpr(f, naming)}`;
}

/** Expression: input field m.<prop> is missing or equal to its default. */
export function inputIsDefault(f: FieldInfo, naming: StructNaming): string {
  const p = `m.${f.prop}`;
  if (f.defaultIsNull) return `(${p} === undefined || ${p} === null)`;
  if (f.isArray || f.base === 'bytes') {
    return f.nullableType
      ? `(${p} === undefined || (${p} !== null && ${p}.length === 0))`
      : `(${p} === undefined || ${p}.length === 0)`;
  }
  if (f.isStruct) {
    naming.wantIsDefault(f.base);
    const nonNull = f.nullableType ? ` || (${p} !== null && isDefault${naming.tsName(f.base)}(${p}))` : '';
    return f.nullableType
      ? `(${p} === undefined${nonNull})`
      : `(${p} === undefined || isDefault${naming.tsName(f.base)}(${p}))`;
  }
  return `(${p} === undefined || ${p} === ${defaultExpr(f, naming)})`;
}
