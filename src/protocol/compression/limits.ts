/**
 * Limits shared by the codecs. A compressed batch can expand enormously (a "zip bomb"),
 * so every decompression is bounded.
 */

/** Largest decompressed payload accepted by default: 64 MiB, well above any sane
 * message.max.bytes-sized batch's contents. Callers may pass a tighter limit. */
export const DECOMPRESSED_BYTES_MAX_DEFAULT = 64 * 1024 * 1024;
