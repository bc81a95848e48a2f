/**
 * Parser for Java .properties text (server.properties), following java.util.Properties.load:
 * - lines end at \n, \r or \r\n; blank lines and lines whose first non-blank character is
 *   '#' or '!' are comments (a comment never continues onto the next line);
 * - a line ending in an odd number of backslashes continues on the next line, whose
 *   leading whitespace is dropped;
 * - the key ends at the first unescaped '=', ':' or whitespace; whitespace and at most one
 *   '=' or ':' separate it from the value;
 * - escapes \t \n \r \f \uXXXX are decoded, any other escaped character stands for itself;
 * - a repeated key keeps its last value.
 */

const WHITESPACE = new Set([' ', '\t', '\f']);

/** Parses properties text; throws Error on a malformed \u escape (as Java does). */
export function parseProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const line of logicalLines(text)) {
    const [key, value] = splitKeyValue(line);
    result.set(unescape(key), unescape(value));
  }
  return result;
}

/** Yields logical lines (continuations joined), without comments and blank lines. */
function* logicalLines(text: string): Generator<string> {
  let pending: string | null = null;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const stripped = raw.replace(/^[ \t\f]+/, '');
    if (pending === null && (stripped === '' || stripped[0] === '#' || stripped[0] === '!')) continue;
    const line: string = (pending ?? '') + stripped;
    if (endsWithContinuation(line)) {
      pending = line.slice(0, -1);
    } else {
      pending = null;
      yield line;
    }
  }
  if (pending !== null && pending !== '') yield pending;
}

function endsWithContinuation(line: string): boolean {
  let backslashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Splits a logical line (leading whitespace already removed) into raw key and value. */
function splitKeyValue(line: string): [string, string] {
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || WHITESPACE.has(c)) break;
    i++;
  }
  const key = line.slice(0, Math.min(i, line.length));
  let j = i;
  while (j < line.length && WHITESPACE.has(line[j])) j++;
  if (j < line.length && (line[j] === '=' || line[j] === ':')) {
    j++;
    while (j < line.length && WHITESPACE.has(line[j])) j++;
  }
  return [key, line.slice(j)];
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', n: '\n', r: '\r', f: '\f' };

function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c !== '\\' || i + 1 >= s.length) {
      if (c !== '\\') out += c;
      continue;
    }
    const next = s[++i];
    if (next === 'u') {
      const hex = s.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`Malformed \\uxxxx escape in properties: '\\u${hex}'`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[next] ?? next;
    }
  }
  return out;
}
