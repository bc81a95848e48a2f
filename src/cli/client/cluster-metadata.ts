/**
 * The client's view of the cluster, built from one Metadata response: brokers by node
 * id, and per topic its id and partitions with leader, replicas and ISR.
 */
import type { MetadataResponse } from '../../protocol/generated/metadata.ts';

export interface BrokerAddress {
  nodeId: number;
  host: string;
  port: number;
}

export interface PartitionMetadata {
  partition: number;
  errorCode: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
}

export interface TopicMetadata {
  name: string;
  topicId: string;
  errorCode: number;
  isInternal: boolean;
  /** Ordered by partition index. */
  partitions: PartitionMetadata[];
}

export interface ClusterMetadata {
  clusterId: string | null;
  controllerId: number;
  brokers: Map<number, BrokerAddress>;
  topics: TopicMetadata[];
}

export function toClusterMetadata(res: MetadataResponse): ClusterMetadata {
  return {
    clusterId: res.clusterId,
    controllerId: res.controllerId,
    brokers: new Map(res.brokers.map((b) => [b.nodeId, { nodeId: b.nodeId, host: b.host, port: b.port }])),
    topics: res.topics.map((t) => ({
      name: t.name ?? '',
      topicId: t.topicId,
      errorCode: t.errorCode,
      isInternal: t.isInternal,
      partitions: t.partitions
        .map((p) => ({
          partition: p.partitionIndex,
          errorCode: p.errorCode,
          leader: p.leaderId,
          leaderEpoch: p.leaderEpoch,
          replicas: p.replicaNodes,
          isr: p.isrNodes,
          offlineReplicas: p.offlineReplicas,
        }))
        .sort((a, b) => a.partition - b.partition),
    })),
  };
}
