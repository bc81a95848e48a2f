/**
 * TransactionCoordinator: the broker's transaction coordinator (Kafka's
 * TransactionCoordinator + TransactionStateManager). A transactional id belongs to
 * partition `abs(javaHash(id)) % transaction.state.log.num.partitions` of
 * __transaction_state (created on first FindCoordinator); the leader of that partition
 * runs a TxnShard for it (loaded through the coordinator runtime).
 *
 * Public API used by the handlers: findCoordinator, initProducerId, addPartitions,
 * verifyPartitions, addOffsets, endTxn, describe, list; `verify` is the data path's
 * TransactionVerifier (KIP-890: may this producer's batch open a transaction on this
 * partition?). Timers per shard: timed-out transactions are aborted every
 * transaction.abort.timed.out.transaction.cleanup.interval.ms, idle transactional ids
 * removed (tombstoned) after transactional.id.expiration.ms.
 */
import { transactionStateTopicSpec } from '../../cluster/internal-topics.ts';
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from '../../cluster/topic-names.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { TransactionVerifier } from '../../replication/partition.ts';
import { CoordinatorRuntime, type ShardLookup } from '../runtime/coordinator-runtime.ts';
import { schedulerFor, type Scheduler } from '../runtime/timer.ts';
import { TxnMarkerChannel } from './txn-marker-channel.ts';
import type { MarkerPartition, TxnMarker } from './txn-markers.ts';
import { parseTpKey, tpKey, type TopicPartitionKey, type TxnMetadata } from './txn-metadata.ts';
import {
  abortTimedOutTransactions, addPartitions, endTxn, initProducerId, startCompletion, track, verifyPartitions,
  type InitResult, type TxnOperationsContext,
} from './txn-operations.ts';
import { TxnShard } from './txn-shard.ts';
import { removeExpiredTransactionalIds } from './txn-expiration.ts';
import { TxnState, type TxnStateName } from './txn-state.ts';
import type { CoordinatorDeps } from '../runtime/coordinator-deps.ts';

/** How long a state or marker write waits for replication (Kafka's request.timeout.ms default; Gregor has no such key). */
export const TXN_WRITE_TIMEOUT_MS = 30_000;

export interface TransactionCoordinatorOptions extends CoordinatorDeps {
  generateProducerId(): Promise<number>;
  /** The __consumer_offsets partition of a group (AddOffsetsToTxn). */
  offsetsPartitionFor(groupId: string): number;
  /** A marker landed on a partition (the group coordinator resolves pending offsets). */
  onMarkerWritten?(partition: MarkerPartition, marker: TxnMarker): void;
}

export type CoordinatorAnswer =
  | { readonly errorCode: typeof ErrorCode.NONE; readonly nodeId: number }
  | { readonly errorCode: ErrorCodeValue; readonly nodeId: -1 };

/** What DescribeTransactions / ListTransactions show of a transactional id. */
export interface TxnView {
  readonly transactionalId: string;
  readonly state: TxnStateName;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly timeoutMs: number;
  readonly txnStartTimestampMs: number;
  readonly partitions: readonly MarkerPartition[];
}

export class TransactionCoordinator implements TransactionVerifier {
  readonly runtime: CoordinatorRuntime<TxnShard>;
  readonly #opts: TransactionCoordinatorOptions;
  readonly #scheduler: Scheduler;
  readonly #ops: TxnOperationsContext;
  readonly #maxTimeoutMs: number;
  /** transaction.partition.verification.enable: false accepts every transactional append, as Kafka. */
  readonly #verification: boolean;

  constructor(opts: TransactionCoordinatorOptions) {
    this.#opts = opts;
    const config = opts.config;
    this.#scheduler = schedulerFor(opts.clock);
    this.#maxTimeoutMs = config.getNumber('transaction.max.timeout.ms');
    this.#verification = config.getBoolean('transaction.partition.verification.enable');
    this.#ops = {
      generateProducerId: () => opts.generateProducerId(),
      completions: new Set(),
      markers: new TxnMarkerChannel({
        replicas: opts.replicas, scheduler: this.#scheduler, logger: opts.logger,
        writeTimeoutMs: TXN_WRITE_TIMEOUT_MS, onMarkerWritten: opts.onMarkerWritten,
      }),
    };
    this.runtime = new CoordinatorRuntime<TxnShard>({
      topic: TRANSACTION_STATE_TOPIC,
      configuredPartitions: config.transactionStateLogNumPartitions,
      replicas: opts.replicas,
      metadata: opts.metadata,
      metadataApplied: opts.metadataApplied,
      topicSpec: () => transactionStateTopicSpec(config, Math.max(1, opts.metadata.image().brokerIds().length)),
      scheduler: this.#scheduler,
      logger: opts.logger,
      appendTimeoutMs: TXN_WRITE_TIMEOUT_MS,
      loadBufferBytes: config.getNumber('transaction.state.log.load.buffer.size'),
      compression: 0,
      createShard: (ctx) => new TxnShard(ctx, opts.replicas.getPartition(TRANSACTION_STATE_TOPIC, ctx.partitionIndex)?.leaderEpoch ?? 0, {
        onLoaded: (shard) => this.#onShardLoaded(shard),
      }),
    });
  }

  start(): Promise<void> {
    return this.runtime.start();
  }

  close(): Promise<void> {
    return this.runtime.close();
  }

  #onShardLoaded(shard: TxnShard): void {
    const config = this.#opts.config;
    const abortEvery = config.getNumber('transaction.abort.timed.out.transaction.cleanup.interval.ms');
    const expireEvery = config.getNumber('transaction.remove.expired.transaction.cleanup.interval.ms');
    const expirationMs = config.getNumber('transactional.id.expiration.ms');
    const abortLoop = (): void => {
      abortTimedOutTransactions(this.#ops, shard);
      shard.ctx.timer.schedule('abort-timed-out', abortEvery, abortLoop);
    };
    const expireLoop = (): void => {
      track(this.#ops, removeExpiredTransactionalIds(shard, expirationMs));
      shard.ctx.timer.schedule('expire-ids', expireEvery, expireLoop);
    };
    shard.ctx.timer.schedule('abort-timed-out', abortEvery, abortLoop);
    shard.ctx.timer.schedule('expire-ids', expireEvery, expireLoop);
    for (const m of shard.txns.values()) startCompletion(this.#ops, shard, m);
  }

  /** Resolves once no background work (completions, timeout aborts, id expiry) is running (tests, shutdown). */
  async whenIdle(): Promise<void> {
    while (this.#ops.completions.size > 0) await Promise.allSettled([...this.#ops.completions]);
  }

  /** The broker coordinating `transactionalId`; creates __transaction_state on first use. */
  async findCoordinator(transactionalId: string): Promise<CoordinatorAnswer> {
    const created = await this.runtime.ensureTopic();
    if (created !== ErrorCode.NONE) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 };
    const found = this.runtime.leaderFor(transactionalId);
    return found === null ? { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 } : { errorCode: ErrorCode.NONE, nodeId: found.leader };
  }

  /** InitProducerId with a transactional id (the handler deals with idempotent producers). */
  initProducerId(transactionalId: string, timeoutMs: number, expected: { producerId: number; producerEpoch: number } | null): Promise<InitResult> {
    const fail = (errorCode: ErrorCodeValue): Promise<InitResult> => Promise.resolve({ errorCode, producerId: -1, producerEpoch: -1 });
    if (transactionalId === '') return fail(ErrorCode.INVALID_REQUEST);
    if (timeoutMs <= 0 || timeoutMs > this.#maxTimeoutMs) return fail(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const found = this.runtime.shardFor(transactionalId);
    if (!found.ok) return fail(found.error);
    return initProducerId(this.#ops, found.shard, transactionalId, timeoutMs, expected);
  }

  addPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: readonly TopicPartitionKey[]): Promise<ErrorCodeValue> {
    const found = this.#shard(transactionalId);
    if (!found.ok) return Promise.resolve(found.error);
    return addPartitions(found.shard, transactionalId, producerId, producerEpoch, partitions);
  }

  verifyPartitions(transactionalId: string, producerId: number, producerEpoch: number, partitions: readonly TopicPartitionKey[]): Map<TopicPartitionKey, ErrorCodeValue> {
    const found = this.#shard(transactionalId);
    if (!found.ok) return new Map(partitions.map((p) => [p, found.error]));
    return verifyPartitions(found.shard, transactionalId, producerId, producerEpoch, partitions);
  }

  addOffsets(transactionalId: string, producerId: number, producerEpoch: number, groupId: string): Promise<ErrorCodeValue> {
    const partition = tpKey(CONSUMER_OFFSETS_TOPIC, this.#opts.offsetsPartitionFor(groupId));
    return this.addPartitions(transactionalId, producerId, producerEpoch, [partition]);
  }

  endTxn(transactionalId: string, producerId: number, producerEpoch: number, commit: boolean): Promise<ErrorCodeValue> {
    const found = this.#shard(transactionalId);
    if (!found.ok) return Promise.resolve(found.error);
    return endTxn(this.#ops, found.shard, transactionalId, producerId, producerEpoch, commit);
  }

  /** TransactionVerifier: the producer's ongoing transaction (same epoch) includes the partition. */
  verify(producerId: number, producerEpoch: number, topic: string, partition: number): ErrorCodeValue {
    if (!this.#verification) return ErrorCode.NONE;
    for (const shard of this.runtime.activeShards()) {
      const m = shard.byProducerId(producerId);
      if (m === undefined) continue;
      if (producerEpoch < m.producerEpoch) return ErrorCode.INVALID_PRODUCER_EPOCH;
      const verdict = verifyPartitions(shard, m.transactionalId, producerId, producerEpoch, [tpKey(topic, partition)]);
      return [...verdict.values()][0];
    }
    return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
  }

  // ---- admin (DescribeTransactions, ListTransactions) ---------------------------------

  /** The transactional id's state, or the error Kafka answers (TRANSACTIONAL_ID_NOT_FOUND, coordinator errors). */
  describe(transactionalId: string): { errorCode: ErrorCodeValue; txn: TxnView | null } {
    const found = this.runtime.shardFor(transactionalId);
    if (!found.ok) return { errorCode: found.error, txn: null };
    const m = found.shard.get(transactionalId);
    if (m === undefined || m.state === TxnState.DEAD) return { errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, txn: null };
    return { errorCode: ErrorCode.NONE, txn: view(m) };
  }

  /** Every transactional id this broker coordinates; COORDINATOR_LOAD_IN_PROGRESS while loading. */
  list(): { errorCode: ErrorCodeValue; txns: TxnView[] } {
    if (this.runtime.loadingPartitions().length > 0) return { errorCode: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, txns: [] };
    const txns = this.runtime.activeShards().flatMap((s) => [...s.txns.values()].filter((m) => m.state !== TxnState.DEAD).map(view));
    return { errorCode: ErrorCode.NONE, txns };
  }

  now(): number {
    return this.#scheduler.now();
  }

  #shard(transactionalId: string): ShardLookup<TxnShard> {
    if (transactionalId === '') return { ok: false, error: ErrorCode.INVALID_REQUEST, partition: -1 };
    return this.runtime.shardFor(transactionalId);
  }
}

function view(m: TxnMetadata): TxnView {
  const partitions = [...m.partitions].map(parseTpKey);
  return {
    transactionalId: m.transactionalId, state: m.state, producerId: m.producerId, producerEpoch: m.producerEpoch,
    timeoutMs: m.timeoutMs, txnStartTimestampMs: m.txnStartTimestampMs, partitions,
  };
}
