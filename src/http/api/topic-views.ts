/**
 * Topic views for the API: a topic from the metadata image joined with the state of the
 * partitions this broker hosts (offsets and sizes from the replica manager's partitions).
 */
import type { PartitionState, TopicInfo } from '../../cluster/metadata-image.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';
import type { PartitionDetail, TopicDetail, TopicSummary } from './types.ts';

export function topicSummary(topic: TopicInfo, replicas: ReplicaManager): TopicSummary {
  let bytesOnDisk = 0;
  let messages = 0;
  for (const state of topic.partitions) {
    const hosted = replicas.getPartition(topic.name, state.partition);
    if (hosted === undefined) continue;
    bytesOnDisk += hosted.log.size;
    messages += Math.max(0, hosted.highWatermark - hosted.logStartOffset);
  }
  return {
    name: topic.name,
    topicId: topic.topicId,
    internal: topic.isInternal,
    partitions: topic.partitions.length,
    replicationFactor: topic.partitions[0]?.replicas.length ?? 0,
    bytesOnDisk,
    messages,
    overrides: { ...topic.configs },
  };
}

export function topicDetail(topic: TopicInfo, replicas: ReplicaManager): TopicDetail {
  return {
    ...topicSummary(topic, replicas),
    partitionDetails: topic.partitions.map((state) => partitionDetail(topic.name, state, replicas)),
  };
}

function partitionDetail(topic: string, state: PartitionState, replicas: ReplicaManager): PartitionDetail {
  const hosted = replicas.getPartition(topic, state.partition);
  return {
    partition: state.partition,
    leader: state.leader,
    leaderEpoch: state.leaderEpoch,
    replicas: [...state.replicas],
    isr: [...state.isr],
    logStartOffset: hosted?.logStartOffset ?? null,
    logEndOffset: hosted?.logEndOffset ?? null,
    highWatermark: hosted?.highWatermark ?? null,
    sizeBytes: hosted?.log.size ?? null,
    segments: hosted?.log.segmentCount ?? null,
  };
}
