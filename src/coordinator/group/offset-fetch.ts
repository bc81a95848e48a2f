/**
 * OffsetFetch for one group (Kafka's OffsetMetadataManager.fetchOffsets /
 * fetchAllOffsets): the committed offset, leader epoch and metadata of each requested
 * partition, or offset -1 / epoch -1 / metadata "" when none is committed (also for an
 * unknown group; classic or consumer-protocol groups alike). `topics` null asks for every committed offset of the group.
 * requireStable would answer UNSTABLE_OFFSET_COMMIT for partitions with pending
 * transactional offsets; none exist until transactions do.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { OffsetFetchResponseOffsetFetchResponseTopics } from '../../protocol/generated/offset-fetch.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import type { GroupShard } from './group-shard.ts';

/** Kafka's OffsetFetchResponse.INVALID_OFFSET. */
export const INVALID_OFFSET = -1;

export interface FetchTopic {
  readonly name: string;
  readonly partitionIndexes: readonly number[];
}

export type FetchResult = OffsetFetchResponseOffsetFetchResponseTopics[];

export function fetchOffsets(shard: GroupShard, groupId: string, topics: readonly FetchTopic[] | null): FetchResult {
  const group = shard.group(groupId);
  const known = (group !== undefined && !group.is(ClassicGroupState.DEAD)) || shard.consumerGroup(groupId) !== undefined;
  if (topics === null) return known ? allOffsets(shard, groupId) : [];
  return topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitionIndexes.map((partitionIndex) => {
      const value = known ? shard.offsets.get(groupId, topic.name, partitionIndex) : undefined;
      return value === undefined
        ? { partitionIndex, committedOffset: INVALID_OFFSET, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE }
        : { partitionIndex, committedOffset: value.offset, committedLeaderEpoch: value.leaderEpoch, metadata: value.metadata, errorCode: ErrorCode.NONE };
    }),
  }));
}

function allOffsets(shard: GroupShard, groupId: string): FetchResult {
  const byTopic = new Map<string, FetchResult[number]>();
  for (const [topic, partitionIndex, value] of shard.offsets.entries(groupId)) {
    let entry = byTopic.get(topic);
    if (entry === undefined) byTopic.set(topic, (entry = { name: topic, partitions: [] }));
    entry.partitions.push({ partitionIndex, committedOffset: value.offset, committedLeaderEpoch: value.leaderEpoch, metadata: value.metadata, errorCode: ErrorCode.NONE });
  }
  return [...byTopic.values()];
}
