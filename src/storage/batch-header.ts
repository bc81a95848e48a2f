/**
 * Reads the few record-batch header fields storage needs straight from a buffer, without
 * decoding records (the hot path never parses records). Layout: protocol/records/batch-layout.ts.
 */
import {
  BATCH_LENGTH_OFFSET,
  CRC_OFFSET,
  ATTRIBUTES_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
} from '../protocol/records/batch-layout.ts';
import { readInt64 } from '../protocol/records/int64.ts';
import { crc32c } from '../protocol/crc32c.ts';

export interface BatchHeader {
  /** Byte position of the batch in the buffer (or file) it was read from. */
  readonly position: number;
  readonly baseOffset: number;
  readonly lastOffset: number;
  /** Whole batch, LOG_OVERHEAD included. */
  readonly sizeInBytes: number;
  readonly maxTimestamp: number;
  readonly partitionLeaderEpoch: number;
  readonly magic: number;
}

/** Size of the whole batch starting at `pos` (needs LOG_OVERHEAD bytes there). */
export function batchSizeAt(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
}

/**
 * Header of the batch at `pos` in `buf`; `filePosition` is what to report as its position.
 * Returns null when fewer than a full header's bytes are available.
 */
export function readBatchHeader(buf: Buffer, pos: number, filePosition = pos): BatchHeader | null {
  if (buf.length - pos < RECORD_BATCH_HEADER_SIZE) return null;
  const baseOffset = readInt64(buf, pos);
  return {
    position: filePosition,
    baseOffset,
    lastOffset: baseOffset + buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET),
    sizeInBytes: batchSizeAt(buf, pos),
    maxTimestamp: readInt64(buf, pos + MAX_TIMESTAMP_OFFSET),
    partitionLeaderEpoch: buf.readInt32BE(pos + PARTITION_LEADER_EPOCH_OFFSET),
    magic: buf.readInt8(pos + MAGIC_OFFSET),
  };
}

/**
 * Why a stored batch is not usable, or null when it is: header size, magic 2, offsets
 * consistent, CRC32C over [attributes, end). `batch` holds exactly the batch's bytes.
 */
export function batchDefect(batch: Buffer, header: BatchHeader, minBaseOffset: number): string | null {
  if (header.sizeInBytes < RECORD_BATCH_HEADER_SIZE) return `batch size ${header.sizeInBytes} below header size`;
  if (header.magic !== CURRENT_MAGIC) return `magic ${header.magic}`;
  if (header.baseOffset < minBaseOffset) return `base offset ${header.baseOffset} below ${minBaseOffset}`;
  if (header.lastOffset < header.baseOffset) return 'negative last offset delta';
  const stored = batch.readUInt32BE(CRC_OFFSET);
  if (crc32c(batch.subarray(ATTRIBUTES_OFFSET)) !== stored) return 'CRC mismatch';
  return null;
}

/**
 * Splits a buffer of whole, already validated batches into headers (positions relative to
 * the buffer). Throws if the framing is inconsistent — callers validated it before.
 */
export function batchHeadersOf(records: Buffer): BatchHeader[] {
  const headers: BatchHeader[] = [];
  let pos = 0;
  while (pos < records.length) {
    const header = readBatchHeader(records, pos);
    if (header === null || header.sizeInBytes < RECORD_BATCH_HEADER_SIZE || pos + header.sizeInBytes > records.length) {
      throw new Error(`records are not whole v2 batches at byte ${pos}`);
    }
    headers.push(header);
    pos += header.sizeInBytes;
  }
  return headers;
}
