/**
 * OffsetCommit (Kafka's OffsetMetadataManager.commitOffset + ClassicGroup.validateOffsetCommit):
 *
 *  - a consumer-protocol (KIP-848) group: the member epoch is checked instead
 *    (consumer/offset-validation.ts);
 *  - unknown group: generation < 0 (standalone consumer or admin) creates an Empty
 *    "simple" group; otherwise GROUP_ID_NOT_FOUND (v9+) or ILLEGAL_GENERATION (older);
 *  - generation -1 with no member id is accepted only while the group is Empty
 *    (else UNKNOWN_MEMBER_ID); otherwise the member must exist (UNKNOWN_MEMBER_ID /
 *    FENCED_INSTANCE_ID) and the generation match (ILLEGAL_GENERATION); during
 *    CompletingRebalance: REBALANCE_IN_PROGRESS;
 *  - a commit keeps the member's session alive in Stable and PreparingRebalance;
 *  - metadata longer than offset.metadata.max.bytes: OFFSET_METADATA_TOO_LARGE for that
 *    partition; null metadata is stored as "";
 *  - the records are written and the offsets become visible once committed; a failed
 *    write answers every partition with the (coordinator-mapped) error.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { OffsetCommitRequest, OffsetCommitResponseOffsetCommitResponseTopic } from '../../protocol/generated/offset-commit.ts';
import type { ClassicGroup } from './classic-group.ts';
import { validateConsumerCommit } from './consumer/offset-validation.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import { rescheduleHeartbeat } from './classic-rebalance.ts';
import type { GroupShard } from './group-shard.ts';
import { offsetCommitRecord, type OffsetAndMetadata } from './records.ts';
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

/** First OffsetCommit version answering GROUP_ID_NOT_FOUND for an unknown group. */
const GROUP_ID_NOT_FOUND_MIN_VERSION = 9;
/** OffsetCommit's "use the broker's retention" marker. */
const DEFAULT_RETENTION_TIME = -1;

export type CommitResult = OffsetCommitResponseOffsetCommitResponseTopic[];

export async function commitOffsets(shard: GroupShard, request: OffsetCommitRequest, apiVersion: number): Promise<CommitResult> {
  const found = validatedGroup(shard, request, apiVersion);
  if (found.error !== ErrorCode.NONE) return answerAll(request, found.error);
  const group = found.group;
  if (group !== undefined && (group.is(STABLE) || group.is(PREPARING_REBALANCE))) {
    const member = group.member(request.memberId);
    if (member !== undefined) rescheduleHeartbeat(shard, group, member);
  }
  const now = shard.now();
  const expireTimestampMs = request.retentionTimeMs === DEFAULT_RETENTION_TIME ? -1 : now + request.retentionTimeMs;
  const records: CoordinatorRecord[] = [];
  const accepted: [string, number, OffsetAndMetadata][] = [];
  const response = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const metadata = p.committedMetadata ?? '';
      if (Buffer.byteLength(metadata) > shard.config.offsetMetadataMaxBytes) return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.OFFSET_METADATA_TOO_LARGE as ErrorCodeValue };
      const value: OffsetAndMetadata = { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestampMs: now, expireTimestampMs };
      records.push(offsetCommitRecord(request.groupId, topic.name, p.partitionIndex, value));
      accepted.push([topic.name, p.partitionIndex, value]);
      return { partitionIndex: p.partitionIndex, errorCode: ErrorCode.NONE as ErrorCodeValue };
    }),
  }));
  if (records.length === 0) return response;
  const result = await shard.write(records);
  if (!result.ok) {
    for (const t of response) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = result.error;
    return response;
  }
  for (const [topic, partition, value] of accepted) shard.offsets.put(request.groupId, topic, partition, value);
  return response;
}

function answerAll(request: OffsetCommitRequest, errorCode: ErrorCodeValue): CommitResult {
  return request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) }));
}

function validatedGroup(shard: GroupShard, request: OffsetCommitRequest, apiVersion: number): { group?: ClassicGroup; error: ErrorCodeValue } {
  const consumer = shard.consumerGroup(request.groupId);
  if (consumer !== undefined) return { error: validateConsumerCommit(consumer, request.memberId, request.generationIdOrMemberEpoch, apiVersion) };
  const existing = shard.group(request.groupId);
  if (existing === undefined) {
    if (request.generationIdOrMemberEpoch >= 0) {
      return { error: apiVersion >= GROUP_ID_NOT_FOUND_MIN_VERSION ? ErrorCode.GROUP_ID_NOT_FOUND : ErrorCode.ILLEGAL_GENERATION };
    }
    shard.logger.info({ groupId: request.groupId }, 'creating a simple group via a manual offset commit');
    return { group: shard.getOrCreateGroup(request.groupId), error: ErrorCode.NONE };
  }
  return { group: existing, error: validateCommit(existing, request) };
}

function validateCommit(group: ClassicGroup, request: OffsetCommitRequest): ErrorCodeValue {
  const generation = request.generationIdOrMemberEpoch;
  if (group.is(DEAD)) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (generation < 0 && group.is(EMPTY)) return ErrorCode.NONE;
  if (generation >= 0 || request.memberId !== '' || request.groupInstanceId !== null) {
    const error = group.validateMember(request.memberId, request.groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    if (generation !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
  } else if (!group.is(EMPTY)) {
    return ErrorCode.UNKNOWN_MEMBER_ID;
  }
  return group.is(COMPLETING_REBALANCE) ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE;
}
