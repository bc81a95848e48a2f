/**
 * LogConfig: the resolved, typed per-topic settings the storage layer works with.
 *
 * A LogConfig is what `resolveLogConfig` (topic-config.ts) produces from a topic's overrides
 * layered over the broker's `log.*` defaults. Storage only ever reads this shape; it never
 * parses config strings itself.
 *
 * Limitation: Kafka uses Long.MAX_VALUE (9223372036854775807) as "never" for several
 * settings (flush.messages, flush.ms, max.compaction.lag.ms, timestamp bounds). A JS number
 * cannot hold it exactly, so those values arrive here as `Number.MAX_SAFE_INTEGER`
 * (`LONG_MAX_AS_NUMBER`); any value that large means "no limit" in practice.
 */

/** Kafka's Long.MAX_VALUE ("no limit") as the closest exact JS integer. */
export const LONG_MAX_AS_NUMBER = Number.MAX_SAFE_INTEGER;

export type TimestampType = 'CreateTime' | 'LogAppendTime';

/** compression.type values; 'producer' keeps whatever codec the producer used. */
export type CompressionTypeConfig = 'producer' | 'uncompressed' | 'gzip' | 'snappy' | 'lz4' | 'zstd';

export interface LogConfig {
  /** segment.bytes: roll a new segment when the active one reaches this size. */
  readonly segmentBytes: number;
  /** segment.ms: roll a new segment when the active one is this old (ms). */
  readonly segmentMs: number;
  /** segment.jitter.ms: maximum random amount subtracted from segmentMs per segment. */
  readonly segmentJitterMs: number;
  /** segment.index.bytes: size of the offset/time index files preallocated per segment. */
  readonly segmentIndexBytes: number;
  /** index.interval.bytes: bytes of log between two offset-index entries. */
  readonly indexIntervalBytes: number;
  /** flush.messages: fsync after this many messages (LONG_MAX_AS_NUMBER = never by count). */
  readonly flushMessages: number;
  /** flush.ms: fsync when unflushed data is this old (LONG_MAX_AS_NUMBER = never by time). */
  readonly flushMs: number;
  /** retention.ms: delete segments whose newest record is older than this; -1 = forever. */
  readonly retentionMs: number;
  /** retention.bytes: delete oldest segments while the partition exceeds this; -1 = no cap. */
  readonly retentionBytes: number;
  /** file.delete.delay.ms: wait between renaming a segment to .deleted and unlinking it. */
  readonly fileDeleteDelayMs: number;
  /** max.message.bytes: largest record batch accepted (after compression). */
  readonly maxMessageBytes: number;
  /** message.timestamp.type. */
  readonly messageTimestampType: TimestampType;
  /** message.timestamp.before.max.ms: how far in the past a CreateTime may be. */
  readonly messageTimestampBeforeMaxMs: number;
  /** message.timestamp.after.max.ms: how far in the future a CreateTime may be. */
  readonly messageTimestampAfterMaxMs: number;
  /** cleanup.policy: any of 'delete', 'compact' (possibly both, possibly empty). */
  readonly cleanupPolicy: readonly string[];
  /** min.insync.replicas: ISR size required for acks=all. */
  readonly minInsyncReplicas: number;
  /** delete.retention.ms: how long tombstones survive compaction. */
  readonly deleteRetentionMs: number;
  /** min.compaction.lag.ms: records younger than this are never compacted. */
  readonly minCompactionLagMs: number;
  /** max.compaction.lag.ms: records older than this make the log eligible for compaction. */
  readonly maxCompactionLagMs: number;
  /** min.cleanable.dirty.ratio: dirty/total ratio that makes a log eligible for compaction. */
  readonly minCleanableDirtyRatio: number;
  /** compression.type. */
  readonly compressionType: CompressionTypeConfig;
  /** compression.gzip.level (-1 = zlib default). */
  readonly compressionGzipLevel: number;
  /** compression.lz4.level. */
  readonly compressionLz4Level: number;
  /** compression.zstd.level. */
  readonly compressionZstdLevel: number;
  /** preallocate: preallocate segment files on roll. */
  readonly preallocate: boolean;
  /** unclean.leader.election.enable. */
  readonly uncleanLeaderElectionEnable: boolean;
  /** message.downconversion.enable: allow converting to magic 0/1 for old fetchers. */
  readonly messageDownconversionEnable: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Kafka's defaults (Apache Kafka 4.0) for every LogConfig field. */
export const defaultLogConfig: LogConfig = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * DAY_MS,
  segmentJitterMs: 0,
  segmentIndexBytes: 10 * 1024 * 1024,
  indexIntervalBytes: 4096,
  flushMessages: LONG_MAX_AS_NUMBER,
  flushMs: LONG_MAX_AS_NUMBER,
  retentionMs: 7 * DAY_MS,
  retentionBytes: -1,
  fileDeleteDelayMs: 60_000,
  maxMessageBytes: 1024 * 1024 + 12,
  messageTimestampType: 'CreateTime',
  messageTimestampBeforeMaxMs: LONG_MAX_AS_NUMBER,
  messageTimestampAfterMaxMs: 60 * 60 * 1000,
  cleanupPolicy: Object.freeze(['delete']),
  minInsyncReplicas: 1,
  deleteRetentionMs: DAY_MS,
  minCompactionLagMs: 0,
  maxCompactionLagMs: LONG_MAX_AS_NUMBER,
  minCleanableDirtyRatio: 0.5,
  compressionType: 'producer',
  compressionGzipLevel: -1,
  compressionLz4Level: 9,
  compressionZstdLevel: 3,
  preallocate: false,
  uncleanLeaderElectionEnable: false,
  messageDownconversionEnable: true,
} satisfies LogConfig);
