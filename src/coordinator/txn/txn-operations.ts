/**
 * The transaction coordinator's operations on one shard (Kafka's TransactionCoordinator):
 * InitProducerId for a transactional id, AddPartitionsToTxn (and its verify-only form),
 * EndTxn, the completion of a prepared transaction (markers, then CompleteCommit /
 * CompleteAbort), fencing, and the aborts of timed-out transactions.
 *
 * Every operation checks the metadata, `prepare`s a transition (txn-state.ts),
 * writes it, and answers once it is committed. Errors follow Kafka:
 *  - unknown transactional id / other producer id: INVALID_PRODUCER_ID_MAPPING;
 *  - another epoch: PRODUCER_FENCED;
 *  - a write in flight, or markers still being written: CONCURRENT_TRANSACTIONS;
 *  - an operation the state does not allow: INVALID_TXN_STATE.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { TxnMarkerChannel } from './txn-marker-channel.ts';
import { EPOCH_EXHAUSTED_AT, NO_PRODUCER_EPOCH, NO_PRODUCER_ID, parseTpKey, TxnMetadata, type TopicPartitionKey } from './txn-metadata.ts';
import type { TxnShard } from './txn-shard.ts';
import { completionOf, TxnState } from './txn-state.ts';

const { EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT, DEAD } = TxnState;
/** Kafka's Short.MAX_VALUE: a fence never bumps past it. */
const EPOCH_MAX = 0x7fff;

export interface TxnOperationsContext {
  generateProducerId(): Promise<number>;
  readonly markers: TxnMarkerChannel;
  /** Background work (completions, timeout aborts, id expiry); whenIdle waits for it. */
  readonly completions: Set<Promise<void>>;
}

export interface InitResult {
  readonly errorCode: ErrorCodeValue;
  readonly producerId: number;
  readonly producerEpoch: number;
}

const initError = (errorCode: ErrorCodeValue): InitResult => ({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH });

/** Completions in progress (one per transaction), so a resume never runs twice. */
const completing = new WeakSet<TxnMetadata>();

export async function initProducerId(
  ctx: TxnOperationsContext, shard: TxnShard, transactionalId: string, timeoutMs: number, expected: { producerId: number; producerEpoch: number } | null,
): Promise<InitResult> {
  let m = shard.get(transactionalId);
  if (m === undefined) {
    let producerId: number;
    try {
      producerId = await ctx.generateProducerId();
    } catch {
      return initError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    }
    m = shard.get(transactionalId) ?? newMetadata(shard, transactionalId, producerId, timeoutMs);
  }
  if (m.pending !== null) return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
  if (expected !== null && !isExpectedProducer(m, expected)) return initError(ErrorCode.PRODUCER_FENCED);
  switch (m.state) {
    case ONGOING: {
      // A new instance: fence the old one, abort its transaction; the client retries.
      const error = await abortOngoing(ctx, shard, m);
      return initError(error === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : error);
    }
    case EMPTY:
    case COMPLETE_COMMIT:
    case COMPLETE_ABORT:
      return bumpEpoch(ctx, shard, m, timeoutMs, expected);
    default:
      return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
  }
}

function newMetadata(shard: TxnShard, transactionalId: string, producerId: number, timeoutMs: number): TxnMetadata {
  const m = new TxnMetadata(transactionalId, {
    producerId, previousProducerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, lastProducerEpoch: NO_PRODUCER_EPOCH,
    timeoutMs, state: EMPTY, partitions: new Set(), txnStartTimestampMs: -1, txnLastUpdateTimestampMs: shard.now(),
  });
  shard.add(m);
  return m;
}

/**
 * KIP-360 (Kafka's isValidProducerId): a producer that names its id/epoch is accepted
 * when the metadata was just created (epoch -1: e.g. an idempotent producer turning
 * transactional), when it names the current producer id (its epoch is checked at the
 * bump), or the previous id after an exhausted epoch (a retried bump).
 */
function isExpectedProducer(m: TxnMetadata, expected: { producerId: number; producerEpoch: number }): boolean {
  return m.producerEpoch === NO_PRODUCER_EPOCH || expected.producerId === m.producerId
    || (expected.producerId === m.previousProducerId && expected.producerEpoch >= EPOCH_EXHAUSTED_AT);
}

/**
 * Kafka's prepareIncrementProducerEpoch: an expected epoch equal to the current one (or
 * none) bumps it; equal to the previous one is a retry of a bump that succeeded (answered
 * with the current epoch, nothing written); any other is PRODUCER_FENCED.
 */
async function bumpEpoch(
  ctx: TxnOperationsContext, shard: TxnShard, m: TxnMetadata, timeoutMs: number, expected: { producerId: number; producerEpoch: number } | null,
): Promise<InitResult> {
  if (expected !== null && expected.producerId === m.producerId && m.producerEpoch !== NO_PRODUCER_EPOCH && expected.producerEpoch !== m.producerEpoch) {
    if (expected.producerEpoch === m.lastProducerEpoch) return { errorCode: ErrorCode.NONE, producerId: m.producerId, producerEpoch: m.producerEpoch };
    return initError(ErrorCode.PRODUCER_FENCED);
  }
  let { producerId, previousProducerId } = m;
  let producerEpoch = m.producerEpoch + 1;
  if (m.epochExhausted) {
    try {
      previousProducerId = m.producerId;
      producerId = await ctx.generateProducerId();
      producerEpoch = 0;
    } catch {
      return initError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    }
    if (m.pending !== null) return initError(ErrorCode.CONCURRENT_TRANSACTIONS);
  }
  const transit = m.prepare({
    state: EMPTY, producerId, previousProducerId, producerEpoch, lastProducerEpoch: m.producerEpoch, timeoutMs,
    partitions: new Set(), txnStartTimestampMs: -1, txnLastUpdateTimestampMs: shard.now(),
  });
  const written = await shard.write(m, transit);
  return written.ok ? { errorCode: ErrorCode.NONE, producerId, producerEpoch } : initError(written.error);
}

/** The checks every client operation on an existing transaction starts with. */
export function checkProducer(m: TxnMetadata | undefined, producerId: number, producerEpoch: number): ErrorCodeValue {
  if (m === undefined || m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (m.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
  if (m.pending !== null || m.state === PREPARE_COMMIT || m.state === PREPARE_ABORT) return ErrorCode.CONCURRENT_TRANSACTIONS;
  if (m.state === DEAD) return ErrorCode.INVALID_TXN_STATE;
  return ErrorCode.NONE;
}

/** AddPartitionsToTxn / AddOffsetsToTxn: the transaction becomes (or stays) Ongoing with these partitions. */
export async function addPartitions(
  shard: TxnShard, transactionalId: string, producerId: number, producerEpoch: number, partitions: readonly TopicPartitionKey[],
): Promise<ErrorCodeValue> {
  const m = shard.get(transactionalId);
  const error = checkProducer(m, producerId, producerEpoch);
  if (error !== ErrorCode.NONE) return error;
  const meta = m!;
  if (meta.state === ONGOING && partitions.every((p) => meta.partitions.has(p))) return ErrorCode.NONE;
  const now = shard.now();
  const transit = meta.prepare({
    state: ONGOING,
    partitions: new Set([...meta.partitions, ...partitions]),
    txnStartTimestampMs: meta.state === ONGOING ? meta.txnStartTimestampMs : now,
    txnLastUpdateTimestampMs: now,
  });
  const written = await shard.write(meta, transit);
  return written.ok ? ErrorCode.NONE : written.error;
}

/** AddPartitionsToTxn verifyOnly (KIP-890): per partition, NONE when it is in the ongoing transaction. */
export function verifyPartitions(
  shard: TxnShard, transactionalId: string, producerId: number, producerEpoch: number, partitions: readonly TopicPartitionKey[],
): Map<TopicPartitionKey, ErrorCodeValue> {
  const m = shard.get(transactionalId);
  const base = m === undefined || m.producerId !== producerId ? ErrorCode.INVALID_PRODUCER_ID_MAPPING
    : m.producerEpoch !== producerEpoch ? ErrorCode.PRODUCER_FENCED : ErrorCode.NONE;
  const ongoing = m?.state === ONGOING && m.pending !== PREPARE_COMMIT && m.pending !== PREPARE_ABORT;
  return new Map(partitions.map((p) => [p, base !== ErrorCode.NONE ? base : ongoing && m!.partitions.has(p) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE]));
}

/** EndTxn from the client. */
export async function endTxn(
  ctx: TxnOperationsContext, shard: TxnShard, transactionalId: string, producerId: number, producerEpoch: number, commit: boolean,
): Promise<ErrorCodeValue> {
  const m = shard.get(transactionalId);
  if (m === undefined || m.producerId !== producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  if (m.producerEpoch !== producerEpoch) return ErrorCode.PRODUCER_FENCED;
  if (m.pending !== null) return ErrorCode.CONCURRENT_TRANSACTIONS;
  switch (m.state) {
    case ONGOING:
      return prepareEnd(ctx, shard, m, commit, m.producerEpoch);
    case COMPLETE_COMMIT:
      return commit ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
    case COMPLETE_ABORT:
      return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.NONE;
    case PREPARE_COMMIT:
      return commit ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
    case PREPARE_ABORT:
      return commit ? ErrorCode.INVALID_TXN_STATE : ErrorCode.CONCURRENT_TRANSACTIONS;
    default:
      return ErrorCode.INVALID_TXN_STATE;
  }
}

/**
 * Aborts an ongoing transaction on the coordinator's own initiative (a new instance
 * fenced the producer, or the transaction timed out): the epoch is bumped first, so the
 * old producer's later requests are PRODUCER_FENCED and its late writes refused.
 */
export function abortOngoing(ctx: TxnOperationsContext, shard: TxnShard, m: TxnMetadata): Promise<ErrorCodeValue> {
  if (m.state !== ONGOING || m.pending !== null) return Promise.resolve(ErrorCode.CONCURRENT_TRANSACTIONS);
  return prepareEnd(ctx, shard, m, false, Math.min(m.producerEpoch + 1, EPOCH_MAX));
}

/** Writes PrepareCommit/PrepareAbort, answers, then completes in the background. */
async function prepareEnd(ctx: TxnOperationsContext, shard: TxnShard, m: TxnMetadata, commit: boolean, epoch: number): Promise<ErrorCodeValue> {
  const transit = m.prepare({
    state: commit ? PREPARE_COMMIT : PREPARE_ABORT,
    producerEpoch: epoch,
    lastProducerEpoch: epoch === m.producerEpoch ? m.lastProducerEpoch : m.producerEpoch,
    txnLastUpdateTimestampMs: shard.now(),
  });
  const written = await shard.write(m, transit);
  if (!written.ok) return written.error;
  startCompletion(ctx, shard, m);
  return ErrorCode.NONE;
}

/** Runs completeTransaction in the background, tracked in ctx.completions. */
export function startCompletion(ctx: TxnOperationsContext, shard: TxnShard, m: TxnMetadata): void {
  track(ctx, completeTransaction(ctx, shard, m));
}

/** Runs `work` in the background, tracked in ctx.completions (whenIdle waits for it). */
export function track(ctx: TxnOperationsContext, work: Promise<unknown>): void {
  const run = work.then(() => {}, () => {});
  ctx.completions.add(run);
  void run.finally(() => ctx.completions.delete(run));
}

/**
 * Markers to every partition of a prepared transaction, then its Complete state with no
 * partitions. Also run for prepared transactions found when a shard loads.
 */
export async function completeTransaction(ctx: TxnOperationsContext, shard: TxnShard, m: TxnMetadata): Promise<void> {
  const target = completionOf(m.state);
  if (target === null || completing.has(m)) return;
  completing.add(m);
  try {
    const marker = { producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: shard.coordinatorEpoch, commit: target === COMPLETE_COMMIT };
    const delivered = await ctx.markers.send(marker, [...m.partitions].map(parseTpKey), () => shard.ctx.isActive());
    if (!delivered || m.pending !== null) return;
    const transit = m.prepare({ state: target, partitions: new Set(), txnLastUpdateTimestampMs: shard.now() });
    const written = await shard.write(m, transit);
    if (!written.ok) shard.ctx.logger.warn({ transactionalId: m.transactionalId, error: written.error }, 'writing the completed transaction failed; the next coordinator load completes it');
  } catch (err) {
    shard.ctx.logger.error({ err, transactionalId: m.transactionalId }, 'completing a transaction failed');
  } finally {
    completing.delete(m);
  }
}

/** Aborts (with an epoch bump) every ongoing transaction past its timeout; returns how many. */
export function abortTimedOutTransactions(ctx: TxnOperationsContext, shard: TxnShard): number {
  const now = shard.now();
  let count = 0;
  for (const m of shard.txns.values()) {
    if (!m.hasTimedOut(now)) continue;
    shard.ctx.logger.info({ transactionalId: m.transactionalId, producerId: m.producerId, timeoutMs: m.timeoutMs }, 'aborting a timed-out transaction');
    track(ctx, abortOngoing(ctx, shard, m));
    count++;
  }
  return count;
}
