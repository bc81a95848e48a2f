/**
 * SyncGroup for classic groups (Kafka's classicGroupSync): followers park until the
 * leader sends the assignment; the leader's assignment is written to __consumer_offsets
 * (every member present, missing ones with an empty assignment) and, once committed and
 * if the group is still in the same generation's CompletingRebalance, handed to every
 * parked member and the group becomes Stable. In Stable a member just gets its current
 * assignment. Assignments are always bytes, empty when there is none (never null).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { SyncGroupRequest } from '../../protocol/generated/sync-group.ts';
import { syncError, type ClassicGroup } from './classic-group.ts';
import { EMPTY_ASSIGNMENT, type SyncResult } from './classic-group-member.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import {
  maybePrepareRebalanceOrCompleteJoin, removePendingSyncMember, resetAndPropagateAssignmentWithError, setAndPropagateAssignment, storeGroup,
} from './classic-rebalance.ts';
import type { GroupShard } from './group-shard.ts';

const { PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

export function syncGroup(shard: GroupShard, request: SyncGroupRequest): Promise<SyncResult> {
  const group = shard.group(request.groupId);
  if (group === undefined || group.is(ClassicGroupState.EMPTY)) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
  const error = validateSync(group, request);
  if (error !== ErrorCode.NONE) return Promise.resolve(syncError(error));
  if (group.is(PREPARING_REBALANCE)) return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
  const member = group.member(request.memberId)!;
  if (group.is(STABLE)) {
    removePendingSyncMember(shard, group, member.memberId);
    return Promise.resolve({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
  }
  // CompletingRebalance: park until the leader's assignment is stored.
  const { promise, resolve } = Promise.withResolvers<SyncResult>();
  member.awaitingSync = resolve;
  removePendingSyncMember(shard, group, member.memberId);
  if (group.isLeader(member.memberId)) storeLeaderAssignment(shard, group, request);
  return promise;
}

function validateSync(group: ClassicGroup, request: SyncGroupRequest): ErrorCodeValue {
  if (group.is(DEAD)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  const error = group.validateMember(request.memberId, request.groupInstanceId);
  if (error !== ErrorCode.NONE) return error;
  if (request.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  if (inconsistent(request.protocolType, group.protocolType) || inconsistent(request.protocolName, group.protocolName)) {
    return ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
  }
  return ErrorCode.NONE;
}

/** v5+ send protocolType/protocolName; a mismatch with the group's is an error. */
function inconsistent(requested: string | null, current: string | null): boolean {
  return requested !== null && current !== null && requested !== current;
}

function storeLeaderAssignment(shard: GroupShard, group: ClassicGroup, request: SyncGroupRequest): void {
  const assignment = new Map<string, Buffer>();
  // Copied out of the request frame: the group keeps them.
  for (const a of request.assignments) assignment.set(a.memberId, Buffer.from(a.assignment));
  for (const m of group.members()) if (!assignment.has(m.memberId)) assignment.set(m.memberId, EMPTY_ASSIGNMENT);
  void storeGroup(shard, group, assignment).then((result) => {
    // Another member may have joined meanwhile: act only on the same generation.
    if (!group.is(COMPLETING_REBALANCE) || group.generationId !== request.generationId) return;
    if (!result.ok) {
      resetAndPropagateAssignmentWithError(shard, group, result.error);
      maybePrepareRebalanceOrCompleteJoin(shard, group, `error ${result.error} storing the group assignment`);
      return;
    }
    setAndPropagateAssignment(shard, group, assignment);
    group.transitionTo(STABLE, shard.now());
  });
}
