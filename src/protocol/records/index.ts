/** The records layer's public surface (re-exports only). */
export * from './batch-layout.ts';
export { RecordBatchView, type TimestampType } from './batch.ts';
export { buildRecordBatch, type BatchInput, type RecordInput } from './builder.ts';
export { firstMagic } from './framing.ts';
export { InvalidRecordError } from './invalid-record-error.ts';
export { downConvertToMagic, upConvertMessageSet, type DownConvertOptions } from './legacy.ts';
export { readRecords, type KafkaRecord, type ReadRecordsOptions, type RecordHeader } from './record.ts';
export { splitBatches, type SplitOptions, type SplitResult } from './validate.ts';
