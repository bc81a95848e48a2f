/**
 * Target assignment (Kafka's TargetAssignmentBuilder): when the group epoch is ahead of
 * the assignment epoch, run the group's server assignor over all members and their
 * subscriptions and produce the changes: a target-member record for each member whose
 * target differs, then the target-epoch record (= the group epoch).
 *
 * The assignor: the one most members ask for (`serverAssignor`), else the first of
 * `group.consumer.assignors` (Kafka's ConsumerGroup.computePreferredServerAssignor).
 */
import { assignorFor, type PartitionAssignor } from '../assignors/assignor.ts';
import type { ConsumerChange } from './consumer-changes.ts';
import { EMPTY_PARTITIONS, type ConsumerGroup } from './consumer-group.ts';
import { samePartitions } from './current-assignment.ts';

export function preferredAssignor(group: ConsumerGroup, defaultAssignor: string): string {
  const votes = new Map<string, number>();
  for (const m of group.members.values()) if (m.serverAssignor !== null) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
  let best = defaultAssignor;
  let bestVotes = 0;
  for (const [name, n] of [...votes].sort(([a], [b]) => (a < b ? -1 : 1))) if (n > bestVotes) [best, bestVotes] = [name, n];
  return best;
}

export function targetAssignmentChanges(group: ConsumerGroup, defaultAssignor: string): ConsumerChange[] {
  const assignor: PartitionAssignor = assignorFor(preferredAssignor(group, defaultAssignor)) ?? assignorFor(defaultAssignor)!;
  const counts = new Map<string, number>();
  for (const t of group.subscriptionMetadata.values()) counts.set(t.topicId, t.numPartitions);
  const members = [...group.members.values()].map((m) => ({
    memberId: m.memberId,
    subscribedTopicIds: m.subscribedTopicNames.flatMap((name) => {
      const t = group.subscriptionMetadata.get(name);
      return t === undefined ? [] : [t.topicId];
    }),
    target: group.targetAssignment.get(m.memberId) ?? EMPTY_PARTITIONS,
  }));
  const result = assignor.assign(members, (topicId) => counts.get(topicId) ?? 0);
  const changes: ConsumerChange[] = [];
  for (const m of members) {
    const next = result.get(m.memberId) ?? new Map<string, Set<number>>();
    if (!group.targetAssignment.has(m.memberId) || !samePartitions(m.target, next)) {
      changes.push({ kind: 'target-member', groupId: group.groupId, memberId: m.memberId, partitions: next });
    }
  }
  changes.push({ kind: 'target-epoch', groupId: group.groupId, epoch: group.groupEpoch });
  return changes;
}
