/**
 * Appending a coordinator's records to its internal-topic partition and waiting until
 * they are committed (the HW covers them): the coordinator applies a change to its
 * in-memory state only after that, so what it answers is what a new leader would
 * replay. The append goes straight to the Partition as leader (no Produce request, so no
 * internal-topic refusal), with acks=-1 semantics: min.insync.replicas is checked before
 * the append, and the wait ends when the HW passes the last offset, the partition loses
 * leadership, or the timeout (offsets.commit.timeout.ms) expires.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { CompressionCodecId } from '../../protocol/records/batch-layout.ts';
import { buildRecordBatch } from '../../protocol/records/builder.ts';
import type { DelayedOperations } from '../../replication/delayed-operations.ts';
import type { Partition } from '../../replication/partition.ts';
import type { CoordinatorRecord } from './coordinator-record.ts';

export type AppendResult =
  | { readonly ok: true; readonly lastOffset: number }
  | { readonly ok: false; readonly error: ErrorCodeValue };

/** Who a transactional append belongs to (TxnOffsetCommit: offsets pending until the marker). */
export interface TransactionalProducer {
  readonly producerId: number;
  readonly producerEpoch: number;
}

export interface AppendOptions {
  readonly delayed: DelayedOperations;
  readonly timeoutMs: number;
  readonly nowMs: number;
  readonly compression: CompressionCodecId;
  /** Appends a transactional batch of this producer (no sequence: the coordinator writes it). */
  readonly transactional?: TransactionalProducer;
}

/** Appends `records` as one batch and resolves once they are committed (or failed). */
export async function appendCommitted(partition: Partition, records: readonly CoordinatorRecord[], opts: AppendOptions): Promise<AppendResult> {
  if (records.length === 0) return { ok: true, lastOffset: partition.logEndOffset - 1 };
  const batch = await buildRecordBatch({
    records: records.map((r) => ({ key: r.key, value: r.value })),
    compression: opts.compression,
    now: opts.nowMs,
    ...(opts.transactional === undefined ? {} : { ...opts.transactional, baseSequence: -1, isTransactional: true }),
  });
  const outcome = await partition.appendRecordsToLeader(batch, { requiredAcks: -1, origin: 'coordinator' });
  if (!outcome.ok) return { ok: false, error: outcome.failure.error };
  const required = outcome.info.lastOffset + 1;
  await opts.delayed.wait([partition], opts.timeoutMs, () => !partition.isLeader || partition.highWatermark >= required);
  if (!partition.isLeader) return { ok: false, error: ErrorCode.NOT_LEADER_OR_FOLLOWER };
  if (partition.highWatermark < required) return { ok: false, error: ErrorCode.REQUEST_TIMED_OUT };
  return { ok: true, lastOffset: outcome.info.lastOffset };
}
