/**
 * Building v2 record batches (layout in batch-layout.ts, record layout in record.ts):
 * for the broker's own writes (internal topics, transaction markers, up-conversion) and
 * for tests and our clients. Records get offsetDelta 0..n-1 and timestampDelta from the
 * first record's timestamp; the CRC32C is computed over the finished batch.
 */
import { compress, type CompressOptions } from '../compression/index.ts';
import { crc32c } from '../crc32c.ts';
import { ErrorCode } from '../errors.ts';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  CompressionType,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  CURRENT_MAGIC,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  NO_PARTITION_LEADER_EPOCH,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  NO_SEQUENCE,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  type CompressionCodecId,
} from './batch-layout.ts';
import type { TimestampType } from './batch.ts';
import { writeInt64 } from './int64.ts';
import { InvalidRecordError } from './invalid-record-error.ts';
import { sizeOfVarInt, sizeOfVarLong, writeVarInt, writeVarLong } from './varint.ts';

type Bytes = Buffer | string | null;

export interface RecordInput {
  key?: Bytes;
  value?: Bytes;
  headers?: { key: string; value: Bytes }[];
  /** Defaults to the batch input's `now`, else Date.now(). */
  timestamp?: number;
}

export interface BatchInput {
  records: RecordInput[];
  compression?: CompressionCodecId;
  /** Snappy framing when compression is snappy (raw by default). */
  snappyFraming?: CompressOptions['snappyFraming'];
  baseOffset?: number;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  isTransactional?: boolean;
  isControl?: boolean;
  partitionLeaderEpoch?: number;
  timestampType?: TimestampType;
  /** Timestamp for records without one (tests pass a fixed clock value). */
  now?: number;
}

interface EncodedRecord {
  timestampDelta: number;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: Buffer; value: Buffer | null }[];
  bodySize: number;
}

function toBytes(b: Bytes | undefined): Buffer | null {
  if (b === undefined || b === null) return null;
  return typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
}

function sizeOfVarBytes(b: Buffer | null): number {
  return b === null ? sizeOfVarInt(-1) : sizeOfVarInt(b.length) + b.length;
}

function writeVarBytes(buf: Buffer, pos: number, b: Buffer | null): number {
  if (b === null) return writeVarInt(buf, pos, -1);
  pos = writeVarInt(buf, pos, b.length);
  return pos + b.copy(buf, pos);
}

function prepareRecord(r: RecordInput, offsetDelta: number, timestamp: number, baseTimestamp: number): EncodedRecord {
  const key = toBytes(r.key);
  const value = toBytes(r.value);
  const headers = (r.headers ?? []).map((h) => ({ key: Buffer.from(h.key, 'utf8'), value: toBytes(h.value) }));
  const timestampDelta = timestamp - baseTimestamp;
  let bodySize = 1 + sizeOfVarLong(timestampDelta) + sizeOfVarInt(offsetDelta);
  bodySize += sizeOfVarBytes(key) + sizeOfVarBytes(value) + sizeOfVarInt(headers.length);
  for (const h of headers) bodySize += sizeOfVarBytes(h.key) + sizeOfVarBytes(h.value);
  return { timestampDelta, offsetDelta, key, value, headers, bodySize };
}

function writeRecord(buf: Buffer, pos: number, r: EncodedRecord): number {
  pos = writeVarInt(buf, pos, r.bodySize);
  buf[pos++] = 0; // attributes
  pos = writeVarLong(buf, pos, r.timestampDelta);
  pos = writeVarInt(buf, pos, r.offsetDelta);
  pos = writeVarBytes(buf, pos, r.key);
  pos = writeVarBytes(buf, pos, r.value);
  pos = writeVarInt(buf, pos, r.headers.length);
  for (const h of r.headers) {
    pos = writeVarBytes(buf, pos, h.key);
    pos = writeVarBytes(buf, pos, h.value);
  }
  return pos;
}

/** The uncompressed records section for `records` (deltas from `baseTimestamp`). */
function encodeRecords(records: RecordInput[], timestamps: number[], baseTimestamp: number): Buffer {
  const encoded = records.map((r, i) => prepareRecord(r, i, timestamps[i], baseTimestamp));
  let size = 0;
  for (const r of encoded) size += sizeOfVarInt(r.bodySize) + r.bodySize;
  const buf = Buffer.allocUnsafe(size);
  let pos = 0;
  for (const r of encoded) pos = writeRecord(buf, pos, r);
  return buf;
}

/** Loop, not Math.max(...xs): spreading a large array overflows the call stack. */
function maxOf(xs: number[]): number {
  let max = xs[0];
  for (const x of xs) if (x > max) max = x;
  return max;
}

function attributesOf(input: BatchInput, codec: CompressionCodecId): number {
  let attributes: number = codec;
  if (input.timestampType === 'LogAppendTime') attributes |= TIMESTAMP_TYPE_MASK;
  if (input.isTransactional) attributes |= TRANSACTIONAL_FLAG_MASK;
  if (input.isControl) attributes |= CONTROL_FLAG_MASK;
  return attributes;
}

export async function buildRecordBatch(input: BatchInput): Promise<Buffer> {
  const count = input.records.length;
  if (count === 0) throw new InvalidRecordError(ErrorCode.INVALID_RECORD, 'a record batch needs at least one record');
  const now = input.now ?? Date.now();
  const timestamps = input.records.map((r) => r.timestamp ?? now);
  const baseTimestamp = timestamps[0];
  const codec = input.compression ?? CompressionType.none;
  const plain = encodeRecords(input.records, timestamps, baseTimestamp);
  const recordsBytes = await compress(codec, plain, { snappyFraming: input.snappyFraming });

  const batch = Buffer.allocUnsafe(RECORD_BATCH_HEADER_SIZE + recordsBytes.length);
  writeInt64(batch, BASE_OFFSET_OFFSET, input.baseOffset ?? 0);
  batch.writeInt32BE(batch.length - LOG_OVERHEAD, BATCH_LENGTH_OFFSET);
  batch.writeInt32BE(input.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH, PARTITION_LEADER_EPOCH_OFFSET);
  batch.writeInt8(CURRENT_MAGIC, MAGIC_OFFSET);
  batch.writeInt16BE(attributesOf(input, codec), ATTRIBUTES_OFFSET);
  batch.writeInt32BE(count - 1, LAST_OFFSET_DELTA_OFFSET);
  writeInt64(batch, BASE_TIMESTAMP_OFFSET, baseTimestamp);
  writeInt64(batch, MAX_TIMESTAMP_OFFSET, maxOf(timestamps));
  writeInt64(batch, PRODUCER_ID_OFFSET, input.producerId ?? NO_PRODUCER_ID);
  batch.writeInt16BE(input.producerEpoch ?? NO_PRODUCER_EPOCH, PRODUCER_EPOCH_OFFSET);
  batch.writeInt32BE(input.baseSequence ?? NO_SEQUENCE, BASE_SEQUENCE_OFFSET);
  batch.writeInt32BE(count, RECORDS_COUNT_OFFSET);
  recordsBytes.copy(batch, RECORD_BATCH_HEADER_SIZE);
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_OFFSET)), CRC_OFFSET);
  return batch;
}
