/**
 * JoinGroup for classic groups (Kafka's GroupMetadataManager.classicGroupJoin): creates
 * the group on a first join with an empty member id; KIP-394 (v4+): a new dynamic member
 * gets MEMBER_ID_REQUIRED with its id and is kept "pending" for one session timeout;
 * KIP-345 static members (group.instance.id) rejoining with an unknown member id take
 * over their old member (fencing the old id), without a rebalance when the group is
 * Stable and the selected protocol stays the same; group.max.size; protocol type and
 * protocol checks (INCONSISTENT_GROUP_PROTOCOL). The answer comes when the join phase
 * completes (see classic-rebalance.ts), or at once for errors and for members whose
 * rejoin changes nothing.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { JoinGroupRequest } from '../../protocol/generated/join-group.ts';
import { joinError, type ClassicGroup } from './classic-group.ts';
import { ClassicGroupMember, type JoinResult, type MemberProtocol } from './classic-group-member.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import {
  heartbeatKey, maybeCompleteJoinPhase, maybePrepareRebalanceOrCompleteJoin, prepareRebalance, rescheduleHeartbeat, storeGroup, expireHeartbeat,
} from './classic-rebalance.ts';
import type { GroupShard } from './group-shard.ts';

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

/** First JoinGroup version that requires a known member id (KIP-394). */
const MEMBER_ID_REQUIRED_MIN_VERSION = 4;
/** First JoinGroup version with skipAssignment (KIP-814). */
const SKIP_ASSIGNMENT_MIN_VERSION = 9;

export interface JoinContext {
  readonly apiVersion: number;
  readonly clientId: string;
  readonly clientHost: string;
}

type Resolve = (result: JoinResult) => void;

interface Join {
  readonly shard: GroupShard;
  readonly group: ClassicGroup;
  readonly request: JoinGroupRequest;
  readonly protocols: readonly MemberProtocol[];
  readonly ctx: JoinContext;
  readonly resolve: Resolve;
}

export function joinGroup(shard: GroupShard, request: JoinGroupRequest, ctx: JoinContext): Promise<JoinResult> {
  const { promise, resolve } = Promise.withResolvers<JoinResult>();
  const isUnknownMember = request.memberId === '';
  let group = shard.group(request.groupId);
  if (group === undefined) {
    if (!isUnknownMember) return Promise.resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, request.memberId));
    group = shard.getOrCreateGroup(request.groupId);
  }
  // Protocol metadata is copied out of the request frame: the group keeps it.
  const protocols = request.protocols.map((p) => ({ name: p.name, metadata: Buffer.from(p.metadata) }));
  const join: Join = { shard, group, request, protocols, ctx, resolve };
  if (!acceptJoiningMember(shard, group, request.memberId)) {
    const existing = group.member(request.memberId);
    if (existing !== undefined) group.completeJoin(existing, joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
    group.remove(request.memberId);
    shard.timer.cancel(heartbeatKey(group.groupId, request.memberId));
    resolve(joinError(ErrorCode.GROUP_MAX_SIZE_REACHED, ''));
  } else if (isUnknownMember) {
    joinNewMember(join);
  } else {
    joinExistingMember(join);
  }
  return promise;
}

/** Kafka's acceptJoiningMember: group.max.size counts waiting members while rebalancing. */
function acceptJoiningMember(shard: GroupShard, group: ClassicGroup, memberId: string): boolean {
  const max = shard.config.maxSize;
  switch (group.state) {
    case EMPTY:
    case DEAD:
      return true;
    case PREPARING_REBALANCE:
      return group.member(memberId)?.isAwaitingJoin === true || group.awaitingJoinCount < max;
    default:
      return group.hasMember(memberId) || group.size < max;
  }
}

function supports(join: Join): boolean {
  return join.group.supportsProtocols(join.request.protocolType, join.protocols.map((p) => p.name));
}

function joinNewMember(join: Join): void {
  const { group, request, ctx, resolve, shard } = join;
  if (group.is(DEAD)) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, ''));
  if (!supports(join)) return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, ''));
  const newMemberId = group.generateMemberId(ctx.clientId, request.groupInstanceId);
  if (request.groupInstanceId !== null) {
    const existing = group.staticMemberId(request.groupInstanceId);
    if (existing !== undefined) return replaceStaticMember(join, existing, newMemberId);
    return addMemberThenRebalanceOrCompleteJoin(join, newMemberId);
  }
  if (ctx.apiVersion >= MEMBER_ID_REQUIRED_MIN_VERSION) {
    group.addPendingMember(newMemberId);
    const { groupId } = group;
    shard.timer.schedule(heartbeatKey(groupId, newMemberId), request.sessionTimeoutMs, () => expireHeartbeat(shard, groupId, newMemberId));
    return resolve(joinError(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
  }
  addMemberThenRebalanceOrCompleteJoin(join, newMemberId);
}

function joinExistingMember(join: Join): void {
  const { group, request, resolve } = join;
  const { memberId } = request;
  if (group.is(DEAD)) return resolve(joinError(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
  if (!supports(join)) return resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
  if (group.isPendingMember(memberId)) return addMemberThenRebalanceOrCompleteJoin(join, memberId);
  const error = group.validateMember(memberId, request.groupInstanceId);
  if (error !== ErrorCode.NONE) return resolve(joinError(error, memberId));
  const member = group.member(memberId)!;
  const unchanged = member.matches(join.protocols);
  switch (group.state) {
    case PREPARING_REBALANCE:
      return updateMemberThenRebalanceOrCompleteJoin(join, member, 'member joins during PreparingRebalance');
    case COMPLETING_REBALANCE:
      // Same metadata: the member probably missed its JoinGroup answer; repeat it.
      if (unchanged) return resolve(group.joinResult(memberId, { withMembers: group.isLeader(memberId) }));
      return updateMemberThenRebalanceOrCompleteJoin(join, member, 'member metadata changed during CompletingRebalance');
    case STABLE:
      // The leader rejoining forces a rebalance (e.g. its topic metadata changed).
      if (group.isLeader(memberId) || !unchanged) return updateMemberThenRebalanceOrCompleteJoin(join, member, 'leader rejoin or metadata change while Stable');
      return resolve(group.joinResult(memberId, { withMembers: false }));
    default:
      return resolve(joinError(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
  }
}

function updateMemberThenRebalanceOrCompleteJoin(join: Join, member: ClassicGroupMember, reason: string): void {
  const { group, request } = join;
  group.updateMember(member, join.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, join.resolve);
  maybePrepareRebalanceOrCompleteJoin(join.shard, group, reason);
}

function addMemberThenRebalanceOrCompleteJoin(join: Join, memberId: string): void {
  const { shard, group, request, ctx } = join;
  const member = new ClassicGroupMember({
    memberId, groupInstanceId: request.groupInstanceId, clientId: ctx.clientId, clientHost: ctx.clientHost,
    rebalanceTimeoutMs: request.rebalanceTimeoutMs, sessionTimeoutMs: request.sessionTimeoutMs,
    protocolType: request.protocolType, protocols: join.protocols,
  });
  member.isNew = true;
  if (group.is(PREPARING_REBALANCE) && group.previousState === EMPTY) group.newMemberAdded = true;
  group.add(member, join.resolve);
  // A new member cannot heartbeat while parked; expire its JoinGroup if it goes away.
  rescheduleHeartbeat(shard, group, member, shard.config.newMemberJoinTimeoutMs);
  maybePrepareRebalanceOrCompleteJoin(shard, group, `adding new member ${memberId}`);
}

/** KIP-345: a known group.instance.id joined with an unknown member id. */
function replaceStaticMember(join: Join, oldMemberId: string, newMemberId: string): void {
  const { shard, group, request } = join;
  const instanceId = request.groupInstanceId!;
  const leaderBefore = group.leaderId;
  const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId);
  rescheduleHeartbeat(shard, group, member);
  const previous = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
  group.updateMember(member, join.protocols, request.rebalanceTimeoutMs, request.sessionTimeoutMs, join.resolve);
  if (group.is(STABLE)) {
    if (group.protocolName === group.selectProtocol()) return persistReplacedStaticMember(join, member, { oldMemberId, leaderBefore, ...previous });
    return maybePrepareRebalanceOrCompleteJoin(shard, group, `static member ${instanceId} rejoined with a protocol change`);
  }
  if (group.is(COMPLETING_REBALANCE)) return prepareRebalance(shard, group, `static member ${instanceId} rejoined during CompletingRebalance`);
  maybeCompleteJoinPhase(shard, group);
}

/** What a static member replacement changed, to revert it if it cannot be persisted. */
interface Replaced {
  readonly oldMemberId: string;
  readonly leaderBefore: string | null;
  readonly protocols: readonly MemberProtocol[];
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
}

/** Stable group, same protocol: persist the new member id and answer without a rebalance. */
function persistReplacedStaticMember(join: Join, member: ClassicGroupMember, previous: Replaced): void {
  const { shard, group, ctx } = join;
  const { oldMemberId, leaderBefore } = previous;
  const assignment = new Map(group.members().map((m) => [m.memberId, m.assignment]));
  void storeGroup(shard, group, assignment).then((result) => {
    if (!result.ok) {
      shard.logger.warn({ groupId: group.groupId, error: result.error }, 'persisting a replaced static member failed; reverting');
      group.updateMember(member, previous.protocols, previous.rebalanceTimeoutMs, previous.sessionTimeoutMs, null);
      const restored = group.replaceStaticMember(join.request.groupInstanceId!, member.memberId, oldMemberId);
      rescheduleHeartbeat(shard, group, restored);
      join.resolve({ ...group.joinResult('', { withMembers: false }), errorCode: result.error, leader: leaderBefore ?? '' });
      return;
    }
    const isLeader = group.isLeader(member.memberId);
    if (ctx.apiVersion >= SKIP_ASSIGNMENT_MIN_VERSION) {
      group.completeJoin(member, group.joinResult(member.memberId, { withMembers: isLeader, skipAssignment: isLeader }));
    } else {
      // Older clients would run an assignment if told they lead; report the old leader id.
      group.completeJoin(member, { ...group.joinResult(member.memberId, { withMembers: false }), leader: leaderBefore ?? '' });
    }
  });
}
