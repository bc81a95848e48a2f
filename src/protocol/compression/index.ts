/**
 * Record compression codecs by Kafka codec id (attributes bits 0-2): 0 none, 1 gzip,
 * 2 snappy, 3 lz4, 4 zstd. All async: (de)compression runs off the event loop.
 * Failures (bad input, unknown codec, output over the limit) reject with an Error whose
 * message says why; the records layer turns them into CORRUPT_MESSAGE.
 */
import { CompressionType, type CompressionCodecId } from '../records/batch-layout.ts';
import { DECOMPRESSED_BYTES_MAX_DEFAULT } from './limits.ts';
import { lz4Compress, lz4Decompress } from './lz4.ts';
import { snappyCompress, snappyDecompress, type SnappyFraming } from './snappy.ts';
import { gzipCompress, gzipDecompress, zstdCompress, zstdDecompress } from './zlib-codecs.ts';

export { DECOMPRESSED_BYTES_MAX_DEFAULT } from './limits.ts';
export { isXerialFramed, type SnappyFraming } from './snappy.ts';
export { LZ4_FRAME_MAGIC } from './lz4.ts';

export interface CompressOptions {
  /** Snappy framing to write: raw (default, as librdkafka) or xerial (as Java). */
  snappyFraming?: SnappyFraming;
}

export function compress(codec: CompressionCodecId, data: Buffer, opts: CompressOptions = {}): Promise<Buffer> {
  switch (codec) {
    case CompressionType.none:
      return Promise.resolve(data);
    case CompressionType.gzip:
      return gzipCompress(data);
    case CompressionType.snappy:
      return snappyCompress(data, opts.snappyFraming);
    case CompressionType.lz4:
      return lz4Compress(data);
    case CompressionType.zstd:
      return zstdCompress(data);
    default:
      return Promise.reject(new Error(`unknown compression codec ${codec as number}`));
  }
}

export function decompress(
  codec: CompressionCodecId,
  data: Buffer,
  maxOutputBytes = DECOMPRESSED_BYTES_MAX_DEFAULT,
): Promise<Buffer> {
  switch (codec) {
    case CompressionType.none:
      return Promise.resolve(data);
    case CompressionType.gzip:
      return gzipDecompress(data, maxOutputBytes);
    case CompressionType.snappy:
      return snappyDecompress(data, maxOutputBytes);
    case CompressionType.lz4:
      return lz4Decompress(data, maxOutputBytes);
    case CompressionType.zstd:
      return zstdDecompress(data, maxOutputBytes);
    default:
      return Promise.reject(new Error(`unknown compression codec ${codec as number}`));
  }
}
