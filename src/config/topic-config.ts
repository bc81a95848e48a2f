/**
 * Topic configs: validation of overrides (CreateTopics / AlterConfigs), resolution of a
 * topic's LogConfig from its overrides over the broker's `log.*` settings, and the
 * DescribeConfigs view of a topic with Kafka's sources and synonyms: the topic override
 * (TOPIC_CONFIG), then the broker synonyms as Kafka lists them (ConfigLayers.synonyms); the
 * entry's source as DescribeConfigs or CreateTopics reports it (TopicConfigSourceRule).
 */
import type { BrokerConfig } from './broker-config.ts';
import { ConfigError } from './config-error.ts';
import { CONFIG_TYPE_ID, ConfigSource } from './config-types.ts';
import type { ConfigEntryDescription, ConfigSourceValue, ConfigSynonym, ConfigValue } from './config-types.ts';
import { parseConfigValue } from './config-values.ts';
import type { CompressionTypeConfig, LogConfig, TimestampType } from './log-config.ts';
import { TOPIC_CONFIG_DEFS } from './topic-config-defs.ts';
import type { TopicConfigDef } from './topic-config-defs.ts';

export type TopicOverrides = Readonly<Record<string, string | null>> | ReadonlyMap<string, string | null>;

interface EffectiveTopicValue {
  readonly raw: string;
  readonly value: ConfigValue;
  readonly source: ConfigSourceValue;
}

/**
 * Checks topic overrides: every key must be a topic config and every value valid. With a
 * broker config, cross-key rules are checked on the merged result. Returns the first
 * problem (key + message, for INVALID_CONFIG) or null.
 */
export function validateTopicConfigs(
  overrides: TopicOverrides,
  broker?: BrokerConfig,
): { key: string; message: string } | null {
  try {
    const entries = toEntries(overrides);
    for (const [key, raw] of entries) {
      const def = TOPIC_CONFIG_DEFS.get(key);
      if (def === undefined) return { key, message: `Unknown topic config name: ${key}` };
      if (raw === null) return { key, message: `Null value not supported for topic config ${key}` };
      parseConfigValue(def, raw);
    }
    checkCompactionLag(new Map(entries), broker);
    return null;
  } catch (err) {
    if (err instanceof ConfigError) return { key: err.key, message: err.message };
    throw err;
  }
}

/** The LogConfig of a topic: its overrides, else the broker's settings. Throws ConfigError. */
export function resolveLogConfig(broker: BrokerConfig, overrides: TopicOverrides): LogConfig {
  const map = new Map(toEntries(overrides));
  const num = (key: string) => effective(broker, map, key).value as number;
  const bool = (key: string) => effective(broker, map, key).value as boolean;
  const str = (key: string) => effective(broker, map, key).value as string;
  return Object.freeze({
    segmentBytes: num('segment.bytes'),
    segmentMs: num('segment.ms'),
    segmentJitterMs: num('segment.jitter.ms'),
    segmentIndexBytes: num('segment.index.bytes'),
    indexIntervalBytes: num('index.interval.bytes'),
    flushMessages: num('flush.messages'),
    flushMs: num('flush.ms'),
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    fileDeleteDelayMs: num('file.delete.delay.ms'),
    maxMessageBytes: num('max.message.bytes'),
    messageTimestampType: str('message.timestamp.type') as TimestampType,
    messageTimestampBeforeMaxMs: num('message.timestamp.before.max.ms'),
    messageTimestampAfterMaxMs: num('message.timestamp.after.max.ms'),
    cleanupPolicy: Object.freeze([...(effective(broker, map, 'cleanup.policy').value as readonly string[])]),
    minInsyncReplicas: num('min.insync.replicas'),
    deleteRetentionMs: num('delete.retention.ms'),
    minCompactionLagMs: num('min.compaction.lag.ms'),
    maxCompactionLagMs: num('max.compaction.lag.ms'),
    minCleanableDirtyRatio: num('min.cleanable.dirty.ratio'),
    compressionType: str('compression.type') as CompressionTypeConfig,
    compressionGzipLevel: num('compression.gzip.level'),
    compressionLz4Level: num('compression.lz4.level'),
    compressionZstdLevel: num('compression.zstd.level'),
    preallocate: bool('preallocate'),
    uncleanLeaderElectionEnable: bool('unclean.leader.election.enable'),
    messageDownconversionEnable: bool('message.downconversion.enable'),
  } satisfies LogConfig);
}

/**
 * Where a topic config's reported source comes from. Kafka answers two ways:
 * - 'synonyms': DescribeConfigs (ConfigHelper.createTopicConfigEntry) reports the first
 *   synonym's source, so a value inherited from log.retention.hours shows DEFAULT_CONFIG;
 * - 'resolution': CreateTopics v5+ (the controller's
 *   KafkaConfigSchema.resolveEffectiveTopicConfigs) reports where the effective value
 *   comes from (STATIC_BROKER_CONFIG there).
 */
export type TopicConfigSourceRule = 'synonyms' | 'resolution';

/** DescribeConfigs entries for a topic (every topic config, sorted by name). */
export function describeTopicConfig(
  broker: BrokerConfig,
  overrides: TopicOverrides,
  sourceRule: TopicConfigSourceRule = 'synonyms',
): ConfigEntryDescription[] {
  const map = new Map(toEntries(overrides));
  return [...TOPIC_CONFIG_DEFS.values()].map((def) => {
    const own = effective(broker, map, def.name);
    const override = map.get(def.name);
    const synonyms: ConfigSynonym[] = [
      ...(override != null ? [{ name: def.name, value: override, source: ConfigSource.TOPIC_CONFIG }] : []),
      ...(def.brokerSynonyms.length > 0 ? broker.synonymEntries(def.brokerSynonyms) : []),
    ];
    const source = sourceRule === 'resolution' ? own.source : (synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG);
    return Object.freeze({
      name: def.name,
      value: own.raw,
      source,
      isSensitive: false,
      readOnly: false,
      isDefault: source === ConfigSource.DEFAULT_CONFIG,
      synonyms,
      documentation: def.doc,
      type: CONFIG_TYPE_ID[def.type],
    });
  });
}

/** Effective value of one topic key: override, else broker synonyms, else topic default. */
function effective(broker: BrokerConfig, overrides: ReadonlyMap<string, string | null>, key: string): EffectiveTopicValue {
  const def = topicDef(key);
  const override = overrides.get(key);
  if (override != null) return { raw: override, value: parseConfigValue(def, override), source: ConfigSource.TOPIC_CONFIG };
  const hit = def.brokerSynonyms.length > 0 ? broker.resolveSynonym(def.brokerSynonyms) : null;
  if (hit === null) {
    const raw = def.defaultValue ?? '';
    return { raw, value: parseConfigValue(def, raw, false), source: ConfigSource.DEFAULT_CONFIG };
  }
  // Broker values were validated against the broker key's own rules; only convert here.
  const raw = scaleRaw(hit.raw, hit.factor);
  return { raw, value: parseConfigValue(def, raw, false), source: hit.source };
}

/** Converts a broker value to the topic key's unit (hours -> ms); negative means -1 (unlimited). */
function scaleRaw(raw: string, factor: number): string {
  if (factor === 1) return raw.trim();
  const n = BigInt(raw.trim());
  return n < 0n ? '-1' : (n * BigInt(factor)).toString();
}

function topicDef(key: string): TopicConfigDef {
  const def = TOPIC_CONFIG_DEFS.get(key);
  if (def === undefined) throw new ConfigError(key, `Unknown topic config name: ${key}`);
  return def;
}

function checkCompactionLag(overrides: ReadonlyMap<string, string | null>, broker?: BrokerConfig): void {
  const value = (key: string): number | null => {
    const raw = overrides.get(key);
    if (raw != null) return parseConfigValue(topicDef(key), raw) as number;
    return broker ? (effective(broker, overrides, key).value as number) : null;
  };
  const min = value('min.compaction.lag.ms');
  const max = value('max.compaction.lag.ms');
  if (min !== null && max !== null && min > max) {
    throw new ConfigError('min.compaction.lag.ms', `conflict: min.compaction.lag.ms (${min}) > max.compaction.lag.ms (${max})`);
  }
}

function toEntries(overrides: TopicOverrides): [string, string | null][] {
  return overrides instanceof Map ? [...overrides] : Object.entries(overrides);
}
