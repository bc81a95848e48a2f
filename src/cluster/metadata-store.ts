/**
 * MetadataStore: the cluster metadata backend interface. The embedded (single-node,
 * local metadata log) and etcd backends both implement it; the broker only talks to this.
 *
 * - `image()` is synchronous and returns the latest applied snapshot; it never blocks.
 * - Mutations are async, applied one at a time, durable when their promise resolves, and
 *   fail with KafkaApiError carrying Kafka's error code (TOPIC_ALREADY_EXISTS, ...).
 * - `validateOnly` runs every check and returns what would be created, changing nothing
 *   (a validate-only topic still carries a fresh random id, as Kafka answers).
 * - Listeners run after each applied change with the new image and what changed.
 */
import type { QuotaAlteration } from './client-quotas.ts';
import type { BrokerInfo, MetadataImage, TopicInfo } from './metadata-image.ts';

export interface CreateTopicSpec {
  readonly name: string;
  /** -1 = broker's num.partitions. Must be -1 when assignments are given. */
  readonly numPartitions: number;
  /** -1 = broker's default.replication.factor. Must be -1 when assignments are given. */
  readonly replicationFactor: number;
  /** Replica broker ids per partition, index = partition number. */
  readonly assignments?: readonly (readonly number[])[];
  readonly configs: Readonly<Record<string, string>>;
  readonly validateOnly?: boolean;
}

export type MetadataChange =
  | { readonly kind: 'broker'; readonly nodeId: number }
  | { readonly kind: 'topic-created'; readonly topic: TopicInfo }
  | { readonly kind: 'topic-deleted'; readonly topic: TopicInfo }
  | { readonly kind: 'partitions-created'; readonly topic: TopicInfo; readonly firstNewPartition: number }
  | { readonly kind: 'topic-configs'; readonly topic: TopicInfo }
  | { readonly kind: 'broker-configs'; readonly resourceName: string }
  | { readonly kind: 'client-quotas' };

/** A config set of one resource, or how to compute it from the current one (read-modify-write inside the store's serialized update). */
export type ConfigUpdate = Readonly<Record<string, string>> | ((current: Readonly<Record<string, string>>) => Readonly<Record<string, string>>);

export type MetadataListener = (image: MetadataImage, change: MetadataChange) => void;

export interface MetadataStore {
  image(): MetadataImage;
  createTopic(spec: CreateTopicSpec): Promise<TopicInfo>;
  /** Throws TOPIC_DELETION_DISABLED / UNKNOWN_TOPIC_OR_PARTITION. Returns the deleted topic. */
  deleteTopic(name: string): Promise<TopicInfo>;
  /** Throws TOPIC_DELETION_DISABLED / UNKNOWN_TOPIC_ID. */
  deleteTopicById(topicId: string): Promise<TopicInfo>;
  /** Grows a topic to `totalCount` partitions; assignments cover only the new ones. */
  createPartitions(
    name: string,
    totalCount: number,
    assignments?: readonly (readonly number[])[],
    validateOnly?: boolean,
  ): Promise<TopicInfo>;
  /**
   * Replaces the topic's whole override set (AlterConfigs semantics). Given a function,
   * the new set is computed from the current one inside the serialized update, so
   * concurrent incremental changes never overwrite each other; what it throws is thrown.
   */
  alterTopicConfigs(name: string, configs: ConfigUpdate, validateOnly?: boolean): Promise<TopicInfo>;
  /**
   * Replaces the whole dynamic config set of a BROKER resource ("" = cluster-wide default,
   * else a node id). The caller has checked that every key is dynamic; the store checks
   * the resulting broker config (values, cross-key rules) and throws INVALID_REQUEST
   * (Kafka's code for a rejected broker config) with the problem.
   */
  alterBrokerConfigs(resourceName: string, configs: ConfigUpdate, validateOnly?: boolean): Promise<void>;
  /**
   * Applies client quota changes (entities in canonical form, already validated by the
   * caller) atomically: each entity's ops are applied to its current quotas inside the
   * serialized update, and every changed entity is written in one record.
   */
  alterClientQuotas(alterations: readonly QuotaAlteration[]): Promise<void>;
  /** Registers or updates a broker (a no-op when nothing changed). */
  registerBroker(broker: BrokerInfo): Promise<void>;
  /** Subscribes to applied changes; returns the unsubscribe function. */
  onChange(listener: MetadataListener): () => void;
  close(): Promise<void>;
}
