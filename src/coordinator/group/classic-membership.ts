/**
 * Heartbeat and LeaveGroup for classic groups (Kafka's classicGroupHeartbeat /
 * classicGroupLeave). A heartbeat keeps the member's session: NONE while
 * CompletingRebalance/Stable, REBALANCE_IN_PROGRESS while PreparingRebalance (the member
 * must rejoin), UNKNOWN_MEMBER_ID in an Empty group, ILLEGAL_GENERATION for an old
 * generation. LeaveGroup removes members (v3+: several, each by member id and/or
 * group.instance.id, each with its own error) and rebalances the group.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { HeartbeatRequest } from '../../protocol/generated/heartbeat.ts';
import type { LeaveGroupResponseMemberResponse } from '../../protocol/generated/leave-group.ts';
import { joinError, type ClassicGroup } from './classic-group.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import { heartbeatKey, maybeCompleteJoinPhase, maybePrepareRebalanceOrCompleteJoin, rescheduleHeartbeat } from './classic-rebalance.ts';
import type { GroupShard } from './group-shard.ts';

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

export function heartbeat(shard: GroupShard, request: HeartbeatRequest): ErrorCodeValue {
  const group = shard.group(request.groupId);
  if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (group.is(DEAD)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const error = group.validateMember(request.memberId, request.groupInstanceId);
  if (error !== ErrorCode.NONE) return error;
  if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  if (group.is(EMPTY)) return ErrorCode.UNKNOWN_MEMBER_ID;
  rescheduleHeartbeat(shard, group, group.member(request.memberId)!);
  return group.is(PREPARING_REBALANCE) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
}

export interface LeavingMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
}

export type LeaveResult =
  | { readonly errorCode: ErrorCodeValue; readonly members: LeaveGroupResponseMemberResponse[] };

export function leaveGroup(shard: GroupShard, groupId: string, leaving: readonly LeavingMember[]): LeaveResult {
  const group = shard.group(groupId);
  if (group === undefined) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
  if (group.is(DEAD)) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
  const members = leaving.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, errorCode: leaveOne(shard, group, m) }));
  if (members.some((m) => m.errorCode === ErrorCode.NONE)) {
    const reason = 'explicit LeaveGroup request';
    if (group.is(STABLE) || group.is(COMPLETING_REBALANCE)) maybePrepareRebalanceOrCompleteJoin(shard, group, reason);
    else if (group.is(PREPARING_REBALANCE)) maybeCompleteJoinPhase(shard, group);
  }
  return { errorCode: ErrorCode.NONE, members };
}

function leaveOne(shard: GroupShard, group: ClassicGroup, m: LeavingMember): ErrorCodeValue {
  if (m.memberId === '') {
    // Administrative removal by group.instance.id alone.
    const memberId = m.groupInstanceId === null ? undefined : group.staticMemberId(m.groupInstanceId);
    if (memberId === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
    removeMember(shard, group, memberId);
    return ErrorCode.NONE;
  }
  if (group.isPendingMember(m.memberId)) {
    group.remove(m.memberId);
    shard.timer.cancel(heartbeatKey(group.groupId, m.memberId));
    return ErrorCode.NONE;
  }
  const error = group.validateMember(m.memberId, m.groupInstanceId);
  if (error === ErrorCode.NONE) removeMember(shard, group, m.memberId);
  return error;
}

function removeMember(shard: GroupShard, group: ClassicGroup, memberId: string): void {
  const member = group.member(memberId);
  shard.timer.cancel(heartbeatKey(group.groupId, memberId));
  if (member !== undefined) group.completeJoin(member, joinError(ErrorCode.UNKNOWN_MEMBER_ID, ''));
  group.remove(memberId);
}
