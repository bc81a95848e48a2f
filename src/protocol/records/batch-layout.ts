/**
 * Byte layout of a Kafka RecordBatch (magic 2) header. All integers are big-endian.
 *
 *   offset  size  field
 *        0     8  baseOffset            rewritten by the broker on append
 *        8     4  batchLength           bytes after this field (so total = 12 + batchLength)
 *       12     4  partitionLeaderEpoch  set by the broker on append (not covered by the CRC)
 *       16     1  magic                 2
 *       17     4  crc                   CRC32C of bytes [21, end)
 *       21     2  attributes            bits 0-2 compression, 3 timestamp type,
 *                                       4 transactional, 5 control, 6 delete horizon
 *       23     4  lastOffsetDelta
 *       27     8  baseTimestamp
 *       35     8  maxTimestamp
 *       43     8  producerId
 *       51     2  producerEpoch
 *       53     4  baseSequence
 *       57     4  recordsCount
 *       61        records (possibly compressed)
 *
 * Shared by the record-batch view (protocol) and the storage engine, which only ever
 * reads these header fields on the hot path.
 */
export const BASE_OFFSET_OFFSET = 0;
export const BATCH_LENGTH_OFFSET = 8;
export const PARTITION_LEADER_EPOCH_OFFSET = 12;
export const MAGIC_OFFSET = 16;
export const CRC_OFFSET = 17;
export const ATTRIBUTES_OFFSET = 21;
export const LAST_OFFSET_DELTA_OFFSET = 23;
export const BASE_TIMESTAMP_OFFSET = 27;
export const MAX_TIMESTAMP_OFFSET = 35;
export const PRODUCER_ID_OFFSET = 43;
export const PRODUCER_EPOCH_OFFSET = 51;
export const BASE_SEQUENCE_OFFSET = 53;
export const RECORDS_COUNT_OFFSET = 57;
export const RECORD_BATCH_HEADER_SIZE = 61;

/** Bytes before batchLength's coverage starts: baseOffset + batchLength. */
export const LOG_OVERHEAD = 12;

export const CURRENT_MAGIC = 2;

export const COMPRESSION_CODEC_MASK = 0x07;
export const TIMESTAMP_TYPE_MASK = 0x08;
export const TRANSACTIONAL_FLAG_MASK = 0x10;
export const CONTROL_FLAG_MASK = 0x20;
export const DELETE_HORIZON_FLAG_MASK = 0x40;

export const CompressionType = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 } as const;
export type CompressionCodecId = (typeof CompressionType)[keyof typeof CompressionType];

export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
