/**
 * Record-level access the cleaner needs on a stored v2 batch, without decoding more than
 * it must: each record's key, whether it has a value, its offset and timestamp, and its raw
 * bytes after the timestamp delta (offsetDelta, key, value, headers), so a retained record
 * is copied byte for byte — only its timestamp delta is rewritten when the batch gets a
 * new base timestamp (the delete horizon, KIP-534). Record layout: protocol/records/record.ts.
 */
import { compress, decompress, isXerialFramed } from '../../protocol/compression/index.ts';
import { crc32c } from '../../protocol/crc32c.ts';
import {
  ATTRIBUTES_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CompressionType,
  CRC_OFFSET,
  DELETE_HORIZON_FLAG_MASK,
  LOG_OVERHEAD,
  MAX_TIMESTAMP_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  RECORDS_COUNT_OFFSET,
} from '../../protocol/records/batch-layout.ts';
import type { RecordBatchView } from '../../protocol/records/batch.ts';
import { writeInt64 } from '../../protocol/records/int64.ts';
import { RecordCursor, sizeOfVarInt, sizeOfVarLong, writeVarInt, writeVarLong } from '../../protocol/records/varint.ts';

export interface StoredRecord {
  readonly offset: number;
  /** CreateTime of the record (base timestamp + delta); LogAppendTime batches use the batch's. */
  readonly timestamp: number;
  readonly key: Buffer | null;
  readonly hasValue: boolean;
  readonly attributes: number;
  /** The record's bytes after its timestamp delta, unchanged on rewrite. */
  readonly tail: Buffer;
}

/** The delete horizon (ms) stored in the batch header, or null when it has none. */
export function deleteHorizonOf(view: RecordBatchView): number | null {
  return (view.attributes & DELETE_HORIZON_FLAG_MASK) !== 0 ? view.baseTimestamp : null;
}

export interface BatchKeys {
  /** Keys of the keyed records (views), with their offsets at the same index. */
  readonly keys: Buffer[];
  readonly offsets: number[];
}

/** The keys of `view`'s records and their offsets (what the offset map needs, nothing more). */
export async function keysOf(view: RecordBatchView): Promise<BatchKeys> {
  const plain = await decompress(view.compression, view.recordsBytes);
  const cursor = new RecordCursor(plain);
  const keys: Buffer[] = [];
  const offsets: number[] = [];
  for (let i = 0; i < view.recordCount; i++) {
    const length = cursor.readVarInt();
    const end = cursor.pos + length;
    if (length < 0 || end > plain.length) throw new Error(`invalid record length ${length}`);
    cursor.readInt8();
    cursor.readVarLong();
    const offsetDelta = cursor.readVarInt();
    const key = cursor.readVarBytes();
    if (key !== null) {
      keys.push(key);
      offsets.push(view.baseOffset + offsetDelta);
    }
    cursor.pos = end;
  }
  return { keys, offsets };
}

/** Every record of `view`, decompressed when needed. Throws on malformed records. */
export async function storedRecords(view: RecordBatchView): Promise<StoredRecord[]> {
  const plain = await decompress(view.compression, view.recordsBytes);
  const cursor = new RecordCursor(plain);
  const records: StoredRecord[] = [];
  for (let i = 0; i < view.recordCount; i++) {
    const length = cursor.readVarInt();
    const end = cursor.pos + length;
    if (length < 0 || end > plain.length) throw new Error(`invalid record length ${length}`);
    const body = new RecordCursor(plain, cursor.pos, end);
    const attributes = body.readInt8();
    const timestampDelta = body.readVarLong();
    const tailStart = body.pos;
    const offsetDelta = body.readVarInt();
    const key = body.readVarBytes();
    const hasValue = body.skipVarBytes() >= 0;
    records.push({
      offset: view.baseOffset + offsetDelta,
      timestamp: view.baseTimestamp + timestampDelta,
      key,
      hasValue,
      attributes,
      tail: plain.subarray(tailStart, end),
    });
    cursor.pos = end;
  }
  return records;
}

/**
 * A copy of `view` holding only `retained` (non-empty), as Kafka's cleaner writes it: same
 * base offset, last offset delta, producer id/epoch, base sequence, leader epoch, timestamp
 * type and codec (snappy framing too); base timestamp = the delete horizon when there is
 * one (flag set), else unchanged; max timestamp over the retained records (CreateTime).
 */
export async function rebuildBatch(view: RecordBatchView, retained: readonly StoredRecord[], deleteHorizonMs: number | null): Promise<Buffer> {
  const baseTimestamp = deleteHorizonMs ?? view.baseTimestamp;
  const plain = encodeRecords(retained, baseTimestamp);
  const snappyFraming = view.compression === CompressionType.snappy && isXerialFramed(view.recordsBytes) ? 'xerial' : 'raw';
  const recordsBytes = await compress(view.compression, plain, { snappyFraming });
  const batch = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + recordsBytes.length);
  view.buffer.copy(batch, 0, 0, RECORD_BATCH_HEADER_SIZE);
  recordsBytes.copy(batch, RECORD_BATCH_HEADER_SIZE);
  let attributes = view.attributes & ~DELETE_HORIZON_FLAG_MASK;
  if (deleteHorizonMs !== null) attributes |= DELETE_HORIZON_FLAG_MASK;
  const maxTimestamp = view.timestampType === 'LogAppendTime' ? view.maxTimestamp : maxOf(retained.map((r) => r.timestamp));
  return finishHeader(batch, attributes, baseTimestamp, maxTimestamp, retained.length);
}

/**
 * The header-only batch Kafka keeps when every record of a producer's last batch is
 * removed, so the producer's sequence/epoch survive (no records, no compression).
 */
export function emptyBatch(view: RecordBatchView): Buffer {
  const batch = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE);
  view.buffer.copy(batch, 0, 0, RECORD_BATCH_HEADER_SIZE);
  const attributes = view.attributes & ~(DELETE_HORIZON_FLAG_MASK | COMPRESSION_CODEC_MASK);
  return finishHeader(batch, attributes, view.maxTimestamp, view.maxTimestamp, 0);
}

function finishHeader(batch: Buffer, attributes: number, baseTimestamp: number, maxTimestamp: number, count: number): Buffer {
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  batch.writeInt16BE(attributes, ATTRIBUTES_OFFSET);
  writeInt64(batch, BASE_TIMESTAMP_OFFSET, baseTimestamp);
  writeInt64(batch, MAX_TIMESTAMP_OFFSET, maxTimestamp);
  batch.writeInt32BE(count, RECORDS_COUNT_OFFSET);
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET);
  return batch;
}

/** length | attributes | timestampDelta (from `baseTimestamp`) | tail, per record. */
function encodeRecords(records: readonly StoredRecord[], baseTimestamp: number): Buffer {
  let size = 0;
  const bodySizes = records.map((r) => {
    const body = 1 + sizeOfVarLong(r.timestamp - baseTimestamp) + r.tail.length;
    size += sizeOfVarInt(body) + body;
    return body;
  });
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  records.forEach((r, i) => {
    pos = writeVarInt(buf, pos, bodySizes[i]);
    pos = buf.writeInt8(r.attributes, pos);
    pos = writeVarLong(buf, pos, r.timestamp - baseTimestamp);
    pos += r.tail.copy(buf, pos);
  });
  return buf;
}

function maxOf(values: readonly number[]): number {
  let max = values[0];
  for (const v of values) if (v > max) max = v;
  return max;
}
