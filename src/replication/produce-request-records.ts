/**
 * Request-level checks of one partition's records in a Produce request (Kafka's
 * ProduceRequest.validateRecords, run before anything reaches the partition):
 *  - Produce v3+: at least one batch, magic 2, exactly one batch   else INVALID_RECORD
 *  - Produce < 7: no zstd batch                                    else UNSUPPORTED_COMPRESSION_TYPE
 *    (Kafka checks this for v3-6; a magic-2 batch in v0-2 gets the same answer here,
 *    since zstd needs a broker-side feature those versions cannot negotiate)
 * Framing problems are left to the partition's validation (CORRUPT_MESSAGE there).
 */
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import { CompressionType, COMPRESSION_CODEC_MASK, CURRENT_MAGIC, ATTRIBUTES_OFFSET, RECORD_BATCH_HEADER_SIZE } from '../protocol/records/batch-layout.ts';
import { frameAt } from '../protocol/records/framing.ts';

/** First Produce version restricted to one v2 batch per partition. */
const SINGLE_BATCH_MIN_VERSION = 3;
/** First Produce version allowed to carry zstd. */
const ZSTD_MIN_VERSION = 7;

export function checkProduceRecords(records: Buffer | null, version: number): ErrorCodeValue {
  const buf = records ?? Buffer.alloc(0);
  const entries: { magic: number; start: number; end: number }[] = [];
  for (let pos = 0; pos < buf.length;) {
    const frame = frameAt(buf, pos);
    if (frame.kind !== 'entry') break;
    entries.push(frame);
    pos = frame.end;
  }
  if (version >= SINGLE_BATCH_MIN_VERSION) {
    if (entries.length === 0 || entries[0].magic !== CURRENT_MAGIC) return ErrorCode.INVALID_RECORD;
  }
  if (version < ZSTD_MIN_VERSION && entries.some((e) => isZstdBatch(buf, e))) return ErrorCode.UNSUPPORTED_COMPRESSION_TYPE;
  if (version >= SINGLE_BATCH_MIN_VERSION && entries.length > 1) return ErrorCode.INVALID_RECORD;
  return ErrorCode.NONE;
}

function isZstdBatch(buf: Buffer, entry: { magic: number; start: number; end: number }): boolean {
  if (entry.magic !== CURRENT_MAGIC || entry.end - entry.start < RECORD_BATCH_HEADER_SIZE) return false;
  return (buf.readInt16BE(entry.start + ATTRIBUTES_OFFSET) & COMPRESSION_CODEC_MASK) === CompressionType.zstd;
}
