/**
 * Reconciliation of one member towards its target assignment (Kafka's
 * CurrentAssignmentBuilder), run on each of its heartbeats:
 *
 *  - STABLE at an older epoch than the target: compute the next step (below).
 *  - UNREVOKED_PARTITIONS: the member keeps its epoch and must give up the partitions
 *    pending revocation; once its heartbeat's owned partitions no longer contain any of
 *    them (or it rejoined with none), it moves on to the next epoch (at most the target's).
 *  - UNRELEASED_PARTITIONS: it waits for partitions another member still owns; re-checked
 *    on every heartbeat.
 *
 * Next step: kept = assigned ∩ target; revoking = assigned − target; newly targeted
 * partitions are handed out only when no other member owns them (partition epoch -1).
 * Revocations come first: while any remain the member gets no new partition.
 */
import type { TopicPartitions } from '../assignors/assignor.ts';
import { MemberState, type ConsumerGroup, type ConsumerGroupMember, type MemberAssignment } from './consumer-group.ts';

export type OwnedPartitions = readonly { readonly topicId: string; readonly partitions: readonly number[] }[] | null;

export function reconcile(
  group: ConsumerGroup, member: ConsumerGroupMember, target: TopicPartitions, owned: OwnedPartitions,
): MemberAssignment {
  const targetEpoch = group.assignmentEpoch;
  switch (member.state) {
    case MemberState.UNREVOKED_PARTITIONS:
      if (ownsAnyOf(owned, member.partitionsPendingRevocation)) return member;
      return nextAssignment(group, member, Math.min(member.memberEpoch + 1, targetEpoch), target);
    case MemberState.UNRELEASED_PARTITIONS:
      return nextAssignment(group, member, targetEpoch, target);
    default:
      return member.memberEpoch === targetEpoch ? member : nextAssignment(group, member, targetEpoch, target);
  }
}

/** Null owned partitions (not sent) count as still owning everything. */
function ownsAnyOf(owned: OwnedPartitions, revoking: TopicPartitions): boolean {
  if (owned === null) return true;
  return owned.some((t) => t.partitions.some((p) => revoking.get(t.topicId)?.has(p) === true));
}

function nextAssignment(group: ConsumerGroup, member: ConsumerGroupMember, epoch: number, target: TopicPartitions): MemberAssignment {
  const kept = new Map<string, Set<number>>();
  const revoking = new Map<string, Set<number>>();
  const assignable = new Map<string, Set<number>>();
  let unreleased = false;
  for (const [topicId, partitions] of member.assignedPartitions) {
    for (const p of partitions) add(target.get(topicId)?.has(p) === true ? kept : revoking, topicId, p);
  }
  for (const [topicId, partitions] of target) {
    for (const p of partitions) {
      if (member.assignedPartitions.get(topicId)?.has(p) === true) continue;
      // Its own partitions pending revocation are free for it to take back.
      const free = group.partitionEpoch(topicId, p) === -1 || member.partitionsPendingRevocation.get(topicId)?.has(p) === true;
      if (free) add(assignable, topicId, p);
      else unreleased = true;
    }
  }
  if (revoking.size > 0) {
    return { memberEpoch: member.memberEpoch, previousMemberEpoch: member.previousMemberEpoch, state: MemberState.UNREVOKED_PARTITIONS, assignedPartitions: kept, partitionsPendingRevocation: revoking };
  }
  for (const [topicId, partitions] of assignable) for (const p of partitions) add(kept, topicId, p);
  return {
    memberEpoch: epoch,
    previousMemberEpoch: epoch === member.memberEpoch ? member.previousMemberEpoch : member.memberEpoch,
    state: unreleased ? MemberState.UNRELEASED_PARTITIONS : MemberState.STABLE,
    assignedPartitions: kept,
    partitionsPendingRevocation: new Map(),
  };
}

function add(into: Map<string, Set<number>>, topicId: string, p: number): void {
  let set = into.get(topicId);
  if (set === undefined) into.set(topicId, (set = new Set()));
  set.add(p);
}

export function samePartitions(a: TopicPartitions, b: TopicPartitions): boolean {
  const count = (tp: TopicPartitions) => [...tp.values()].reduce((n, s) => n + s.size, 0);
  if (count(a) !== count(b)) return false;
  for (const [t, ps] of a) for (const p of ps) if (b.get(t)?.has(p) !== true) return false;
  return true;
}

export function sameAssignment(a: MemberAssignment, b: MemberAssignment): boolean {
  return a.memberEpoch === b.memberEpoch && a.previousMemberEpoch === b.previousMemberEpoch && a.state === b.state
    && samePartitions(a.assignedPartitions, b.assignedPartitions) && samePartitions(a.partitionsPendingRevocation, b.partitionsPendingRevocation);
}
