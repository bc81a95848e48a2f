/**
 * Dynamic broker configs (Kafka's KIP-226, DynamicBrokerConfig): which broker keys may be
 * changed at run time through AlterConfigs / IncrementalAlterConfigs on a BROKER resource,
 * and the checks Kafka makes before accepting such a change.
 *
 * Two levels, stored in the cluster metadata: per broker (resource name = node id, source
 * DYNAMIC_BROKER_CONFIG) and the cluster-wide default (resource name "", source
 * DYNAMIC_DEFAULT_BROKER_CONFIG). Precedence: per broker > cluster default > static
 * (server.properties) > built-in default (config-layers.ts).
 *
 * Dynamic keys are those Gregor applies without a restart:
 *   - the broker synonym of every topic config (Kafka's DynamicLogConfig: the first
 *     synonym only, e.g. log.retention.ms but not log.retention.hours): topics without
 *     an override pick the new value up at once;
 *   - keys Kafka treats as dynamic that size thread pools or background work, which
 *     Gregor accepts and stores (it has no such pools, or reads them when the work runs);
 *   - Kafka's listener (SASL) keys, stored for when Gregor gets SASL.
 * Every other known key (listeners, num.partitions, log.dirs, ...) is refused with Kafka's
 * "Cannot update these configs dynamically: [...]" message; unknown keys are kept as custom
 * configs, as Kafka does (config-layers.ts).
 */
import type { DynamicLayers } from './broker-config.ts';
import { BROKER_CONFIG_DEFS } from './broker-config-defs.ts';
import { DYNAMIC_SECURITY_KEYS } from './broker-config-defs-security.ts';
import { ConfigError } from './config-error.ts';
import { parseConfigValue } from './config-values.ts';
import { TOPIC_CONFIG_DEFS } from './topic-config-defs.ts';

/** Kafka's dynamic keys outside DynamicLogConfig that Gregor knows (thread pools, cleaner, producer state). */
const OTHER_DYNAMIC_KEYS: readonly string[] = [
  'num.io.threads',
  'num.network.threads',
  'background.threads',
  'num.recovery.threads.per.data.dir',
  'num.replica.fetchers',
  'log.cleaner.threads',
  'log.cleaner.dedupe.buffer.size',
  'log.cleaner.io.buffer.size',
  'log.cleaner.io.buffer.load.factor',
  'log.cleaner.io.max.bytes.per.second',
  'log.cleaner.backoff.ms',
  'producer.id.expiration.ms',
  'transaction.partition.verification.enable',
];

/** Every broker key that may be changed dynamically. */
export const DYNAMIC_BROKER_KEYS: ReadonlySet<string> = new Set(
  [
    ...[...TOPIC_CONFIG_DEFS.values()].flatMap((def) => (def.brokerSynonyms.length > 0 ? [def.brokerSynonyms[0].name] : [])),
    ...OTHER_DYNAMIC_KEYS,
    ...DYNAMIC_SECURITY_KEYS,
  ].filter((name) => BROKER_CONFIG_DEFS.has(name)),
);

export function isDynamicBrokerKey(name: string): boolean {
  return DYNAMIC_BROKER_KEYS.has(name);
}

/**
 * Checks a dynamic broker config set as Kafka's DynamicBrokerConfig.validateConfigs does:
 * every known key must be dynamic, every known key's value must parse and satisfy its
 * rules. Keys the broker does not know pass: Kafka keeps them as custom configs
 * (DynamicConfig.Broker allows custom props; e.g. kafkajs's suite sets cleanup.policy on a
 * broker). Returns the problem as Kafka words it, or null (Kafka: INVALID_REQUEST).
 */
export function dynamicBrokerConfigProblem(props: ReadonlyMap<string, string>): string | null {
  const known = [...props].filter(([name]) => BROKER_CONFIG_DEFS.has(name));
  const notDynamic = known.map(([name]) => name).filter((name) => !isDynamicBrokerKey(name));
  if (notDynamic.length > 0) return `Cannot update these configs dynamically: [${notDynamic.join(', ')}]`;
  try {
    for (const [name, raw] of known) parseConfigValue(BROKER_CONFIG_DEFS.get(name)!, raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  return null;
}

/** Where dynamic broker configs are kept (the metadata image), seen from the config layer. */
export interface DynamicConfigSource {
  brokerConfigsOf(resourceName: string): Readonly<Record<string, string>>;
}

/** This node's dynamic layers: its own resource and the cluster-wide default (""). */
export function dynamicLayersOf(source: DynamicConfigSource, nodeId: number): DynamicLayers {
  return { dynamic: source.brokerConfigsOf(String(nodeId)), dynamicDefault: source.brokerConfigsOf('') };
}
