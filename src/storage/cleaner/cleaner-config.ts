/**
 * CleanerConfig: the broker-wide settings of the log cleaner (Kafka's CleanerConfig), with
 * Kafka's defaults. Per-topic settings (cleanup.policy, delete.retention.ms,
 * min/max.compaction.lag.ms, min.cleanable.dirty.ratio, segment.bytes) come from LogConfig.
 */
export interface CleanerConfig {
  /** log.cleaner.enable. */
  readonly enabled: boolean;
  /** log.cleaner.dedupe.buffer.size: bytes of the key -> offset map (OffsetMap). */
  readonly dedupeBufferBytes: number;
  /** log.cleaner.io.buffer.load.factor: fill ratio at which the map counts as full. */
  readonly dedupeLoadFactor: number;
  /** log.cleaner.io.buffer.size: half is the read window over a segment, half the write buffer of a cleaned one. */
  readonly ioBufferBytes: number;
  /** log.cleaner.backoff.ms: pause between looks for a log to clean. */
  readonly backoffMs: number;
  /** Longest run of cleaning work between two event-loop turns (yield-point.ts). */
  readonly sliceMs: number;
}

export const defaultCleanerConfig: CleanerConfig = Object.freeze({
  enabled: true,
  dedupeBufferBytes: 128 * 1024 * 1024,
  dedupeLoadFactor: 0.9,
  ioBufferBytes: 512 * 1024,
  backoffMs: 15_000,
  sliceMs: 2,
});
