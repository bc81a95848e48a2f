// Kafka message schema model for the protocol generator: loading the JSON files (which
// carry // comments), version ranges, and naming helpers.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface FieldSpec {
  name: string;
  type: string;
  versions?: string;
  nullableVersions?: string;
  taggedVersions?: string;
  tag?: number;
  default?: string | number | boolean | null;
  flexibleVersions?: string;
  fields?: FieldSpec[];
  about?: string;
}

export interface StructSpec {
  name: string;
  versions: string;
  fields: FieldSpec[];
}

export interface MessageSpec {
  type: 'request' | 'response' | 'header' | 'data';
  name: string;
  apiKey?: number;
  validVersions: string;
  flexibleVersions: string;
  latestVersionUnstable?: boolean;
  listeners?: string[];
  fields: FieldSpec[];
  commonStructs?: StructSpec[];
}

/** An inclusive version range; empty when lo > hi. */
export interface Range {
  lo: number;
  hi: number;
}

export const EMPTY: Range = { lo: 0, hi: -1 };
/** Stands in for "+" (open-ended) ranges. */
const OPEN_END = 0x7fff;

export function parseRange(text: string): Range {
  const s = text.trim();
  if (s === 'none') return EMPTY;
  if (s.endsWith('+')) return { lo: Number(s.slice(0, -1)), hi: OPEN_END };
  const dash = s.indexOf('-');
  if (dash > 0) return { lo: Number(s.slice(0, dash)), hi: Number(s.slice(dash + 1)) };
  return { lo: Number(s), hi: Number(s) };
}

export function isEmpty(r: Range): boolean {
  return r.lo > r.hi;
}

export function intersect(a: Range, b: Range): Range {
  return { lo: Math.max(a.lo, b.lo), hi: Math.min(a.hi, b.hi) };
}

export function hull(a: Range, b: Range): Range {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { lo: Math.min(a.lo, b.lo), hi: Math.max(a.hi, b.hi) };
}

/**
 * Removes // comments outside of strings (schema "about" texts may contain "//").
 */
export function stripComments(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else {
      out += c;
    }
  }
  return out;
}

/** Generator input, read once at start-up of the tool (sync fs is fine here). */
export function loadSchemas(dir: string): MessageSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(stripComments(readFileSync(join(dir, f), 'utf8'))) as MessageSpec);
}

export function lowerFirst(name: string): string {
  return name[0].toLowerCase() + name.slice(1);
}

/** "DescribeUserScramCredentials" -> "describe-user-scram-credentials". */
export function kebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** "ApiVersions" -> "API_VERSIONS". */
export function screaming(name: string): string {
  return kebab(name).replace(/-/g, '_').toUpperCase();
}
