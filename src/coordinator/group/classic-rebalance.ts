/**
 * The classic rebalance machinery shared by JoinGroup, SyncGroup, Heartbeat, LeaveGroup
 * and the timers (Kafka's GroupMetadataManager, classic part):
 *
 *  - session expiry: every member has a heartbeat timer; when it fires and the member is
 *    not parked in a rebalance (or is new), the member is removed and the group
 *    rebalances;
 *  - join phase: prepareRebalance moves the group to PreparingRebalance; the phase ends
 *    when every member has rejoined, or at the rebalance timeout (members that did not
 *    rejoin are dropped, a rejoined member becomes leader if the old one did not), or, for
 *    an Empty group's first rebalance, after group.initial.rebalance.delay.ms (extended
 *    while new members keep arriving, up to the rebalance timeout);
 *  - sync phase: the new generation waits for the leader's assignment; members that send
 *    no SyncGroup within the rebalance timeout are dropped and the group rebalances.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { GroupMetadataValue } from '../../protocol/generated/records/group-metadata-value.ts';
import type { Input } from '../../protocol/generated/runtime.ts';
import { joinError } from './classic-group.ts';
import type { ClassicGroup } from './classic-group.ts';
import { EMPTY_ASSIGNMENT, type ClassicGroupMember } from './classic-group-member.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import type { GroupShard } from './group-shard.ts';
import { groupMetadataRecord } from './records.ts';

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

export const heartbeatKey = (groupId: string, memberId: string): string => `heartbeat-${groupId}-${memberId}`;
export const joinKey = (groupId: string): string => `join-${groupId}`;
export const syncKey = (groupId: string): string => `sync-${groupId}`;

// ---- sessions ----------------------------------------------------------------------------

export function rescheduleHeartbeat(shard: GroupShard, group: ClassicGroup, member: ClassicGroupMember, timeoutMs = member.sessionTimeoutMs): void {
  const { groupId } = group;
  const { memberId } = member;
  shard.timer.schedule(heartbeatKey(groupId, memberId), timeoutMs, () => expireHeartbeat(shard, groupId, memberId));
}

/** A session (or a KIP-394 pending member's wait) ran out. */
export function expireHeartbeat(shard: GroupShard, groupId: string, memberId: string): void {
  const group = shard.group(groupId);
  if (group === undefined || group.is(DEAD)) return;
  if (group.isPendingMember(memberId)) {
    shard.logger.info({ groupId, memberId }, 'pending member removed after its session timeout');
    group.remove(memberId);
    if (group.is(PREPARING_REBALANCE) && group.hasAllMembersJoined()) completeJoin(shard, group);
    return;
  }
  const member = group.member(memberId);
  if (member === undefined || member.hasSatisfiedHeartbeat()) return;
  shard.logger.info({ groupId, memberId }, 'member session expired; removing it from the group');
  removeMemberAndUpdateGroup(shard, group, member, `removing member ${memberId} on heartbeat expiration`);
}

/** Removes a member (answering its parked JoinGroup UNKNOWN_MEMBER_ID) and moves the group on. */
export function removeMemberAndUpdateGroup(shard: GroupShard, group: ClassicGroup, member: ClassicGroupMember, reason: string): void {
  group.completeJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
  group.remove(member.memberId);
  shard.timer.cancel(heartbeatKey(group.groupId, member.memberId));
  if (group.is(STABLE) || group.is(COMPLETING_REBALANCE)) maybePrepareRebalanceOrCompleteJoin(shard, group, reason);
  else if (group.is(PREPARING_REBALANCE) && group.hasAllMembersJoined()) completeJoin(shard, group);
}

// ---- join phase --------------------------------------------------------------------------

export function maybePrepareRebalanceOrCompleteJoin(shard: GroupShard, group: ClassicGroup, reason: string): void {
  if (group.canRebalance()) prepareRebalance(shard, group, reason);
  else maybeCompleteJoinPhase(shard, group);
}

export function prepareRebalance(shard: GroupShard, group: ClassicGroup, reason: string): void {
  if (group.is(COMPLETING_REBALANCE)) resetAndPropagateAssignmentWithError(shard, group, ErrorCode.REBALANCE_IN_PROGRESS);
  removeSyncExpiration(shard, group);
  const initial = group.is(EMPTY);
  if (initial) {
    const delayMs = shard.config.initialRebalanceDelayMs;
    const remainingMs = Math.max(group.rebalanceTimeoutMs() - delayMs, 0);
    scheduleInitialRebalance(shard, group.groupId, delayMs, remainingMs);
  }
  group.transitionTo(PREPARING_REBALANCE, shard.now());
  shard.logger.info({ groupId: group.groupId, generation: group.generationId, reason }, 'preparing to rebalance group');
  if (!initial) maybeCompleteJoinElseSchedule(shard, group);
}

/** Completes the join phase when everyone rejoined; never during the delayed initial rebalance. */
export function maybeCompleteJoinPhase(shard: GroupShard, group: ClassicGroup): void {
  if (group.is(PREPARING_REBALANCE) && group.previousState !== EMPTY && group.hasAllMembersJoined()) completeJoin(shard, group);
}

function maybeCompleteJoinElseSchedule(shard: GroupShard, group: ClassicGroup): void {
  if (group.hasAllMembersJoined()) {
    completeJoin(shard, group);
    return;
  }
  const { groupId } = group;
  shard.timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () => completeJoinById(shard, groupId));
}

function scheduleInitialRebalance(shard: GroupShard, groupId: string, delayMs: number, remainingMs: number): void {
  shard.timer.schedule(joinKey(groupId), delayMs, () => {
    const group = shard.group(groupId);
    if (group === undefined) return;
    if (group.newMemberAdded && remainingMs !== 0) {
      group.newMemberAdded = false;
      const nextDelayMs = Math.min(shard.config.initialRebalanceDelayMs, remainingMs);
      scheduleInitialRebalance(shard, groupId, nextDelayMs, Math.max(remainingMs - delayMs, 0));
    } else {
      completeJoin(shard, group);
    }
  });
}

function completeJoinById(shard: GroupShard, groupId: string): void {
  const group = shard.group(groupId);
  if (group !== undefined) completeJoin(shard, group);
}

/**
 * Ends the join phase: drops dynamic members that did not rejoin, starts the next
 * generation, and answers every parked JoinGroup (the leader gets the member list). An
 * emptied group is persisted as Empty instead.
 */
export function completeJoin(shard: GroupShard, group: ClassicGroup): void {
  const { groupId } = group;
  shard.timer.cancel(joinKey(groupId));
  for (const m of group.notYetRejoinedMembers()) {
    if (m.isStatic) continue;
    group.remove(m.memberId);
    shard.timer.cancel(heartbeatKey(groupId, m.memberId));
  }
  if (group.is(DEAD)) return;
  if (!group.maybeElectNewJoinedLeader() && group.size > 0) {
    // Nobody rejoined: wait another rebalance timeout for sessions to expire.
    shard.timer.schedule(joinKey(groupId), group.rebalanceTimeoutMs(), () => completeJoinById(shard, groupId));
    return;
  }
  group.initNextGeneration(shard.now());
  if (group.is(EMPTY)) {
    shard.logger.info({ groupId, generation: group.generationId }, 'group is now empty');
    void storeGroup(shard, group, new Map()).then((result) => {
      // Harmless: an older generation stays on disk, with no members to restore. NOT_COORDINATOR
      // is the usual case (the partition moved or the broker is stopping).
      if (result.ok) return;
      const level = result.error === ErrorCode.NOT_COORDINATOR ? 'debug' : 'warn';
      shard.logger[level]({ groupId, error: result.error }, 'failed to write empty group metadata');
    });
    return;
  }
  shard.logger.info({ groupId, generation: group.generationId, members: group.size }, 'group stabilized a new generation');
  for (const member of group.members()) {
    group.completeJoin(member, group.joinResult(member.memberId, { withMembers: group.isLeader(member.memberId) }));
    rescheduleHeartbeat(shard, group, member);
    member.isNew = false;
    group.addPendingSyncMember(member.memberId);
  }
  schedulePendingSync(shard, group);
}

// ---- sync phase --------------------------------------------------------------------------

function schedulePendingSync(shard: GroupShard, group: ClassicGroup): void {
  const { groupId, generationId } = group;
  shard.timer.schedule(syncKey(groupId), group.rebalanceTimeoutMs(), () => expirePendingSync(shard, groupId, generationId));
}

function expirePendingSync(shard: GroupShard, groupId: string, generationId: number): void {
  const group = shard.group(groupId);
  if (group === undefined || group.generationId !== generationId) return;
  if (!(group.is(COMPLETING_REBALANCE) || group.is(STABLE)) || group.hasReceivedSyncFromAllMembers()) return;
  const missing = group.pendingSyncMembers();
  for (const memberId of missing) {
    group.remove(memberId);
    shard.timer.cancel(heartbeatKey(groupId, memberId));
  }
  prepareRebalance(shard, group, `removing ${missing.join(', ')} on pending sync request expiration`);
}

function removeSyncExpiration(shard: GroupShard, group: ClassicGroup): void {
  group.clearPendingSyncMembers();
  shard.timer.cancel(syncKey(group.groupId));
}

export function removePendingSyncMember(shard: GroupShard, group: ClassicGroup, memberId: string): void {
  group.removePendingSyncMember(memberId);
  const done = group.is(COMPLETING_REBALANCE) || group.is(STABLE) ? group.hasReceivedSyncFromAllMembers() : true;
  if (done) shard.timer.cancel(syncKey(group.groupId));
}

export function resetAndPropagateAssignmentWithError(shard: GroupShard, group: ClassicGroup, error: ErrorCodeValue): void {
  for (const member of group.members()) member.assignment = EMPTY_ASSIGNMENT;
  propagateAssignment(shard, group, error);
}

export function setAndPropagateAssignment(shard: GroupShard, group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): void {
  for (const member of group.members()) member.assignment = assignment.get(member.memberId) ?? EMPTY_ASSIGNMENT;
  propagateAssignment(shard, group, ErrorCode.NONE);
}

/** Answers every parked SyncGroup with the member's assignment (or the error). */
function propagateAssignment(shard: GroupShard, group: ClassicGroup, error: ErrorCodeValue): void {
  const ok = error === ErrorCode.NONE;
  for (const member of group.members()) {
    const answered = group.completeSync(member, {
      errorCode: error,
      protocolType: ok ? group.protocolType : null,
      protocolName: ok ? group.protocolName : null,
      assignment: member.assignment,
    });
    // Sessions that ran out while the member was parked were ignored; restart them.
    if (answered) rescheduleHeartbeat(shard, group, member);
  }
}

// ---- persistence -------------------------------------------------------------------------

/** The GroupMetadataValue of `group` with the given assignments (Kafka's newGroupMetadataRecord). */
export function groupMetadataValue(group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>): Input<GroupMetadataValue> {
  const protocol = group.protocolName;
  return {
    protocolType: group.protocolType ?? '',
    generation: group.generationId,
    protocol,
    leader: group.leaderId,
    currentStateTimestamp: group.currentStateTimestampMs,
    members: group.members().map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      rebalanceTimeout: m.rebalanceTimeoutMs, sessionTimeout: m.sessionTimeoutMs,
      subscription: protocol === null ? EMPTY_ASSIGNMENT : m.metadata(protocol),
      assignment: assignment.get(m.memberId) ?? EMPTY_ASSIGNMENT,
    })),
  };
}

/** Writes the group's metadata record; resolves once committed. */
export function storeGroup(shard: GroupShard, group: ClassicGroup, assignment: ReadonlyMap<string, Buffer>) {
  return shard.write([groupMetadataRecord(group.groupId, groupMetadataValue(group, assignment))]);
}
