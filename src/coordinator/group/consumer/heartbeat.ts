/**
 * ConsumerGroupHeartbeat (KIP-848; Kafka's GroupMetadataManager.consumerGroupHeartbeat):
 *
 *  1. validate the request (INVALID_REQUEST), the assignor (UNSUPPORTED_ASSIGNOR);
 *  2. leave: epoch -1 removes the member and bumps the group epoch; -2 (static member)
 *     keeps it, at epoch -2, with its assignment, until it rejoins or its session ends;
 *  3. join (epoch 0; v0: the server makes the member id, a Kafka Uuid): the group is created if needed (an empty classic group of that id is
 *     replaced; a non-empty one answers GROUP_ID_NOT_FOUND); a new member is refused past
 *     group.consumer.max.size; a static member takes over the assignment of the member
 *     that left with its instance id (UNRELEASED_INSTANCE_ID while that one is active);
 *     otherwise (epoch > 0) the member must exist (UNKNOWN_MEMBER_ID) at that epoch, or at
 *     its previous epoch owning only partitions it still has (FENCED_MEMBER_EPOCH);
 *  4. a changed subscription, a new member, or changed partition counts of subscribed
 *     topics bump the group epoch; then the target assignment is recomputed;
 *  5. the member is reconciled towards its target (current-assignment.ts);
 *  6. the records are written; the answer carries the member epoch, the heartbeat
 *     interval, and the assignment on a (re)join or full request, or when it changed.
 */
import { randomUuid } from '../../../cluster/uuid.ts';
import { ErrorCode, type ErrorCodeValue } from '../../../protocol/errors.ts';
import type {
  ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse, ConsumerGroupHeartbeatResponseAssignment,
} from '../../../protocol/generated/consumer-group-heartbeat.ts';
import type { GroupShard } from '../group-shard.ts';
import { groupMetadataTombstone } from '../records.ts';
import {
  ConsumerGroup, EMPTY_PARTITIONS, INITIAL_ASSIGNMENT, LEAVE_GROUP_MEMBER_EPOCH, LEAVE_GROUP_STATIC_MEMBER_EPOCH,
  type ConsumerGroupMember, type MemberMetadata,
} from './consumer-group.ts';
import { reconcile, sameAssignment, samePartitions } from './current-assignment.ts';
import {
  cancelTimers, ChangeBatch, fenceMember, removeMemberChanges, scheduleSessionTimeout, subscriptionMetadataChange,
  updateRebalanceTimeout, type TopicLookup,
} from './membership.ts';
import { targetAssignmentChanges } from './target-assignment.ts';

export type HeartbeatResult = Omit<ConsumerGroupHeartbeatResponse, 'throttleTimeMs'>;

export interface HeartbeatContext {
  readonly apiVersion: number;
  readonly clientId: string;
  readonly clientHost: string;
  readonly topics: TopicLookup;
}

export function heartbeatError(errorCode: ErrorCodeValue, errorMessage: string | null = null): HeartbeatResult {
  return { errorCode, errorMessage, memberId: null, memberEpoch: 0, heartbeatIntervalMs: 0, assignment: null };
}

class HeartbeatError extends Error {
  readonly code: ErrorCodeValue;
  constructor(code: ErrorCodeValue, message: string) {
    super(message);
    this.code = code;
  }
}

/** Kafka's throwIfConsumerGroupHeartbeatRequestIsInvalid. */
export function validateRequest(req: ConsumerGroupHeartbeatRequest, apiVersion: number, assignors: readonly string[]): HeartbeatResult | null {
  const invalid = (message: string) => heartbeatError(ErrorCode.INVALID_REQUEST, message);
  if (req.groupId === '') return invalid("GroupId can't be empty.");
  if (req.instanceId === '') return invalid("InstanceId can't be empty.");
  if (req.rackId === '') return invalid("RackId can't be empty.");
  if (apiVersion >= 1 && req.memberId === '') return invalid("MemberId can't be empty.");
  if (req.memberEpoch > 0 || req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH) {
    if (req.memberId === '') return invalid("MemberId can't be empty.");
  } else if (req.memberEpoch === 0) {
    if (req.rebalanceTimeoutMs === -1) return invalid('RebalanceTimeoutMs must be provided in first request.');
    if (req.topicPartitions === null || req.topicPartitions.length > 0) return invalid('TopicPartitions must be empty when (re-)joining.');
    if (req.subscribedTopicNames === null && req.subscribedTopicRegex === null) return invalid('Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.');
  } else if (req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    if (req.instanceId === null) return invalid("InstanceId can't be null.");
  } else {
    return invalid('MemberEpoch is invalid.');
  }
  // Regular-expression subscriptions (KIP-848 v1) are not supported by this broker.
  if (req.subscribedTopicRegex !== null) return invalid('SubscribedTopicRegex is not supported by this broker.');
  if (req.serverAssignor !== null && !assignors.includes(req.serverAssignor)) {
    return heartbeatError(ErrorCode.UNSUPPORTED_ASSIGNOR, `ServerAssignor ${req.serverAssignor} is not supported. Supported assignors: ${assignors.join(', ')}.`);
  }
  return null;
}

export async function consumerGroupHeartbeat(shard: GroupShard, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext): Promise<HeartbeatResult> {
  try {
    if (req.memberEpoch === LEAVE_GROUP_MEMBER_EPOCH || req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH) return await leave(shard, req, ctx);
    return await heartbeat(shard, req, ctx);
  } catch (err) {
    if (err instanceof HeartbeatError) return heartbeatError(err.code, err.message);
    throw err;
  }
}

function existingGroup(shard: GroupShard, groupId: string): ConsumerGroup {
  const group = shard.consumerGroup(groupId);
  if (group === undefined) throw new HeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} not found.`);
  return group;
}

function existingMember(group: ConsumerGroup, memberId: string): ConsumerGroupMember {
  const member = group.member(memberId);
  if (member === undefined) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Member ${memberId} is not a member of group ${group.groupId}.`);
  return member;
}

async function leave(shard: GroupShard, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext): Promise<HeartbeatResult> {
  const group = existingGroup(shard, req.groupId);
  let memberId = req.memberId;
  if (req.instanceId !== null) {
    const staticMember = group.staticMember(req.instanceId);
    if (staticMember === undefined) throw new HeartbeatError(ErrorCode.UNKNOWN_MEMBER_ID, `Instance id ${req.instanceId} is unknown.`);
    if (staticMember.memberId !== req.memberId) throw new HeartbeatError(ErrorCode.FENCED_INSTANCE_ID, `Instance id ${req.instanceId} belongs to another member.`);
    memberId = staticMember.memberId;
  }
  const member = existingMember(group, memberId);
  const written = req.memberEpoch === LEAVE_GROUP_STATIC_MEMBER_EPOCH
    ? await new ChangeBatch(shard).add({ kind: 'current-assignment', groupId: group.groupId, memberId, assignment: {
      ...member, memberEpoch: LEAVE_GROUP_STATIC_MEMBER_EPOCH, previousMemberEpoch: member.memberEpoch, partitionsPendingRevocation: EMPTY_PARTITIONS,
    } }).write()
    : await fenceMember(shard, group, memberId, ctx.topics, 'the member left');
  if (!written.ok) return heartbeatError(written.error);
  return { errorCode: ErrorCode.NONE, errorMessage: null, memberId, memberEpoch: req.memberEpoch, heartbeatIntervalMs: 0, assignment: null };
}

/** The group for a (re)join, replacing an empty classic group of the same id (Kafka writes its tombstone). */
function groupForJoin(shard: GroupShard, groupId: string, batch: ChangeBatch): ConsumerGroup {
  const existing = shard.consumerGroup(groupId);
  if (existing !== undefined) return existing;
  const classic = shard.group(groupId);
  if (classic !== undefined && classic.size > 0) throw new HeartbeatError(ErrorCode.GROUP_ID_NOT_FOUND, `Group ${groupId} is not a consumer group.`);
  if (classic !== undefined) {
    shard.removeGroup(groupId);
    batch.addRecord(groupMetadataTombstone(groupId));
  }
  // Created in memory at epoch 0; the joining member's epoch bump writes its first record.
  return shard.getOrCreateConsumerGroup(groupId);
}

/** Kafka's throwIfMemberEpochIsInvalid. */
function validatedMember(group: ConsumerGroup, req: ConsumerGroupHeartbeatRequest): ConsumerGroupMember {
  const member = existingMember(group, req.memberId);
  if (req.memberEpoch === member.memberEpoch) return member;
  const fenced = new HeartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, `The consumer group member has a greater member epoch (${member.memberEpoch}) than the one known by the member (${req.memberEpoch}).`);
  if (req.memberEpoch > member.memberEpoch) throw new HeartbeatError(ErrorCode.FENCED_MEMBER_EPOCH, `The consumer group member has a smaller member epoch (${member.memberEpoch}) than the one known by the member (${req.memberEpoch}).`);
  // The member may have missed the answer that moved it on: it may keep its previous
  // epoch as long as it owns nothing it was not given.
  if (req.memberEpoch !== member.previousMemberEpoch || req.topicPartitions === null) throw fenced;
  const ownsOnlyAssigned = req.topicPartitions.every((t) => t.partitions.every((p) => member.assignedPartitions.get(t.topicId)?.has(p) === true));
  if (!ownsOnlyAssigned) throw fenced;
  return member;
}

/** The member joining (epoch 0): new, rejoining, or a static member replacing its left predecessor. */
function memberForJoin(shard: GroupShard, group: ConsumerGroup, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext, batch: ChangeBatch): { member: ConsumerGroupMember; isNew: boolean } {
  const memberId = ctx.apiVersion === 0 && req.memberId === '' ? randomUuid() : req.memberId;
  const existing = group.member(memberId);
  if (existing !== undefined) return { member: existing, isNew: false };
  if (group.members.size >= shard.consumerConfig.maxSize) {
    throw new HeartbeatError(ErrorCode.GROUP_MAX_SIZE_REACHED, `The consumer group has reached its maximum capacity of ${shard.consumerConfig.maxSize} members.`);
  }
  const previous = req.instanceId === null ? undefined : group.staticMember(req.instanceId);
  if (previous === undefined) return { member: { ...newMetadata(memberId, req, ctx), ...INITIAL_ASSIGNMENT }, isNew: true };
  if (previous.memberEpoch !== LEAVE_GROUP_STATIC_MEMBER_EPOCH) {
    throw new HeartbeatError(ErrorCode.UNRELEASED_INSTANCE_ID, `Static member ${previous.memberId} with instance id ${req.instanceId} is not released.`);
  }
  // The new member takes over the old one's assignment (at the old epoch) and target.
  const target = group.targetAssignment.get(previous.memberId) ?? EMPTY_PARTITIONS;
  cancelTimers(shard, group.groupId, previous.memberId);
  batch.add(...removeMemberChanges(group.groupId, previous.memberId));
  const member: ConsumerGroupMember = { ...previous, ...newMetadata(memberId, req, ctx), memberEpoch: previous.previousMemberEpoch };
  batch.add(
    { kind: 'member', groupId: group.groupId, memberId, metadata: member },
    { kind: 'target-member', groupId: group.groupId, memberId, partitions: target },
    { kind: 'current-assignment', groupId: group.groupId, memberId, assignment: member },
  );
  return { member, isNew: false };
}

function newMetadata(memberId: string, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext): MemberMetadata {
  return {
    memberId, instanceId: req.instanceId, rackId: req.rackId, clientId: ctx.clientId, clientHost: ctx.clientHost,
    subscribedTopicNames: req.subscribedTopicNames ?? [], rebalanceTimeoutMs: req.rebalanceTimeoutMs, serverAssignor: req.serverAssignor,
  };
}

/** The member's metadata updated from the request (null fields keep the old value); null when unchanged. */
function updatedMetadata(member: ConsumerGroupMember, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext, isNew: boolean): MemberMetadata | null {
  const next: MemberMetadata = {
    memberId: member.memberId,
    instanceId: req.instanceId ?? member.instanceId,
    rackId: req.rackId ?? member.rackId,
    clientId: ctx.clientId,
    clientHost: ctx.clientHost,
    subscribedTopicNames: req.subscribedTopicNames === null ? member.subscribedTopicNames : [...req.subscribedTopicNames].sort(),
    rebalanceTimeoutMs: req.rebalanceTimeoutMs === -1 ? member.rebalanceTimeoutMs : req.rebalanceTimeoutMs,
    serverAssignor: req.serverAssignor ?? member.serverAssignor,
  };
  const same = !isNew && next.instanceId === member.instanceId && next.rackId === member.rackId && next.clientId === member.clientId
    && next.clientHost === member.clientHost && sameTopics(next.subscribedTopicNames, member.subscribedTopicNames)
    && next.rebalanceTimeoutMs === member.rebalanceTimeoutMs && next.serverAssignor === member.serverAssignor;
  return same ? null : next;
}

function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((t, i) => t === b[i]);
}

async function heartbeat(shard: GroupShard, req: ConsumerGroupHeartbeatRequest, ctx: HeartbeatContext): Promise<HeartbeatResult> {
  const batch = new ChangeBatch(shard);
  const joining = req.memberEpoch === 0;
  const group = joining ? groupForJoin(shard, req.groupId, batch) : existingGroup(shard, req.groupId);
  const { member, isNew } = joining ? memberForJoin(shard, group, req, ctx, batch) : { member: validatedMember(group, req), isNew: false };
  const memberId = member.memberId;

  const metadata = updatedMetadata(member, req, ctx, isNew);
  let bump = isNew;
  if (metadata !== null) {
    batch.add({ kind: 'member', groupId: group.groupId, memberId, metadata });
    if (!sameTopics(metadata.subscribedTopicNames, member.subscribedTopicNames)) bump = true;
  }
  const subscription = subscriptionMetadataChange(group, ctx.topics);
  if (subscription !== null) {
    batch.add(subscription);
    bump = true;
  }
  if (bump) batch.add({ kind: 'group-epoch', groupId: group.groupId, epoch: group.groupEpoch + 1 });
  if (group.groupEpoch > group.assignmentEpoch) batch.add(...targetAssignmentChanges(group, shard.consumerConfig.assignors[0] ?? 'uniform'));

  const current = group.member(memberId)!;
  // A (re)joining member owns nothing.
  const next = reconcile(group, current, group.targetAssignment.get(memberId) ?? EMPTY_PARTITIONS, joining ? [] : req.topicPartitions);
  const startedRevoking = next.memberEpoch !== current.memberEpoch || next.state !== current.state;
  if (!sameAssignment(current, next)) batch.add({ kind: 'current-assignment', groupId: group.groupId, memberId, assignment: next });

  scheduleSessionTimeout(shard, group, memberId, ctx.topics);
  updateRebalanceTimeout(shard, group, memberId, ctx.topics, startedRevoking);
  const written = await batch.write();
  if (!written.ok) return heartbeatError(written.error);
  const updated = group.member(memberId) ?? current;
  // As Kafka: on (re)join, on a full request (the member sent its whole state), or when it changed.
  const fullRequest = req.rebalanceTimeoutMs !== -1 && req.subscribedTopicNames !== null && req.topicPartitions !== null;
  const sendAssignment = joining || fullRequest || !samePartitions(member.assignedPartitions, updated.assignedPartitions);
  return {
    errorCode: ErrorCode.NONE, errorMessage: null, memberId, memberEpoch: updated.memberEpoch,
    heartbeatIntervalMs: shard.consumerConfig.heartbeatIntervalMs,
    assignment: sendAssignment ? responseAssignment(updated) : null,
  };
}

function responseAssignment(member: ConsumerGroupMember): ConsumerGroupHeartbeatResponseAssignment {
  return { topicPartitions: [...member.assignedPartitions].map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((a, b) => a - b) })) };
}
