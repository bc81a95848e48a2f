/**
 * Every topic-level config Kafka has (4.0, plus message.downconversion.enable which old
 * fetch versions still need), with its type, default, validation and the broker keys it
 * falls back to when a topic has no override (most specific first, with the factor that
 * converts the broker key's unit to the topic key's unit).
 */
import { CLEANUP_POLICIES, COMPRESSION_TYPES, TIMESTAMP_TYPES } from './broker-config-defs.ts';
import type { SynonymMember } from './config-layers.ts';
import type { ConfigDef, ConfigType, Validator } from './config-types.ts';
import { atLeast, between, listOf, oneOf } from './config-values.ts';
import { define, LONG_MAX } from './define.ts';

export interface TopicConfigDef extends ConfigDef {
  /** Broker keys supplying the value when the topic has no override; [] = topic-only key. */
  readonly brokerSynonyms: readonly SynonymMember[];
}

const HOUR_MS = 3_600_000;

/** Throttled-replica lists: '*' or partition:broker pairs. */
const throttledReplicas: Validator = (value) => {
  if (!Array.isArray(value)) return 'must be a list';
  if (value.length === 1 && value[0] === '*') return null;
  return value.every((v) => /^\d+:\d+$/.test(v)) ? null : "must be '*' or a list of partition:brokerId pairs";
};

const gzipLevel: Validator = (v) =>
  v === -1 || (typeof v === 'number' && v >= 1 && v <= 9) ? null : 'must be -1 or in [1, 9]';

const noTieredStorage: Validator = (v) => (v === false ? null : 'is not supported: Gregor has no tiered storage');

function topic(
  name: string,
  type: ConfigType,
  defaultValue: string,
  validator: Validator | undefined,
  brokerSynonyms: readonly (string | [string, number])[],
  doc: string,
): TopicConfigDef {
  const members = brokerSynonyms.map((s) => (typeof s === 'string' ? { name: s, factor: 1 } : { name: s[0], factor: s[1] }));
  return Object.freeze({ ...define(name, type, defaultValue, validator, doc), brokerSynonyms: members });
}

const DEFS: readonly TopicConfigDef[] = [
  topic('cleanup.policy', 'LIST', 'delete', listOf(CLEANUP_POLICIES), ['log.cleanup.policy'], "Old-segment policy: 'delete', 'compact', or both."),
  topic('compression.type', 'STRING', 'producer', oneOf(COMPRESSION_TYPES), ['compression.type'], "Codec of stored batches; 'producer' keeps the producer's."),
  topic('compression.gzip.level', 'INT', '-1', gzipLevel, ['compression.gzip.level'], 'gzip level when the broker recompresses.'),
  topic('compression.lz4.level', 'INT', '9', between(1, 17), ['compression.lz4.level'], 'lz4 level when the broker recompresses.'),
  topic('compression.zstd.level', 'INT', '3', between(-131072, 22), ['compression.zstd.level'], 'zstd level when the broker recompresses.'),
  topic('delete.retention.ms', 'LONG', '86400000', atLeast(0), ['log.cleaner.delete.retention.ms'], 'How long tombstones survive in a compacted topic.'),
  topic('file.delete.delay.ms', 'LONG', '60000', atLeast(0), ['log.segment.delete.delay.ms'], 'Delay before a deleted segment\'s files are removed.'),
  topic('flush.messages', 'LONG', LONG_MAX, atLeast(1), ['log.flush.interval.messages'], 'fsync after this many messages.'),
  topic('flush.ms', 'LONG', LONG_MAX, atLeast(0), ['log.flush.interval.ms', 'log.flush.scheduler.interval.ms'], 'fsync when unflushed data is this old.'),
  topic('follower.replication.throttled.replicas', 'LIST', '', throttledReplicas, [], 'Replicas whose follower fetches are throttled.'),
  topic('index.interval.bytes', 'INT', '4096', atLeast(0), ['log.index.interval.bytes'], 'Bytes of log between two offset-index entries.'),
  topic('leader.replication.throttled.replicas', 'LIST', '', throttledReplicas, [], 'Replicas whose leader-side replication is throttled.'),
  topic('local.retention.bytes', 'LONG', '-2', atLeast(-2), ['log.local.retention.bytes'], 'Tiered storage local size limit (-2 = retention.bytes); unused by Gregor.'),
  topic('local.retention.ms', 'LONG', '-2', atLeast(-2), ['log.local.retention.ms'], 'Tiered storage local time limit (-2 = retention.ms); unused by Gregor.'),
  topic('max.compaction.lag.ms', 'LONG', LONG_MAX, atLeast(1), ['log.cleaner.max.compaction.lag.ms'], 'Records older than this force compaction.'),
  topic('max.message.bytes', 'INT', '1048588', atLeast(0), ['message.max.bytes'], 'Largest record batch accepted (after compression).'),
  topic('message.downconversion.enable', 'BOOLEAN', 'true', undefined, ['log.message.downconversion.enable'], 'Allow down-conversion for old fetch versions.'),
  topic('message.timestamp.after.max.ms', 'LONG', '3600000', atLeast(0), ['log.message.timestamp.after.max.ms'], 'How far in the future a CreateTime may be.'),
  topic('message.timestamp.before.max.ms', 'LONG', LONG_MAX, atLeast(0), ['log.message.timestamp.before.max.ms'], 'How far in the past a CreateTime may be.'),
  topic('message.timestamp.type', 'STRING', 'CreateTime', oneOf(TIMESTAMP_TYPES), ['log.message.timestamp.type'], 'CreateTime (producer\'s) or LogAppendTime (broker\'s).'),
  topic('min.cleanable.dirty.ratio', 'DOUBLE', '0.5', between(0, 1), ['log.cleaner.min.cleanable.ratio'], 'Dirty ratio that makes the log eligible for compaction.'),
  topic('min.compaction.lag.ms', 'LONG', '0', atLeast(0), ['log.cleaner.min.compaction.lag.ms'], 'Records younger than this are not compacted.'),
  topic('min.insync.replicas', 'INT', '1', atLeast(1), ['min.insync.replicas'], 'In-sync replicas required for acks=all writes.'),
  topic('preallocate', 'BOOLEAN', 'false', undefined, ['log.preallocate'], 'Preallocate segment files.'),
  topic('remote.log.copy.disable', 'BOOLEAN', 'false', undefined, [], 'Tiered storage: stop copying to remote; unused by Gregor.'),
  topic('remote.log.delete.on.disable', 'BOOLEAN', 'false', undefined, [], 'Tiered storage: delete remote data when disabled; unused by Gregor.'),
  topic('remote.storage.enable', 'BOOLEAN', 'false', noTieredStorage, [], 'Tiered storage; Gregor has none and only accepts false.'),
  topic('retention.bytes', 'LONG', '-1', undefined, ['log.retention.bytes'], 'Delete old segments while a partition is bigger than this; -1 = no limit.'),
  topic('retention.ms', 'LONG', '604800000', atLeast(-1), ['log.retention.ms', ['log.retention.minutes', 60_000], ['log.retention.hours', HOUR_MS]], 'Keep data this long; -1 = forever.'),
  topic('segment.bytes', 'INT', '1073741824', atLeast(1024 * 1024), ['log.segment.bytes'], 'Roll to a new segment at this size.'),
  topic('segment.index.bytes', 'INT', '10485760', atLeast(4), ['log.index.size.max.bytes'], 'Size of a segment\'s index files.'),
  topic('segment.jitter.ms', 'LONG', '0', atLeast(0), ['log.roll.jitter.ms', ['log.roll.jitter.hours', HOUR_MS]], 'Largest random amount subtracted from segment.ms.'),
  topic('segment.ms', 'LONG', '604800000', atLeast(1), ['log.roll.ms', ['log.roll.hours', HOUR_MS]], 'Roll to a new segment at this age.'),
  topic('unclean.leader.election.enable', 'BOOLEAN', 'false', undefined, ['unclean.leader.election.enable'], 'Allow out-of-sync replicas to become leader.'),
];

/** Every topic config by name, sorted by name. */
export const TOPIC_CONFIG_DEFS: ReadonlyMap<string, TopicConfigDef> = new Map(
  [...DEFS].sort((a, b) => a.name.localeCompare(b.name)).map((d) => [d.name, d]),
);
