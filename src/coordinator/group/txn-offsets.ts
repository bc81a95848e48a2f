/**
 * Transactional offsets (Kafka's OffsetMetadataManager pending transactional offsets):
 * TxnOffsetCommit writes OffsetCommit records to __consumer_offsets in a transactional
 * batch of the producer; they stay pending, invisible to OffsetFetch, until the
 * transaction's marker lands on this partition: COMMIT makes them the group's committed
 * offsets, ABORT drops them. Replay does the same with the transactional records and
 * markers it reads back.
 *
 * The pending offsets of a shard live beside it (a WeakMap keyed by the shard), so the
 * shard itself only needs its replay hook (`replayTransactional`).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { TxnOffsetCommitRequest, TxnOffsetCommitResponseTxnOffsetCommitResponseTopic } from '../../protocol/generated/txn-offset-commit.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../../cluster/topic-names.ts';
import type { LoadedRecord } from '../runtime/coordinator-record.ts';
import type { CoordinatorRuntime } from '../runtime/coordinator-runtime.ts';
import type { GroupShard } from './group-shard.ts';
import { decodeKey, decodeOffsetValue, offsetCommitRecord, type OffsetAndMetadata } from './records.ts';

/** Kafka's ControlRecordType.COMMIT (key bytes 2-3 of a control record). */
const CONTROL_TYPE_COMMIT = 1;

interface PendingOffset {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly value: OffsetAndMetadata;
}

/** Pending offsets of one shard: producer id -> "group/topic/partition" -> offset. */
export class PendingTxnOffsets {
  readonly #byProducer = new Map<number, Map<string, PendingOffset>>();

  add(producerId: number, offset: PendingOffset): void {
    let offsets = this.#byProducer.get(producerId);
    if (offsets === undefined) this.#byProducer.set(producerId, (offsets = new Map()));
    offsets.set(JSON.stringify([offset.group, offset.topic, offset.partition]), offset);
  }

  /** Removes and returns the producer's pending offsets. */
  take(producerId: number): PendingOffset[] {
    const offsets = this.#byProducer.get(producerId);
    this.#byProducer.delete(producerId);
    return offsets === undefined ? [] : [...offsets.values()];
  }

  /** Whether some transaction has an offset pending for the partition (OffsetFetch requireStable). */
  hasPending(group: string, topic: string, partition: number): boolean {
    const key = JSON.stringify([group, topic, partition]);
    for (const offsets of this.#byProducer.values()) if (offsets.has(key)) return true;
    return false;
  }
}

const pendingByShard = new WeakMap<GroupShard, PendingTxnOffsets>();

export function pendingTxnOffsets(shard: GroupShard): PendingTxnOffsets {
  let pending = pendingByShard.get(shard);
  if (pending === undefined) pendingByShard.set(shard, (pending = new PendingTxnOffsets()));
  return pending;
}

/** A marker for `producerId` landed on the shard's partition: apply or drop its offsets. */
export function completeTxnOffsets(shard: GroupShard, producerId: number, commit: boolean): void {
  for (const o of pendingTxnOffsets(shard).take(producerId)) {
    if (!commit) continue;
    shard.getOrCreateGroup(o.group);
    shard.offsets.put(o.group, o.topic, o.partition, o.value);
  }
}

/** A marker was written to `topic`-`partition`: if that is a __consumer_offsets partition led here, resolve its pending offsets. */
export function offsetsMarkerWritten(runtime: CoordinatorRuntime<GroupShard>, topic: string, partition: number, producerId: number, commit: boolean): void {
  if (topic !== CONSUMER_OFFSETS_TOPIC) return;
  const found = runtime.shard(partition);
  if (found.ok) completeTxnOffsets(found.shard, producerId, commit);
}

interface FetchedTopic {
  readonly name: string;
  readonly partitions: { partitionIndex: number; committedOffset: number; errorCode: number }[];
}

/**
 * OffsetFetch with requireStable (v7+, KIP-447): partitions with an offset pending in an
 * open transaction answer UNSTABLE_OFFSET_COMMIT (no offset) so the consumer retries
 * once the transaction ended.
 */
export function markUnstableOffsets(runtime: CoordinatorRuntime<GroupShard>, groupId: string, topics: readonly FetchedTopic[]): void {
  const found = runtime.shardFor(groupId);
  if (!found.ok) return;
  const pending = pendingTxnOffsets(found.shard);
  for (const t of topics) {
    for (const p of t.partitions) {
      if (!pending.hasPending(groupId, t.name, p.partitionIndex)) continue;
      p.errorCode = ErrorCode.UNSTABLE_OFFSET_COMMIT;
      p.committedOffset = -1;
    }
  }
}

/** Replay of transactional records and markers; true when the record was handled here. */
export function replayTransactional(shard: GroupShard, record: LoadedRecord): boolean {
  if (record.isControl) {
    if (record.key.length >= 4) completeTxnOffsets(shard, record.producerId, record.key.readInt16BE(2) === CONTROL_TYPE_COMMIT);
    return true;
  }
  if (!record.isTransactional || record.producerId < 0) return false;
  const key = decodeKey(record.key);
  if (key.type === 'offset' && record.value !== null) {
    pendingTxnOffsets(shard).add(record.producerId, { group: key.group, topic: key.topic, partition: key.partition, value: decodeOffsetValue(record.value) });
  }
  return true;
}

export type TxnCommitResult = TxnOffsetCommitResponseTxnOffsetCommitResponseTopic[];

/**
 * TxnOffsetCommit (Kafka's OffsetMetadataManager.commitTransactionalOffset): a known
 * group checks the member and generation when the request names them
 * (UNKNOWN_MEMBER_ID / FENCED_INSTANCE_ID / ILLEGAL_GENERATION); metadata over
 * offset.metadata.max.bytes is OFFSET_METADATA_TOO_LARGE; the offsets are written as part
 * of the producer's transaction and stay pending.
 */
export async function txnCommitOffsets(shard: GroupShard, request: TxnOffsetCommitRequest): Promise<TxnCommitResult> {
  const error = validateMember(shard, request);
  const now = shard.now();
  const accepted: PendingOffset[] = [];
  const response = request.topics.map((topic) => ({
    name: topic.name,
    partitions: topic.partitions.map((p) => {
      const metadata = p.committedMetadata ?? '';
      let errorCode: ErrorCodeValue = error;
      if (errorCode === ErrorCode.NONE && Buffer.byteLength(metadata) > shard.config.offsetMetadataMaxBytes) errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
      if (errorCode === ErrorCode.NONE) {
        const value: OffsetAndMetadata = { offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata, commitTimestampMs: now, expireTimestampMs: -1 };
        accepted.push({ group: request.groupId, topic: topic.name, partition: p.partitionIndex, value });
      }
      return { partitionIndex: p.partitionIndex, errorCode };
    }),
  }));
  if (accepted.length === 0) return response;
  if (!shard.ctx.isActive()) return failAccepted(response, ErrorCode.NOT_COORDINATOR);
  const written = await shard.ctx.append(
    accepted.map((o) => offsetCommitRecord(o.group, o.topic, o.partition, o.value)),
    { producerId: request.producerId, producerEpoch: request.producerEpoch },
  );
  if (!written.ok) return failAccepted(response, written.error);
  for (const o of accepted) pendingTxnOffsets(shard).add(request.producerId, o);
  return response;
}

function failAccepted(response: TxnCommitResult, errorCode: ErrorCodeValue): TxnCommitResult {
  for (const t of response) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = errorCode;
  return response;
}

function validateMember(shard: GroupShard, request: TxnOffsetCommitRequest): ErrorCodeValue {
  const group = shard.group(request.groupId);
  if (group === undefined) return ErrorCode.NONE;
  const namesMember = request.memberId !== '' || request.groupInstanceId !== null || request.generationId >= 0;
  if (!namesMember) return ErrorCode.NONE;
  const memberError = group.validateMember(request.memberId, request.groupInstanceId);
  if (memberError !== ErrorCode.NONE) return memberError;
  return request.generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
}
