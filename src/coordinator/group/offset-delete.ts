/**
 * OffsetDelete (Kafka's OffsetMetadataManager.deleteOffsets): only for groups that are
 * Empty, or that use the consumer protocol (classic groups of protocol type "consumer",
 * and KIP-848 consumer groups; then per topic: GROUP_SUBSCRIBED_TO_TOPIC
 * when a member subscribes to it). Unknown/dead group: GROUP_ID_NOT_FOUND; a group with
 * members of another protocol type: NON_EMPTY_GROUP. Tombstones are written for the
 * offsets that exist; they disappear from memory once the tombstones are committed.
 *
 * Also the clean-up after a topic is deleted (Kafka's OffsetMetadataManager
 * .onPartitionsDeleted): every group's offsets of that topic are tombstoned.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { OffsetDeleteRequestOffsetDeleteRequestTopic, OffsetDeleteResponseOffsetDeleteResponseTopic } from '../../protocol/generated/offset-delete.ts';
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import type { GroupShard } from './group-shard.ts';
import { offsetCommitTombstone } from './records.ts';

const { EMPTY, DEAD } = ClassicGroupState;

export interface DeleteResult {
  readonly errorCode: ErrorCodeValue;
  readonly topics: OffsetDeleteResponseOffsetDeleteResponseTopic[];
}

export async function deleteOffsets(shard: GroupShard, groupId: string, topics: readonly OffsetDeleteRequestOffsetDeleteRequestTopic[]): Promise<DeleteResult> {
  const consumer = shard.consumerGroup(groupId);
  const group = consumer === undefined ? shard.group(groupId) : undefined;
  if (consumer === undefined && (group === undefined || group.is(DEAD))) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, topics: [] };
  if (group !== undefined && !group.is(EMPTY) && !group.usesConsumerProtocol()) return { errorCode: ErrorCode.NON_EMPTY_GROUP, topics: [] };
  const consumerTopics = consumer?.subscribedTopicNames();
  const records: CoordinatorRecord[] = [];
  const deleted: [string, number][] = [];
  const response = topics.map((topic) => {
    const subscribed = consumerTopics?.has(topic.name) ?? group!.isSubscribedToTopic(topic.name);
    return {
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => {
        if (subscribed) return { partitionIndex, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC as ErrorCodeValue };
        if (shard.offsets.get(groupId, topic.name, partitionIndex) !== undefined) {
          records.push(offsetCommitTombstone(groupId, topic.name, partitionIndex));
          deleted.push([topic.name, partitionIndex]);
        }
        return { partitionIndex, errorCode: ErrorCode.NONE as ErrorCodeValue };
      }),
    };
  });
  if (records.length === 0) return { errorCode: ErrorCode.NONE, topics: response };
  const result = await shard.write(records);
  if (!result.ok) return { errorCode: result.error, topics: [] };
  for (const [topic, partition] of deleted) shard.offsets.remove(groupId, topic, partition);
  return { errorCode: ErrorCode.NONE, topics: response };
}

/** Tombstones every group's offsets of a deleted topic; resolves once they are committed. */
export async function deleteOffsetsOfTopic(shard: GroupShard, topic: string): Promise<void> {
  const doomed: [string, number][] = [];
  for (const groupId of shard.offsets.groups()) {
    for (const [t, partition] of shard.offsets.entries(groupId)) if (t === topic) doomed.push([groupId, partition]);
  }
  if (doomed.length === 0) return;
  const result = await shard.write(doomed.map(([groupId, partition]) => offsetCommitTombstone(groupId, topic, partition)));
  if (!result.ok) {
    shard.logger.warn({ topic, error: result.error }, 'could not delete the offsets of a deleted topic');
    return;
  }
  for (const [groupId, partition] of doomed) shard.offsets.remove(groupId, topic, partition);
}
