/**
 * DeleteGroups for consumer-protocol groups (Kafka's ConsumerGroup.validateDeleteGroup +
 * createGroupTombstoneRecords): only an Empty group is deleted (NON_EMPTY_GROUP
 * otherwise); its committed offsets, target-assignment metadata, subscription metadata
 * and epoch record are tombstoned, and once committed the group and offsets are forgotten.
 */
import { ErrorCode, type ErrorCodeValue } from '../../../protocol/errors.ts';
import type { GroupShard } from '../group-shard.ts';
import { offsetCommitTombstone } from '../records.ts';
import { ChangeBatch } from './membership.ts';

export async function deleteConsumerGroups(shard: GroupShard, groupIds: readonly string[]): Promise<Map<string, ErrorCodeValue>> {
  const results = new Map<string, ErrorCodeValue>();
  const batch = new ChangeBatch(shard);
  const doomed: [string, [string, number][]][] = [];
  for (const groupId of groupIds) {
    const group = shard.consumerGroup(groupId);
    if (group === undefined) results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
    else if (group.state() !== 'Empty') results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
    else {
      const offsets = [...shard.offsets.entries(groupId)].map(([topic, partition]): [string, number] => [topic, partition]);
      for (const [topic, partition] of offsets) batch.addRecord(offsetCommitTombstone(groupId, topic, partition));
      // The epoch tombstone comes last: replaying it removes the group from memory.
      batch.add(
        { kind: 'target-epoch', groupId, epoch: null },
        { kind: 'subscription-metadata', groupId, topics: null },
        { kind: 'group-epoch', groupId, epoch: null },
      );
      doomed.push([groupId, offsets]);
    }
  }
  if (doomed.length === 0) return results;
  const written = await batch.write();
  for (const [groupId, offsets] of doomed) {
    results.set(groupId, written.ok ? ErrorCode.NONE : written.error);
    if (written.ok) for (const [topic, partition] of offsets) shard.offsets.remove(groupId, topic, partition);
  }
  return results;
}
