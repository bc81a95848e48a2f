/**
 * Adapting stored v2 batches to what an old fetcher can read (Kafka's
 * KafkaApis.handleFetchRequest conversion step):
 *  - Fetch v0-3 understand only message format v0/v1: v0-1 get magic 0, v2-3 magic 1,
 *    converted from the fetch offset on (legacy.ts); refused with UNSUPPORTED_VERSION when
 *    the topic disables down-conversion (message.downconversion.enable=false);
 *  - Fetch < 10 cannot read zstd: UNSUPPORTED_COMPRESSION_TYPE.
 * Everything else is returned as stored, by reference.
 */
import type { LogConfig } from '../config/log-config.ts';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import { ATTRIBUTES_OFFSET, COMPRESSION_CODEC_MASK, CompressionType, CURRENT_MAGIC, RECORD_BATCH_HEADER_SIZE } from '../protocol/records/batch-layout.ts';
import { frameAt } from '../protocol/records/framing.ts';
import { InvalidRecordError } from '../protocol/records/invalid-record-error.ts';
import { downConvertToMagic } from '../protocol/records/legacy.ts';

/** Fetch versions below this read message format v0/v1 only. */
const V2_FORMAT_MIN_FETCH_VERSION = 4;
/** Fetch versions below this cannot read zstd. */
const ZSTD_MIN_FETCH_VERSION = 10;

export type Conversion = { readonly ok: true; readonly records: Buffer } | { readonly ok: false; readonly error: ErrorCodeValue };

export async function convertForFetchVersion(records: Buffer, version: number, fetchOffset: number, config: LogConfig): Promise<Conversion> {
  if (records.length === 0 || version >= ZSTD_MIN_FETCH_VERSION) return { ok: true, records };
  if (version >= V2_FORMAT_MIN_FETCH_VERSION) {
    return hasZstdBatch(records) ? { ok: false, error: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE } : { ok: true, records };
  }
  if (!config.messageDownconversionEnable) return { ok: false, error: ErrorCode.UNSUPPORTED_VERSION };
  try {
    return { ok: true, records: await downConvertToMagic(records, version <= 1 ? 0 : 1, { firstOffset: fetchOffset }) };
  } catch (err) {
    if (err instanceof InvalidRecordError) return { ok: false, error: err.code };
    throw err;
  }
}

function hasZstdBatch(records: Buffer): boolean {
  for (let pos = 0; pos < records.length;) {
    const frame = frameAt(records, pos);
    if (frame.kind !== 'entry') return false;
    if (frame.magic === CURRENT_MAGIC && frame.end - frame.start >= RECORD_BATCH_HEADER_SIZE
      && (records.readInt16BE(frame.start + ATTRIBUTES_OFFSET) & COMPRESSION_CODEC_MASK) === CompressionType.zstd) return true;
    pos = frame.end;
  }
  return false;
}
