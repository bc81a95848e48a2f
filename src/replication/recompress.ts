/**
 * Topic-side compression (compression.type other than 'producer'): Kafka's LogValidator
 * re-encodes a produced batch whose codec differs from the topic's, keeping every record
 * (key, value, headers, timestamp) and the batch's producer fields. Batches already in the
 * topic's codec are kept as they are. Snappy is written in xerial framing, as Kafka's Java
 * encoder does. Compression levels (compression.*.level) are not applied: the codecs'
 * defaults are used.
 */
import type { LogConfig } from '../config/log-config.ts';
import { CompressionType, type CompressionCodecId } from '../protocol/records/batch-layout.ts';
import type { RecordBatchView } from '../protocol/records/batch.ts';
import { buildRecordBatch } from '../protocol/records/builder.ts';
import { readRecords } from '../protocol/records/record.ts';

const TOPIC_CODECS: Readonly<Record<LogConfig['compressionType'], CompressionCodecId | null>> = {
  producer: null,
  uncompressed: CompressionType.none,
  gzip: CompressionType.gzip,
  snappy: CompressionType.snappy,
  lz4: CompressionType.lz4,
  zstd: CompressionType.zstd,
};

/** The codec the topic imposes, or null when it keeps the producer's. */
export function topicCodec(config: LogConfig): CompressionCodecId | null {
  return TOPIC_CODECS[config.compressionType];
}

/** `batch` re-encoded with `codec` (throws InvalidRecordError if it does not decode). */
export async function recompressBatch(batch: RecordBatchView, codec: CompressionCodecId): Promise<Buffer> {
  const records = await readRecords(batch);
  return buildRecordBatch({
    records: records.map((r) => ({ key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp })),
    compression: codec,
    snappyFraming: 'xerial',
    producerId: batch.producerId,
    producerEpoch: batch.producerEpoch,
    baseSequence: batch.baseSequence,
    isTransactional: batch.isTransactional,
    partitionLeaderEpoch: batch.partitionLeaderEpoch,
    timestampType: batch.timestampType,
  });
}
