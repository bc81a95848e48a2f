/**
 * BrokerConfig: the validated broker configuration (server.properties plus --set
 * overrides), with typed getters for what the broker uses and `describe()` for
 * DescribeConfigs on the broker resource.
 *
 * Unknown keys and invalid values throw ConfigError naming the key (Kafka only warns on
 * unknown keys; we refuse them so a typo is never silently ignored). Known Kafka keys that
 * Gregor does not act on are accepted and listed by `unusedKeys()` for a start-up warning.
 * The static part (server.properties) is fixed for the life of the process. The dynamic
 * layers (KIP-226: per-broker and cluster-wide default, kept in the cluster metadata) are
 * replaced as a whole by `setDynamic` whenever the metadata changes, so every holder of
 * this object reads current values; the fields computed at construction (node id,
 * listeners, log dirs) come from keys that are not dynamic.
 */
import { hostname } from 'node:os';
import { BROKER_CONFIG_DEFS } from './broker-config-defs.ts';
import { ConfigError } from './config-error.ts';
import { brokerSynonymGroup, ConfigLayers, definition, isSensitiveKey } from './config-layers.ts';
import type { ResolvedSynonym, SynonymMember } from './config-layers.ts';
import { CONFIG_TYPE_ID, ConfigSource } from './config-types.ts';
import { isDynamicBrokerKey } from './dynamic-broker-config.ts';
import type { ConfigEntryDescription, ConfigSynonym, ConfigValue } from './config-types.ts';
import { parseListeners, parseSecurityProtocolMap } from './listeners.ts';
import type { ListenerAddress } from './listeners.ts';
import { LONG_MAX_AS_NUMBER } from './log-config.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Node id used when neither node.id nor broker.id is set (single-node convenience). */
export const DEFAULT_SINGLE_NODE_ID = 1;

type Props = Record<string, string> | ReadonlyMap<string, string>;

export interface DynamicLayers {
  /** Per-broker dynamic configs (resource name = this node id). */
  readonly dynamic?: Props;
  /** Cluster-wide dynamic defaults (resource name ""). */
  readonly dynamicDefault?: Props;
}

export class BrokerConfig {
  #layers: ConfigLayers;
  readonly #staticProps: ReadonlyMap<string, string>;
  readonly nodeId: number;
  readonly listeners: readonly ListenerAddress[];
  readonly advertisedListeners: readonly ListenerAddress[];
  readonly logDirs: readonly string[];
  readonly httpListener: HostPort | null;

  private constructor(layers: ConfigLayers, staticProps: ReadonlyMap<string, string>) {
    this.#layers = layers;
    this.#staticProps = staticProps;
    this.nodeId = resolveNodeId(layers);
    const protocols = parseSecurityProtocolMap(
      'listener.security.protocol.map',
      this.getString('listener.security.protocol.map'),
    );
    const controllerNames = this.getString('controller.listener.names');
    this.listeners = withoutControllerListeners(
      parseListeners('listeners', this.getString('listeners'), protocols),
      controllerNames,
    );
    if (this.listeners.length === 0) throw new ConfigError('listeners', 'at least one listener is required');
    this.advertisedListeners = resolveAdvertised(this.get('advertised.listeners'), this.listeners, protocols, controllerNames);
    this.logDirs = resolveLogDirs(layers);
    this.httpListener = parseHttpListener(this.getString('http.listener'));
    checkCrossKeyRules(this);
  }

  /** Builds and validates a config; throws ConfigError naming the first bad key. */
  static from(props: Props, options: DynamicLayers = {}): BrokerConfig {
    const staticProps = toMap(props);
    return new BrokerConfig(layersOf(staticProps, options), staticProps);
  }

  /**
   * Replaces both dynamic layers (the metadata's current per-broker and default sets).
   * Values are checked as at start-up, cross-key rules included; on a ConfigError this
   * config is left unchanged.
   */
  setDynamic(layers: DynamicLayers): void {
    this.#layers = this.#checkedLayers(layers);
  }

  /** Throws ConfigError if `setDynamic(layers)` would; changes nothing. */
  checkDynamic(layers: DynamicLayers): void {
    this.#checkedLayers(layers);
  }

  #checkedLayers(layers: DynamicLayers): ConfigLayers {
    const next = layersOf(this.#staticProps, layers);
    checkCrossKeyRules(new BrokerConfig(next, this.#staticProps));
    return next;
  }

  /** Effective value of exactly this key (explicit, else its default). */
  get(name: string): ConfigValue {
    return this.#layers.effective(name).value;
  }

  /** True when the key was given explicitly (not defaulted). */
  isSet(name: string): boolean {
    return this.#layers.explicit(name) !== undefined;
  }

  /** Explicitly given keys that Gregor accepts but does not act on. */
  unusedKeys(): string[] {
    return this.#layers.explicitKeys().filter((k) => definition(k).unused === true).sort();
  }

  getNumber(name: string): number {
    return expectType(name, this.get(name), 'number');
  }

  getBoolean(name: string): boolean {
    return expectType(name, this.get(name), 'boolean');
  }

  getString(name: string): string {
    const value = this.get(name);
    return value === null ? '' : expectType(name, value, 'string');
  }

  getList(name: string): readonly string[] {
    const value = this.get(name);
    if (!Array.isArray(value)) throw new Error(`config ${name} is not a list`);
    return value;
  }

  /** Resolves a synonym group to a number in the unit of its first member. */
  resolveNumber(group: readonly SynonymMember[]): number {
    const hit = this.resolveSynonym(group);
    if (hit === null || typeof hit.value !== 'number') throw new Error(`no numeric value for ${group[0].name}`);
    return scaleNumber(hit.value, hit.factor);
  }

  /** The winning member of a synonym group, for callers that need the raw string. */
  resolveSynonym(group: readonly SynonymMember[]): ResolvedSynonym | null {
    return this.#layers.resolve(group);
  }

  /** DescribeConfigs synonyms of a group's first member (ConfigLayers.synonyms). */
  synonymEntries(group: readonly SynonymMember[]): ConfigSynonym[] {
    return this.#layers.synonyms(group);
  }

  /** DescribeConfigs entries for every broker key (custom dynamic keys too), sorted by name. */
  describe(): ConfigEntryDescription[] {
    return [...BROKER_CONFIG_DEFS.keys(), ...this.#layers.customKeys()].sort().map((name) => this.describeKey(name));
  }

  /** DescribeConfigs entry for one broker key (Kafka semantics: see file header of config-layers). */
  describeKey(name: string): ConfigEntryDescription {
    const value = this.#layers.explicit(name)?.raw ?? BROKER_CONFIG_DEFS.get(name)?.defaultValue ?? null;
    return describedEntry(name, value, this.#layers.synonyms(brokerSynonymGroup(name), name));
  }

  /**
   * DescribeConfigs of the cluster-wide default resource (""): only the keys with a
   * dynamic default, each with that value; its synonyms are only dynamic defaults, as Kafka
   * answers (createBrokerConfigEntry with perBrokerConfig = false).
   */
  describeDynamicDefaults(): ConfigEntryDescription[] {
    return this.#layers.dynamicDefaultKeys().sort().map((name) => {
      const synonyms = this.#layers.synonyms(brokerSynonymGroup(name), name)
        .filter((s) => s.source === ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
      return describedEntry(name, this.#layers.dynamicDefault(name)!.raw, synonyms);
    });
  }

  // Typed getters for what the broker uses.
  get clusterId(): string | null { return this.get('cluster.id') as string | null; }
  get etcdEndpoints(): readonly string[] { return this.getList('etcd.endpoints'); }
  get rack(): string | null { return this.get('broker.rack') as string | null; }
  get numPartitions(): number { return this.getNumber('num.partitions'); }
  get defaultReplicationFactor(): number { return this.getNumber('default.replication.factor'); }
  get autoCreateTopicsEnable(): boolean { return this.getBoolean('auto.create.topics.enable'); }
  get deleteTopicEnable(): boolean { return this.getBoolean('delete.topic.enable'); }
  get messageMaxBytes(): number { return this.getNumber('message.max.bytes'); }
  get fetchMaxBytes(): number { return this.getNumber('fetch.max.bytes'); }
  get socketRequestMaxBytes(): number { return this.getNumber('socket.request.max.bytes'); }
  get socketSendBufferBytes(): number { return this.getNumber('socket.send.buffer.bytes'); }
  get socketReceiveBufferBytes(): number { return this.getNumber('socket.receive.buffer.bytes'); }
  get maxConnections(): number { return this.getNumber('max.connections'); }
  get maxConnectionsPerIp(): number { return this.getNumber('max.connections.per.ip'); }
  get queuedMaxRequests(): number { return this.getNumber('queued.max.requests'); }
  get connectionsMaxIdleMs(): number { return this.getNumber('connections.max.idle.ms'); }
  get numRecoveryThreadsPerDataDir(): number { return this.getNumber('num.recovery.threads.per.data.dir'); }
  get logSegmentBytes(): number { return this.getNumber('log.segment.bytes'); }
  get logRollMs(): number { return this.resolveNumber(brokerSynonymGroup('log.roll.ms')); }
  get logRollJitterMs(): number { return this.resolveNumber(brokerSynonymGroup('log.roll.jitter.ms')); }
  get logRetentionMs(): number { return this.resolveNumber(brokerSynonymGroup('log.retention.ms')); }
  get logRetentionBytes(): number { return this.getNumber('log.retention.bytes'); }
  get logRetentionCheckIntervalMs(): number { return this.getNumber('log.retention.check.interval.ms'); }
  get logFlushIntervalMessages(): number { return this.getNumber('log.flush.interval.messages'); }
  get logFlushIntervalMs(): number { return this.resolveNumber(brokerSynonymGroup('log.flush.interval.ms')); }
  get logFlushSchedulerIntervalMs(): number { return this.getNumber('log.flush.scheduler.interval.ms'); }
  get logFlushOffsetCheckpointIntervalMs(): number { return this.getNumber('log.flush.offset.checkpoint.interval.ms'); }
  get logFlushStartOffsetCheckpointIntervalMs(): number { return this.getNumber('log.flush.start.offset.checkpoint.interval.ms'); }
  get logCleanerEnable(): boolean { return this.getBoolean('log.cleaner.enable'); }
  get minInsyncReplicas(): number { return this.getNumber('min.insync.replicas'); }
  get offsetsTopicNumPartitions(): number { return this.getNumber('offsets.topic.num.partitions'); }
  get offsetsTopicReplicationFactor(): number { return this.getNumber('offsets.topic.replication.factor'); }
  get offsetsRetentionMs(): number { return this.getNumber('offsets.retention.minutes') * 60_000; }
  get groupInitialRebalanceDelayMs(): number { return this.getNumber('group.initial.rebalance.delay.ms'); }
  get groupMinSessionTimeoutMs(): number { return this.getNumber('group.min.session.timeout.ms'); }
  get groupMaxSessionTimeoutMs(): number { return this.getNumber('group.max.session.timeout.ms'); }
  get groupMaxSize(): number { return this.getNumber('group.max.size'); }
  get transactionMaxTimeoutMs(): number { return this.getNumber('transaction.max.timeout.ms'); }
  get transactionStateLogNumPartitions(): number { return this.getNumber('transaction.state.log.num.partitions'); }
  get transactionStateLogReplicationFactor(): number { return this.getNumber('transaction.state.log.replication.factor'); }
  get transactionStateLogMinIsr(): number { return this.getNumber('transaction.state.log.min.isr'); }
  get transactionalIdExpirationMs(): number { return this.getNumber('transactional.id.expiration.ms'); }
  get producerIdExpirationMs(): number { return this.getNumber('producer.id.expiration.ms'); }
  get replicaLagTimeMaxMs(): number { return this.getNumber('replica.lag.time.max.ms'); }
}

/** DescribeConfigs ConfigType of a key without a definition (Kafka's ConfigType.UNKNOWN). */
const CONFIG_TYPE_UNKNOWN = 0;

/**
 * A DescribeConfigs entry: its source is its first synonym's (Kafka's createBrokerConfigEntry);
 * a custom key (unknown to the broker) has no type and counts as sensitive, as in Kafka.
 */
function describedEntry(name: string, value: string | null, synonyms: ConfigSynonym[]): ConfigEntryDescription {
  const def = BROKER_CONFIG_DEFS.get(name);
  const source = synonyms[0]?.source ?? ConfigSource.DEFAULT_CONFIG;
  const isSensitive = isSensitiveKey(name);
  return Object.freeze({
    name,
    value: isSensitive ? null : value,
    source,
    isSensitive,
    readOnly: !isDynamicBrokerKey(name),
    isDefault: source === ConfigSource.DEFAULT_CONFIG,
    synonyms,
    documentation: def?.doc ?? '',
    type: def === undefined ? CONFIG_TYPE_UNKNOWN : CONFIG_TYPE_ID[def.type],
  });
}

function layersOf(staticProps: ReadonlyMap<string, string>, layers: DynamicLayers): ConfigLayers {
  return new ConfigLayers(staticProps, toMap(layers.dynamic ?? {}), toMap(layers.dynamicDefault ?? {}));
}

function toMap(props: Props): ReadonlyMap<string, string> {
  return props instanceof Map ? props : new Map(Object.entries(props));
}

function expectType<T extends 'number' | 'boolean' | 'string'>(
  name: string,
  value: ConfigValue,
  type: T,
): T extends 'number' ? number : T extends 'boolean' ? boolean : string {
  if (typeof value !== type) throw new Error(`config ${name} is not of type ${type}`);
  return value as T extends 'number' ? number : T extends 'boolean' ? boolean : string;
}

/** value * factor; a negative converted value (e.g. -1 hours) means "unlimited" = -1. */
function scaleNumber(value: number, factor: number): number {
  if (factor === 1) return value;
  return value < 0 ? -1 : Math.min(value * factor, LONG_MAX_AS_NUMBER);
}

function resolveNodeId(layers: ConfigLayers): number {
  const nodeId = layers.effective('node.id').value as number;
  const brokerId = layers.effective('broker.id').value as number;
  if (nodeId >= 0 && brokerId >= 0 && nodeId !== brokerId) {
    throw new ConfigError('node.id', `node.id ${nodeId} and broker.id ${brokerId} differ; set only one`);
  }
  if (nodeId >= 0) return nodeId;
  return brokerId >= 0 ? brokerId : DEFAULT_SINGLE_NODE_ID;
}

/**
 * KRaft files list CONTROLLER listeners next to the client ones; Gregor has no controller
 * quorum (etcd does that job), so those listeners are dropped, not bound.
 */
function withoutControllerListeners(listeners: ListenerAddress[], controllerNames: string): ListenerAddress[] {
  const names = new Set(controllerNames.split(',').map((n) => n.trim().toUpperCase()));
  return listeners.filter((l) => !names.has(l.name));
}

function resolveLogDirs(layers: ConfigLayers): string[] {
  const hit = layers.resolve(brokerSynonymGroup('log.dirs'));
  const dirs = String(hit?.value ?? '').split(',').map((d) => d.trim()).filter((d) => d !== '');
  if (dirs.length === 0) throw new ConfigError(hit?.name ?? 'log.dirs', 'at least one log directory is required');
  if (new Set(dirs).size !== dirs.length) throw new ConfigError(hit?.name ?? 'log.dirs', 'lists a directory twice');
  return dirs;
}

/**
 * advertised.listeners defaults to listeners; an empty host there becomes this machine's
 * host name (as Kafka does), and 0.0.0.0 / :: cannot be advertised.
 */
function resolveAdvertised(
  configured: ConfigValue,
  listeners: readonly ListenerAddress[],
  protocols: ReadonlyMap<string, string>,
  controllerNames: string,
): ListenerAddress[] {
  const key = 'advertised.listeners';
  const given =
    typeof configured === 'string'
      ? withoutControllerListeners(parseListeners(key, configured, protocols), controllerNames)
      : [...listeners];
  for (const l of given) {
    if (l.host === '0.0.0.0' || l.host === '::') throw new ConfigError(key, `cannot advertise the meta-address ${l.host}`);
    if (!listeners.some((b) => b.name === l.name)) throw new ConfigError(key, `listener '${l.name}' is not in listeners`);
  }
  return given.map((l) => (l.host === '' ? Object.freeze({ ...l, host: hostname() }) : l));
}

function parseHttpListener(text: string): HostPort | null {
  if (text.trim() === '') return null;
  const match = /^(\[[0-9A-Fa-f:.]*\]|[^:[\]]*):(\d+)$/.exec(text.trim());
  const port = match ? Number(match[2]) : NaN;
  if (!match || port > 65535) throw new ConfigError('http.listener', `'${text}' is not host:port`);
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return { host, port };
}

function checkCrossKeyRules(config: BrokerConfig): void {
  if (config.groupMinSessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
    throw new ConfigError('group.min.session.timeout.ms', 'must not exceed group.max.session.timeout.ms');
  }
  if (config.getNumber('group.consumer.min.session.timeout.ms') > config.getNumber('group.consumer.max.session.timeout.ms')) {
    throw new ConfigError('group.consumer.min.session.timeout.ms', 'must not exceed group.consumer.max.session.timeout.ms');
  }
  if (config.getNumber('log.cleaner.min.compaction.lag.ms') > config.getNumber('log.cleaner.max.compaction.lag.ms')) {
    throw new ConfigError('log.cleaner.min.compaction.lag.ms', 'must not exceed log.cleaner.max.compaction.lag.ms');
  }
  const clusterId = config.clusterId;
  if (clusterId !== null && !/^[A-Za-z0-9_-]+$/.test(clusterId)) {
    throw new ConfigError('cluster.id', `'${clusterId}' may only contain letters, digits, '_' and '-'`);
  }
}
