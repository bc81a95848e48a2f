/**
 * RecordBatchView: typed access to the header of exactly one v2 record batch (layout in
 * batch-layout.ts), reading straight from the underlying bytes: no copy, no parse of the
 * records. The broker's only writes are the setters below, which edit the bytes in place.
 */
import { crc32c } from '../crc32c.ts';
import { ErrorCode } from '../errors.ts';
import {
  ATTRIBUTES_OFFSET,
  BASE_OFFSET_OFFSET,
  BASE_SEQUENCE_OFFSET,
  BASE_TIMESTAMP_OFFSET,
  BATCH_LENGTH_OFFSET,
  COMPRESSION_CODEC_MASK,
  CONTROL_FLAG_MASK,
  CRC_OFFSET,
  LAST_OFFSET_DELTA_OFFSET,
  LOG_OVERHEAD,
  MAGIC_OFFSET,
  MAX_TIMESTAMP_OFFSET,
  PARTITION_LEADER_EPOCH_OFFSET,
  PRODUCER_EPOCH_OFFSET,
  PRODUCER_ID_OFFSET,
  RECORD_BATCH_HEADER_SIZE,
  RECORDS_COUNT_OFFSET,
  TIMESTAMP_TYPE_MASK,
  TRANSACTIONAL_FLAG_MASK,
  type CompressionCodecId,
} from './batch-layout.ts';
import { readInt64, writeInt64 } from './int64.ts';
import { InvalidRecordError } from './invalid-record-error.ts';

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** Start of the bytes the CRC covers: attributes to the end of the batch. */
const CRC_COVERED_START = ATTRIBUTES_OFFSET;

export class RecordBatchView {
  /** Exactly this batch's bytes (a view into a larger buffer, usually). */
  readonly buffer: Buffer;

  constructor(buffer: Buffer) {
    if (buffer.length < RECORD_BATCH_HEADER_SIZE) {
      throw new InvalidRecordError(
        ErrorCode.CORRUPT_MESSAGE,
        `record batch of ${buffer.length} bytes is shorter than its ${RECORD_BATCH_HEADER_SIZE}-byte header`,
      );
    }
    this.buffer = buffer;
  }

  get baseOffset(): number {
    return readInt64(this.buffer, BASE_OFFSET_OFFSET);
  }

  get batchLength(): number {
    return this.buffer.readInt32BE(BATCH_LENGTH_OFFSET);
  }

  /** Whole batch size as announced by batchLength (the view's length once validated). */
  get sizeInBytes(): number {
    return LOG_OVERHEAD + this.batchLength;
  }

  get partitionLeaderEpoch(): number {
    return this.buffer.readInt32BE(PARTITION_LEADER_EPOCH_OFFSET);
  }

  get magic(): number {
    return this.buffer.readInt8(MAGIC_OFFSET);
  }

  /** Stored CRC32C (unsigned). */
  get crc(): number {
    return this.buffer.readUInt32BE(CRC_OFFSET);
  }

  get attributes(): number {
    return this.buffer.readInt16BE(ATTRIBUTES_OFFSET);
  }

  /** Codec id 0-7 as stored; ids above 4 are unknown (validation rejects them). */
  get compression(): CompressionCodecId {
    return (this.attributes & COMPRESSION_CODEC_MASK) as CompressionCodecId;
  }

  get timestampType(): TimestampType {
    return (this.attributes & TIMESTAMP_TYPE_MASK) !== 0 ? 'LogAppendTime' : 'CreateTime';
  }

  get isTransactional(): boolean {
    return (this.attributes & TRANSACTIONAL_FLAG_MASK) !== 0;
  }

  get isControl(): boolean {
    return (this.attributes & CONTROL_FLAG_MASK) !== 0;
  }

  get lastOffsetDelta(): number {
    return this.buffer.readInt32BE(LAST_OFFSET_DELTA_OFFSET);
  }

  get lastOffset(): number {
    return this.baseOffset + this.lastOffsetDelta;
  }

  get baseTimestamp(): number {
    return readInt64(this.buffer, BASE_TIMESTAMP_OFFSET);
  }

  get maxTimestamp(): number {
    return readInt64(this.buffer, MAX_TIMESTAMP_OFFSET);
  }

  get producerId(): number {
    return readInt64(this.buffer, PRODUCER_ID_OFFSET);
  }

  get producerEpoch(): number {
    return this.buffer.readInt16BE(PRODUCER_EPOCH_OFFSET);
  }

  get baseSequence(): number {
    return this.buffer.readInt32BE(BASE_SEQUENCE_OFFSET);
  }

  get recordCount(): number {
    return this.buffer.readInt32BE(RECORDS_COUNT_OFFSET);
  }

  /** The records section after the header (compressed when compression != 0). */
  get recordsBytes(): Buffer {
    return this.buffer.subarray(RECORD_BATCH_HEADER_SIZE);
  }

  /** CRC32C of the covered bytes as they are now. */
  computeCrc(): number {
    return crc32c(this.buffer.subarray(CRC_COVERED_START));
  }

  isCrcValid(): boolean {
    return this.computeCrc() === this.crc;
  }

  /** Not covered by the CRC, so the CRC stays valid. */
  setBaseOffset(offset: number): void {
    writeInt64(this.buffer, BASE_OFFSET_OFFSET, offset);
  }

  /** Not covered by the CRC, so the CRC stays valid. */
  setPartitionLeaderEpoch(epoch: number): void {
    this.buffer.writeInt32BE(epoch, PARTITION_LEADER_EPOCH_OFFSET);
  }

  /** Marks the batch LogAppendTime with maxTimestamp = `timestamp` and rewrites the CRC
   * (as Kafka does for topics with message.timestamp.type=LogAppendTime). */
  setLogAppendTime(timestamp: number): void {
    if (this.timestampType === 'LogAppendTime' && this.maxTimestamp === timestamp) return;
    this.buffer.writeInt16BE(this.attributes | TIMESTAMP_TYPE_MASK, ATTRIBUTES_OFFSET);
    writeInt64(this.buffer, MAX_TIMESTAMP_OFFSET, timestamp);
    this.buffer.writeUInt32BE(this.computeCrc(), CRC_OFFSET);
  }

  /** Marks the batch CreateTime with maxTimestamp = `timestamp`, the largest record
   * timestamp, and rewrites the CRC when that changes anything (Kafka's
   * setMaxTimestamp(CREATE_TIME, ...) in LogValidator: the stored header never trusts the
   * producer's maxTimestamp, which retention and time lookups read). */
  setCreateTime(timestamp: number): void {
    if (this.timestampType === 'CreateTime' && this.maxTimestamp === timestamp) return;
    this.buffer.writeInt16BE(this.attributes & ~TIMESTAMP_TYPE_MASK, ATTRIBUTES_OFFSET);
    writeInt64(this.buffer, MAX_TIMESTAMP_OFFSET, timestamp);
    this.buffer.writeUInt32BE(this.computeCrc(), CRC_OFFSET);
  }
}
