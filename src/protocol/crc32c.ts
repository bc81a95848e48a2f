/**
 * CRC32C (Castagnoli), the checksum of a v2 record batch over bytes [21, end), and CRC32
 * (IEEE), the checksum of a legacy v0/v1 message over [magic, end). Both native
 * (@node-rs/crc32, SSE4.2/ARM CRC instructions) because they run on every produced batch.
 * Results are unsigned 32-bit numbers.
 */
import { crc32 as nativeCrc32, crc32c as nativeCrc32c } from '@node-rs/crc32';

/** CRC32C of `buf`, continuing from `initial` (a previous result) when given. */
export function crc32c(buf: Uint8Array, initial?: number): number {
  return nativeCrc32c(buf, initial) >>> 0;
}

/** CRC32 (IEEE 802.3, as java.util.zip.CRC32) of `buf`, for legacy message sets. */
export function crc32(buf: Uint8Array, initial?: number): number {
  return nativeCrc32(buf, initial) >>> 0;
}
