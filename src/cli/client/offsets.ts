/**
 * Resolving offsets with ListOffsets: earliest (-2), latest (-1) or the first offset
 * whose timestamp is at or after a given time. Requests go to each partition's leader.
 */
import { ListOffsetsCall } from './api-calls.ts';
import type { TopicMetadata } from './cluster-metadata.ts';
import { throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';

/** ListOffsets' special timestamps (Kafka's ListOffsetsRequest). */
export const EARLIEST_TIMESTAMP = -2;
export const LATEST_TIMESTAMP = -1;

/** Partitions of `topic` grouped by leader node id, and those without a leader. */
export function groupByLeader(topic: TopicMetadata, partitions: number[]): { byLeader: Map<number, number[]>; leaderless: number[] } {
  const byLeader = new Map<number, number[]>();
  const leaderless: number[] = [];
  for (const partition of partitions) {
    const leader = topic.partitions.find((p) => p.partition === partition)?.leader ?? -1;
    if (leader < 0) leaderless.push(partition);
    else byLeader.set(leader, [...(byLeader.get(leader) ?? []), partition]);
  }
  return { byLeader, leaderless };
}

/**
 * The offset for `timestamp` in each partition. For a timestamp after every record the
 * broker answers -1; that becomes the log end offset, where a consumer would start.
 */
export async function listOffsets(client: KafkaClient, topic: TopicMetadata, partitions: number[],
  timestamp: number): Promise<Map<number, number>> {
  const { byLeader, leaderless } = groupByLeader(topic, partitions);
  if (leaderless.length > 0) throw new Error(`partitions ${leaderless.join(',')} of ${topic.name} have no leader`);
  const offsets = new Map<number, number>();
  for (const [leader, leaderPartitions] of byLeader) {
    const res = await client.send(ListOffsetsCall, () => ({
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: topic.name, partitions: leaderPartitions.map((partitionIndex) => ({ partitionIndex, timestamp })) }],
    }), { nodeId: leader });
    for (const p of res.topics.find((t) => t.name === topic.name)?.partitions ?? []) {
      throwIfError(p.errorCode, `list offsets of ${topic.name}-${p.partitionIndex}`);
      offsets.set(p.partitionIndex, p.offset);
    }
  }
  const missing = partitions.filter((p) => !offsets.has(p));
  if (missing.length > 0) throw new Error(`ListOffsets returned nothing for ${topic.name} partitions ${missing.join(',')}`);
  const past = [...offsets].filter(([, offset]) => offset < 0).map(([partition]) => partition);
  if (past.length > 0 && timestamp >= 0) {
    for (const [partition, offset] of await listOffsets(client, topic, past, LATEST_TIMESTAMP)) offsets.set(partition, offset);
  }
  return offsets;
}
