/**
 * The consumer-protocol part of the periodic offset clean-up (offset-expiration.ts;
 * Kafka's ConsumerGroup.offsetExpirationCondition): an offset of a topic the group no
 * longer subscribes to expires offsets.retention.minutes after its commit (or at its own
 * expire timestamp); an Empty group whose offsets have all expired is deleted (its
 * target-assignment metadata, subscription metadata and epoch records tombstoned).
 */
import type { CoordinatorRecord } from '../../runtime/coordinator-record.ts';
import type { GroupShard } from '../group-shard.ts';
import { offsetCommitTombstone, type OffsetAndMetadata } from '../records.ts';
import { changeRecord } from './consumer-changes.ts';

export interface ConsumerExpiration {
  readonly records: CoordinatorRecord[];
  readonly expired: [string, string, number][];
  /** Groups to forget once the records are committed, if still Empty and without offsets. */
  readonly doomedGroups: string[];
}

export function expiredConsumerOffsets(shard: GroupShard, isExpired: (o: OffsetAndMetadata, baseMs: number) => boolean): ConsumerExpiration {
  const out: ConsumerExpiration = { records: [], expired: [], doomedGroups: [] };
  for (const group of shard.consumerGroups.values()) {
    const subscribed = group.subscribedTopicNames();
    const entries = shard.offsets.entries(group.groupId);
    let expiredCount = 0;
    for (const [topic, partition, value] of entries) {
      if (subscribed.has(topic) || !isExpired(value, value.commitTimestampMs)) continue;
      out.records.push(offsetCommitTombstone(group.groupId, topic, partition));
      out.expired.push([group.groupId, topic, partition]);
      expiredCount++;
    }
    if (expiredCount === entries.length && group.state() === 'Empty') {
      const groupId = group.groupId;
      out.records.push(
        changeRecord({ kind: 'target-epoch', groupId, epoch: null }),
        changeRecord({ kind: 'subscription-metadata', groupId, topics: null }),
        changeRecord({ kind: 'group-epoch', groupId, epoch: null }),
      );
      out.doomedGroups.push(groupId);
    }
  }
  return out;
}

/** After the tombstones are committed: forgets the doomed groups that stayed Empty without offsets. */
export function removeExpiredConsumerGroups(shard: GroupShard, groupIds: readonly string[]): void {
  for (const groupId of groupIds) {
    const group = shard.consumerGroup(groupId);
    if (group?.state() === 'Empty' && !shard.offsets.hasOffsets(groupId)) shard.removeConsumerGroup(groupId);
  }
}
