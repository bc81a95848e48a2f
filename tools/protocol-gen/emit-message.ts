// Emits the TypeScript for one message schema (a request, response or data record):
// one interface per struct plus its decode/encode functions, and the helpers
// (default value constructors, is-default checks for tagged structs) that need.

import type { FieldSpec, MessageSpec, Range } from './schema.ts';
import { hull, intersect, isEmpty, parseRange } from './schema.ts';
import type { StructNaming } from './fields.ts';
import {
  FieldInfo,
  cond,
  defaultExpr,
  inputIsDefault,
  inputValue,
  isPrimitive,
  readExpr,
  taggedNonDefault,
  tsType,
  writeStmt,
} from './fields.ts';

interface StructDef {
  tsName: string;
  fields: FieldSpec[];
  /** Versions (of the message) in which this struct occurs. */
  range: Range;
}

/** Result of emitting one message: code and which runtime helpers it uses. */
export interface EmittedMessage {
  code: string;
  runtimeImports: Set<string>;
}

export class MessageEmitter implements StructNaming {
  private readonly spec: MessageSpec;
  private readonly flex: Range;
  private readonly structs = new Map<string, StructDef>();
  private readonly wantedDefaults = new Set<string>();
  private readonly wantedIsDefaults = new Set<string>();

  constructor(spec: MessageSpec) {
    this.spec = spec;
    this.flex = parseRange(spec.flexibleVersions);
    const valid = parseRange(spec.validVersions);
    this.structs.set(spec.name, { tsName: spec.name, fields: spec.fields, range: valid });
    this.collect(spec.fields, valid);
  }

  tsName(schemaType: string): string {
    const def = this.structs.get(schemaType);
    if (!def) throw new Error(`${this.spec.name}: unknown struct ${schemaType}`);
    return def.tsName;
  }

  wantDefault(schemaType: string): void {
    this.wantedDefaults.add(schemaType);
  }

  wantIsDefault(schemaType: string): void {
    this.wantedIsDefaults.add(schemaType);
  }

  private collect(fields: FieldSpec[], range: Range): void {
    for (const field of fields) {
      const base = field.type.startsWith('[]') ? field.type.slice(2) : field.type;
      if (isPrimitive(base)) continue;
      const used = intersect(range, parseRange(field.versions ?? field.taggedVersions ?? '0+'));
      const structFields = field.fields ?? this.commonStruct(base);
      const known = this.structs.get(base);
      const merged = known ? hull(known.range, used) : used;
      this.structs.set(base, { tsName: this.spec.name + base, fields: structFields, range: merged });
      this.collect(structFields, used);
    }
  }

  private commonStruct(name: string): FieldSpec[] {
    const found = this.spec.commonStructs?.find((s) => s.name === name);
    if (!found) throw new Error(`${this.spec.name}: struct ${name} has no definition`);
    return found.fields;
  }

  private infos(def: StructDef): FieldInfo[] {
    const range = isEmpty(def.range) ? parseRange(this.spec.validVersions) : def.range;
    return def.fields.map((f) => new FieldInfo(f, range, this.flex));
  }

  private structRange(def: StructDef): Range {
    return isEmpty(def.range) ? parseRange(this.spec.validVersions) : def.range;
  }

  emit(): string {
    const parts: string[] = [];
    for (const [schemaName, def] of this.structs) {
      parts.push(this.emitInterface(def));
      parts.push(this.emitDecoder(def, schemaName === this.spec.name));
      parts.push(this.emitEncoder(def, schemaName === this.spec.name));
    }
    // Helpers are requested while emitting, possibly by other helpers: run to a fixed point.
    const doneDefaults = new Set<string>();
    const doneIsDefaults = new Set<string>();
    for (;;) {
      const d = [...this.wantedDefaults].find((n) => !doneDefaults.has(n));
      const i = [...this.wantedIsDefaults].find((n) => !doneIsDefaults.has(n));
      if (d === undefined && i === undefined) break;
      if (d !== undefined) {
        doneDefaults.add(d);
        parts.push(this.emitDefault(this.structs.get(d)!));
      }
      if (i !== undefined) {
        doneIsDefaults.add(i);
        parts.push(this.emitIsDefault(this.structs.get(i)!));
      }
    }
    return parts.join('\n\n');
  }

  private emitInterface(def: StructDef): string {
    const lines = this.infos(def).map((f) => {
      // Only names, types and versions come from the schema: its prose is not copied.
      const doc = `  /** ${versionNote(f.spec)} */\n`;
      return `${doc}  ${f.prop}: ${tsType(f, this)};`;
    });
    return `export interface ${def.tsName} {\n${lines.join('\n')}\n}`;
  }

  private emitDecoder(def: StructDef, exported: boolean): string {
    const range = this.structRange(def);
    const fields = this.infos(def);
    const flexible = cond(this.flex, range);
    const props = fields.map((f) => {
      if (f.tagged || f.present.lo > f.present.hi) return `    ${f.prop}: ${defaultExpr(f, this)},`;
      const present = cond(f.versions, range);
      const read = readExpr(f, this);
      return `    ${f.prop}: ${present === true ? read : `${present} ? ${read} : ${defaultExpr(f, this)}`},`;
    });
    const head = `${exported ? 'export ' : ''}function decode${def.tsName}(r: Reader, v: number): ${def.tsName} {`;
    const literal = `{\n${props.join('\n')}\n  }`;
    if (flexible === false) return `${head}\n  return ${literal};\n}`;
    const tags = this.decodeTags(fields.filter((f) => f.tagged && !isEmpty(f.present)), intersect(range, this.flex));
    const section = flexible === true ? tags : `if (${flexible}) {\n    ${tags.replace(/\n/g, '\n  ')}\n  }`;
    return `${head}\n  const m: ${def.tsName} = ${literal};\n  ${section}\n  return m;\n}`;
  }

  private decodeTags(tagged: FieldInfo[], range: Range): string {
    if (tagged.length === 0) return 'r.skipTaggedFields();';
    const cases = [...tagged]
      .sort((a, b) => a.spec.tag! - b.spec.tag!)
      .map((f) => {
        const present = cond(f.versions, range);
        const assign = `m.${f.prop} = ${readExpr(f, this)};`;
        const body = present === true ? assign : `if (${present}) ${assign}\nelse r.skip(size);`;
        return `case ${f.spec.tag}: {\n${body}\nbreak;\n}`;
      });
    return [
      'const tagCount = r.readUnsignedVarInt();',
      '  for (let i = 0; i < tagCount; i++) {',
      '    const tag = r.readUnsignedVarInt();',
      '    const size = r.readUnsignedVarInt();',
      '    switch (tag) {',
      ...cases,
      'default: {',
      'r.skip(size);',
      '}',
      '    }',
      '  }',
    ].join('\n');
  }

  private emitEncoder(def: StructDef, exported: boolean): string {
    const range = this.structRange(def);
    const fields = this.infos(def);
    const flexible = cond(this.flex, range);
    const body: string[] = [];
    // Adjacent fields with the same version condition share one check.
    let group: { present: string; stmts: string[] } | null = null;
    const closeGroup = (): void => {
      if (group) body.push(`if (${group.present}) {\n${group.stmts.join('\n')}\n}`);
      group = null;
    };
    for (const f of fields) {
      if (f.tagged || isEmpty(f.present)) continue;
      const stmt = writeStmt(f, inputValue(f, this), this);
      const present = cond(f.versions, range);
      if (present === true) {
        closeGroup();
        body.push(stmt);
      } else if (group && group.present === present) {
        group.stmts.push(stmt);
      } else {
        closeGroup();
        group = { present: String(present), stmts: [stmt] };
      }
    }
    closeGroup();
    if (flexible !== false) {
      const tags = this.encodeTags(fields.filter((f) => f.tagged && !isEmpty(f.present)), intersect(range, this.flex));
      body.push(flexible === true ? tags : `if (${flexible}) {\n    ${tags.replace(/\n/g, '\n  ')}\n  }`);
    }
    const head = `${exported ? 'export ' : ''}function encode${def.tsName}(w: Writer, v: number, m: Input<${def.tsName}>): void {`;
    return `${head}\n  ${body.join('\n  ')}\n}`;
  }

  private encodeTags(tagged: FieldInfo[], range: Range): string {
    if (tagged.length === 0) return 'w.writeUnsignedVarInt(0);';
    const sorted = [...tagged].sort((a, b) => a.spec.tag! - b.spec.tag!);
    const lines: string[] = [];
    sorted.forEach((f, i) => {
      const present = cond(f.versions, range);
      lines.push(`const tag${i} = ${inputValue(f, this)};`);
      const nonDefault = taggedNonDefault(f, `tag${i}`, this);
      lines.push(`const has${i} = ${present === true ? nonDefault : `(${present}) && ${nonDefault}`};`);
    });
    lines.push(`w.writeUnsignedVarInt(${sorted.map((_, i) => `(has${i} ? 1 : 0)`).join(' + ')});`);
    sorted.forEach((f, i) => {
      const stmt = writeStmt(f, `tag${i}`, this);
      lines.push(`if (has${i}) w.writeTaggedField(${f.spec.tag}, (w) => {\n    ${stmt}\n  });`);
    });
    return lines.join('\n  ');
  }

  private emitDefault(def: StructDef): string {
    const props = this.infos(def).map((f) => `    ${f.prop}: ${defaultExpr(f, this)},`);
    return `function default${def.tsName}(): ${def.tsName} {\n  return {\n${props.join('\n')}\n  };\n}`;
  }

  private emitIsDefault(def: StructDef): string {
    const checks = this.infos(def).map((f) => inputIsDefault(f, this));
    return `function isDefault${def.tsName}(m: Input<${def.tsName}>): boolean {\n  return (\n    ${checks.join(' &&\n    ')}\n  );\n}`;
  }
}

/** "versions 3+, nullable 3+, tag 0" — the field's version facts, as a doc comment. */
function versionNote(spec: FieldSpec): string {
  const notes = [`versions ${spec.versions ?? "0+"}`];
  if (spec.nullableVersions) notes.push(`nullable ${spec.nullableVersions}`);
  if (spec.taggedVersions) notes.push(`tagged ${spec.taggedVersions} (tag ${spec.tag})`);
  return notes.join(', ');
}
