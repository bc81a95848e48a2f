/**
 * Bytes for JSON: always base64, plus the text when the bytes are valid UTF-8 (checked
 * with a fatal decoder, so a binary value never shows as mangled text).
 */
import type { EncodedBytes } from './types.ts';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function encodeBytes(bytes: Buffer | null): EncodedBytes | null {
  if (bytes === null) return null;
  const encoded: EncodedBytes = { base64: bytes.toString('base64'), size: bytes.length };
  try {
    encoded.text = strictUtf8.decode(bytes);
  } catch {
    // not UTF-8: base64 only
  }
  return encoded;
}
