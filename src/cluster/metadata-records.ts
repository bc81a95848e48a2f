/**
 * The records of the embedded metadata log and how each one changes a MetadataImage.
 * The image is only ever changed by applying a record, both live and on replay, so the
 * replayed state is exactly the state that was acknowledged.
 */
import type { ClientQuota } from './client-quotas.ts';
import type { BrokerInfo, MetadataImage, PartitionState, TopicInfo } from './metadata-image.ts';

/** Version written in the header record; replay refuses newer versions. */
export const METADATA_LOG_VERSION = 1;

export type MetadataRecord =
  /** First record of every log: format version and the cluster it belongs to. */
  | { readonly type: 'header'; readonly version: number; readonly clusterId: string }
  | { readonly type: 'broker'; readonly broker: BrokerInfo }
  | { readonly type: 'topic'; readonly topic: TopicInfo }
  | { readonly type: 'remove-topic'; readonly topicId: string }
  | { readonly type: 'partitions'; readonly topicId: string; readonly partitions: readonly PartitionState[] }
  | { readonly type: 'topic-configs'; readonly topicId: string; readonly configs: Readonly<Record<string, string>> }
  /** The whole dynamic config set of a BROKER resource ("" = cluster default, else a node id). */
  | { readonly type: 'broker-configs'; readonly resourceName: string; readonly configs: Readonly<Record<string, string>> }
  /** The whole quota sets of the entities one AlterClientQuotas changed (one record: atomic); {} removes an entity. */
  | { readonly type: 'client-quotas'; readonly quotas: readonly ClientQuota[] };

/** Applies one record; throws on a record that does not fit the image (a corrupt log). */
export function applyRecord(image: MetadataImage, record: MetadataRecord): MetadataImage {
  switch (record.type) {
    case 'header':
      if (record.clusterId !== image.clusterId) {
        throw new Error(`metadata log belongs to cluster ${record.clusterId}, not ${image.clusterId}`);
      }
      return image;
    case 'broker':
      return image.withBroker(record.broker);
    case 'topic':
      return image.withTopic(record.topic);
    case 'remove-topic':
      requireTopic(image, record.topicId);
      return image.withoutTopic(record.topicId);
    case 'partitions': {
      const topic = requireTopic(image, record.topicId);
      return image.withTopic({ ...topic, partitions: [...topic.partitions, ...record.partitions] });
    }
    case 'topic-configs':
      return image.withTopic({ ...requireTopic(image, record.topicId), configs: { ...record.configs } });
    case 'broker-configs':
      return image.withBrokerConfigs(record.resourceName, record.configs);
    case 'client-quotas':
      return record.quotas.reduce((next, q) => next.withClientQuota(q.entity, q.quotas), image);
  }
}

function requireTopic(image: MetadataImage, topicId: string): TopicInfo {
  const topic = image.topicById(topicId);
  if (topic === undefined) throw new Error(`metadata record refers to unknown topic id ${topicId}`);
  return topic;
}

/** Structural check of a decoded JSON value before it is trusted as a record. */
export function isMetadataRecord(value: unknown): value is MetadataRecord {
  if (value === null || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return ['header', 'broker', 'topic', 'remove-topic', 'partitions', 'topic-configs', 'broker-configs', 'client-quotas'].includes(type as string);
}

/** The shortest record list that rebuilds `image`: header, brokers, topics, dynamic broker configs, client quotas. */
export function snapshotRecords(image: MetadataImage): MetadataRecord[] {
  return [
    { type: 'header', version: METADATA_LOG_VERSION, clusterId: image.clusterId },
    ...[...image.brokers.values()].map((broker): MetadataRecord => ({ type: 'broker', broker })),
    ...[...image.topicsById.values()].map((topic): MetadataRecord => ({ type: 'topic', topic })),
    ...[...image.brokerConfigs].map(([resourceName, configs]): MetadataRecord => ({ type: 'broker-configs', resourceName, configs })),
    ...(image.clientQuotas.size > 0 ? [{ type: 'client-quotas', quotas: [...image.clientQuotas.values()] } as const] : []),
  ];
}
