/**
 * gzip (codec 1) and zstd (codec 4) through Node's own zlib, async so the work runs on
 * the libuv thread pool, not the event loop. Decompression is bounded by
 * maxOutputLength (zlib fails with ERR_BUFFER_TOO_LARGE past it).
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzipAsync = promisify(zlib.gzip);
const gunzipAsync = promisify(zlib.gunzip);
const zstdCompressAsync = promisify(zlib.zstdCompress);
const zstdDecompressAsync = promisify(zlib.zstdDecompress);

export function gzipCompress(data: Buffer): Promise<Buffer> {
  return gzipAsync(data);
}

export function gzipDecompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  return gunzipAsync(data, { maxOutputLength: maxOutputBytes });
}

export function zstdCompress(data: Buffer): Promise<Buffer> {
  return zstdCompressAsync(data);
}

export function zstdDecompress(data: Buffer, maxOutputBytes: number): Promise<Buffer> {
  return zstdDecompressAsync(data, { maxOutputLength: maxOutputBytes });
}
