/**
 * MetadataImage: an immutable snapshot of cluster metadata (brokers, topics with their
 * partitions and config overrides, dynamic broker configs, client quotas, cluster and
 * controller ids). Every change produces a new image (copy-on-write maps), so readers keep
 * a consistent view for a whole request without locks. Admin changes are rare, so copying
 * the top-level maps is cheap enough.
 */
import { quotaEntityKey, type ClientQuota, type QuotaEntity } from './client-quotas.ts';

export interface BrokerEndpoint {
  readonly listenerName: string;
  readonly host: string;
  readonly port: number;
  readonly securityProtocol: string;
}

export interface BrokerInfo {
  readonly nodeId: number;
  /** Host and port of the first advertised listener. */
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
  /** Every advertised listener (Metadata answers per listener name). */
  readonly endpoints: readonly BrokerEndpoint[];
}

export interface PartitionState {
  readonly partition: number;
  readonly leader: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
}

export interface TopicInfo {
  readonly name: string;
  /** base64url UUID (22 chars). */
  readonly topicId: string;
  readonly isInternal: boolean;
  /** Indexed by partition number. */
  readonly partitions: readonly PartitionState[];
  /** Topic config overrides only (defaults come from the broker config). */
  readonly configs: Readonly<Record<string, string>>;
}

export class MetadataImage {
  readonly clusterId: string;
  readonly controllerId: number;
  readonly brokers: ReadonlyMap<number, BrokerInfo>;
  readonly topicsByName: ReadonlyMap<string, TopicInfo>;
  readonly topicsById: ReadonlyMap<string, TopicInfo>;
  /**
   * Dynamic broker configs by resource name: "" = cluster-wide defaults, "<node id>" =
   * one broker's (Kafka's BROKER ConfigResource names). Absent = none set.
   */
  readonly brokerConfigs: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** Client quotas by quotaEntityKey of their entity; only entities with at least one quota. */
  readonly clientQuotas: ReadonlyMap<string, ClientQuota>;
  /** Number of metadata records applied to build this image (0 = empty). */
  readonly version: number;

  constructor(init: {
    clusterId: string;
    controllerId: number;
    brokers?: ReadonlyMap<number, BrokerInfo>;
    topicsByName?: ReadonlyMap<string, TopicInfo>;
    topicsById?: ReadonlyMap<string, TopicInfo>;
    brokerConfigs?: ReadonlyMap<string, Readonly<Record<string, string>>>;
    clientQuotas?: ReadonlyMap<string, ClientQuota>;
    version?: number;
  }) {
    this.clusterId = init.clusterId;
    this.controllerId = init.controllerId;
    this.brokers = init.brokers ?? new Map();
    this.topicsByName = init.topicsByName ?? new Map();
    this.topicsById = init.topicsById ?? new Map();
    this.brokerConfigs = init.brokerConfigs ?? new Map();
    this.clientQuotas = init.clientQuotas ?? new Map();
    this.version = init.version ?? 0;
    Object.freeze(this);
  }

  topic(name: string): TopicInfo | undefined {
    return this.topicsByName.get(name);
  }

  topicById(topicId: string): TopicInfo | undefined {
    return this.topicsById.get(topicId);
  }

  broker(nodeId: number): BrokerInfo | undefined {
    return this.brokers.get(nodeId);
  }

  /** Registered broker ids, ascending. */
  brokerIds(): number[] {
    return [...this.brokers.keys()].sort((a, b) => a - b);
  }

  withBroker(broker: BrokerInfo): MetadataImage {
    const brokers = new Map(this.brokers).set(broker.nodeId, deepFreeze(broker));
    return this.#next({ brokers });
  }

  /** Adds or replaces a topic (matched by topicId). */
  withTopic(topic: TopicInfo): MetadataImage {
    const frozen = deepFreeze(topic);
    const byName = new Map(this.topicsByName);
    const byId = new Map(this.topicsById);
    const previous = byId.get(topic.topicId);
    if (previous !== undefined) byName.delete(previous.name);
    byName.set(topic.name, frozen);
    byId.set(topic.topicId, frozen);
    return this.#next({ topicsByName: byName, topicsById: byId });
  }

  /** Replaces the dynamic configs of one BROKER resource ("" or a node id); {} removes them. */
  withBrokerConfigs(resourceName: string, configs: Readonly<Record<string, string>>): MetadataImage {
    const brokerConfigs = new Map(this.brokerConfigs);
    if (Object.keys(configs).length === 0) brokerConfigs.delete(resourceName);
    else brokerConfigs.set(resourceName, deepFreeze({ ...configs }));
    return this.#next({ brokerConfigs });
  }

  /** The dynamic configs of a BROKER resource ({} when none). */
  brokerConfigsOf(resourceName: string): Readonly<Record<string, string>> {
    return this.brokerConfigs.get(resourceName) ?? {};
  }

  /** Replaces the quotas of one entity (canonical form); {} removes the entity. */
  withClientQuota(entity: QuotaEntity, quotas: Readonly<Record<string, number>>): MetadataImage {
    const clientQuotas = new Map(this.clientQuotas);
    const key = quotaEntityKey(entity);
    if (Object.keys(quotas).length === 0) clientQuotas.delete(key);
    else clientQuotas.set(key, deepFreeze({ entity: [...entity], quotas: { ...quotas } }));
    return this.#next({ clientQuotas });
  }

  /** The quotas of an entity (canonical form; {} when none). */
  clientQuotasOf(entity: QuotaEntity): Readonly<Record<string, number>> {
    return this.clientQuotas.get(quotaEntityKey(entity))?.quotas ?? {};
  }

  withoutTopic(topicId: string): MetadataImage {
    const topic = this.topicsById.get(topicId);
    if (topic === undefined) return this.#next({});
    const byName = new Map(this.topicsByName);
    const byId = new Map(this.topicsById);
    byName.delete(topic.name);
    byId.delete(topicId);
    return this.#next({ topicsByName: byName, topicsById: byId });
  }

  #next(changes: Partial<Pick<MetadataImage, 'brokers' | 'topicsByName' | 'topicsById' | 'brokerConfigs' | 'clientQuotas'>>): MetadataImage {
    return new MetadataImage({
      clusterId: this.clusterId,
      controllerId: this.controllerId,
      brokers: changes.brokers ?? this.brokers,
      topicsByName: changes.topicsByName ?? this.topicsByName,
      topicsById: changes.topicsById ?? this.topicsById,
      brokerConfigs: changes.brokerConfigs ?? this.brokerConfigs,
      clientQuotas: changes.clientQuotas ?? this.clientQuotas,
      version: this.version + 1,
    });
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
