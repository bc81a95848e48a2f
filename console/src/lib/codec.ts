/**
 * Renders record keys, values and header values (bytes, base64 on the wire) as text, pretty
 * JSON or a hex dump. "auto" picks JSON when the bytes parse as JSON, text when they are
 * valid UTF-8 without control characters, hex otherwise.
 */

export type ViewMode = 'auto' | 'text' | 'json' | 'hex';

export function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** The bytes as UTF-8 text, or undefined when they are not valid UTF-8. */
export function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

// Control characters other than tab, newline and carriage return mark binary data.
const BINARY_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function looksLikeText(s: string): boolean {
  return !BINARY_CHARS.test(s);
}

function prettyJson(s: string): string | undefined {
  const t = s.trim();
  if (t === '' || !/^[[{"\d-]|^(true|false|null)$/.test(t)) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

/** Hex dump: 16 bytes per line, offset, hex pairs, printable ASCII. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let off = 0; off < bytes.length; off += 16) {
    const row = bytes.subarray(off, off + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

export interface Rendered {
  /** The mode actually used (auto resolves to one of the others). */
  readonly mode: Exclude<ViewMode, 'auto'>;
  readonly text: string;
}

export function render(bytes: Uint8Array, mode: ViewMode): Rendered {
  if (mode === 'hex') return { mode, text: hexDump(bytes) };
  const utf8 = utf8OrUndefined(bytes);
  if (mode === 'text') return { mode, text: utf8 ?? lenientUtf8.decode(bytes) };
  const json = utf8 === undefined ? undefined : prettyJson(utf8);
  if (mode === 'json') return json === undefined ? { mode: 'text', text: utf8 ?? lenientUtf8.decode(bytes) } : { mode, text: json };
  if (json !== undefined) return { mode: 'json', text: json };
  if (utf8 !== undefined && looksLikeText(utf8)) return { mode: 'text', text: utf8 };
  return { mode: 'hex', text: hexDump(bytes) };
}

/** One-line preview for a table cell. */
export function preview(bytes: Uint8Array | null, maxChars = 120): string {
  if (bytes === null) return 'null';
  const utf8 = utf8OrUndefined(bytes);
  const s = utf8 !== undefined && looksLikeText(utf8) ? utf8.replace(/\s+/g, ' ') : Array.from(bytes.subarray(0, 48), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return s.length > maxChars ? `${s.slice(0, maxChars)}…` : s;
}
