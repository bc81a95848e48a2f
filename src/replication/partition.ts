/**
 * Partition: one partition hosted on this broker (Kafka's Partition): its log, the leader
 * epoch and role the metadata image gives this node, the ISR, the follower end offsets
 * the leader has seen, and the high watermark derived from them.
 *
 * High watermark: the leader sets it to the minimum log end offset over the ISR (its own
 * LEO and each in-sync follower's last fetch offset), never backwards. With an ISR of
 * just this node that is the LEO right after each append. The last stable offset (LSO)
 * is the first offset of the oldest open transaction, at most the HW; read_committed
 * readers stop there.
 *
 * Waiters (delayed fetch / produce) register a callback with `watch`; it runs whenever
 * the HW moves, the role or epoch changes, or the partition is removed. The callbacks
 * re-check their own condition. "Visible bytes" (bytes of appends now below the HW) and
 * "appended bytes" let a delayed fetch count new data without reading the log.
 *
 * The append lock is the log's (PartitionLog serializes appends); validation runs before
 * it, on the request's own bytes. Producer-state checks (sequences, epochs, duplicates)
 * run inside the log's append; a refusal there is a ProducerStateError carrying Kafka's
 * error code (OUT_OF_ORDER_SEQUENCE_NUMBER, INVALID_PRODUCER_EPOCH, ...). A duplicate
 * (a producer's retry) is answered with the original offsets and appends nothing.
 */
import type { Clock } from '../clock.ts';
import type { PartitionState } from '../cluster/metadata-image.ts';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import type { AppendInfo, PartitionLog, ReadResult, TimestampAndOffset } from '../storage/partition-log.ts';
import type { AppendOrigin } from '../storage/producer-state/producer-append-info.ts';
import { ProducerStateError } from '../storage/producer-state/producer-state-error.ts';
import type { RecordBatchView } from '../protocol/records/batch.ts';
import type { ReadBuffers } from '../storage/read-buffers.ts';
import { QueueFullError } from '../storage/serial-queue.ts';
import { validateForAppend, type AppendFailure } from './append-validation.ts';
import { TopicStats, type TopicCounters } from './topic-stats.ts';

/** Kafka's RecordBatch.NO_PARTITION_LEADER_EPOCH: "no epoch given" in requests. */
export const NO_LEADER_EPOCH = -1;
/** Callbacks allowed to wait on one partition; beyond it waiters answer at once. */
export const PARTITION_WATCHERS_MAX = 10_000;
/** Appends above the HW remembered for byte counting; older ones are merged. */
const APPEND_MARKS_MAX = 1_000;

export type Isolation = 'uncommitted' | 'committed' | 'replica';

export type AppendOutcome =
  | { readonly ok: true; readonly info: AppendInfo }
  | { readonly ok: false; readonly failure: AppendFailure; readonly logStartOffset: number };

export interface AppendToLeaderOptions {
  readonly requiredAcks: number;
  /** 'client' (a Produce, the default) or 'coordinator' (the coordinators' own records: no sequence checks, no verification). */
  readonly origin?: 'client' | 'coordinator';
}

/** Answers whether a producer's transaction includes a partition (the transaction coordinator, KIP-890). */
export interface TransactionVerifier {
  verify(producerId: number, producerEpoch: number, topic: string, partition: number): ErrorCodeValue;
}

/** A transaction aborted on this partition, as Fetch reports it. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
}

export interface PartitionRead {
  readonly error: ErrorCodeValue;
  readonly records: Buffer;
  readonly highWatermark: number;
  readonly lastStableOffset: number;
  readonly logStartOffset: number;
  /** read_committed reads: the aborted transactions overlapping the records; else null. */
  readonly abortedTransactions: readonly AbortedTxn[] | null;
}

interface AppendMark {
  readonly endOffset: number;
  readonly totalBytes: number;
}

export class Partition {
  readonly topic: string;
  readonly partition: number;
  readonly topicId: string;
  readonly log: PartitionLog;
  readonly #nodeId: number;
  readonly #clock: Clock;
  #leaderEpoch = NO_LEADER_EPOCH;
  #isLeader = false;
  /** The log end when this node last became leader (Kafka's leaderEpochStartOffsetOpt). */
  #leaderEpochStartOffset = -1;
  #isr: readonly number[] = [];
  #replicas: readonly number[] = [];
  /** Leader only: the fetch offset of each follower's latest fetch (its LEO). */
  #followerEndOffsets = new Map<number, number>();
  #watchers = new Set<() => void>();
  #appendMarks: AppendMark[] = [];
  #appendedBytes = 0;
  #visibleBytes = 0;
  #removed = false;
  /** The broker's traffic counters, and this topic's entry in them (bumped per batch). */
  readonly #stats: TopicStats;
  readonly #counters: TopicCounters;
  readonly #txnVerifier: () => TransactionVerifier | null;

  constructor(opts: {
    topic: string; partition: number; topicId: string; log: PartitionLog; nodeId: number; clock: Clock; stats?: TopicStats;
    txnVerifier?: () => TransactionVerifier | null;
  }) {
    this.#txnVerifier = opts.txnVerifier ?? (() => null);
    this.#stats = opts.stats ?? new TopicStats();
    this.#counters = this.#stats.of(opts.topic);
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.topicId = opts.topicId;
    this.log = opts.log;
    this.#nodeId = opts.nodeId;
    this.#clock = opts.clock;
  }

  get name(): string {
    return `${this.topic}-${this.partition}`;
  }
  get leaderEpoch(): number {
    return this.#leaderEpoch;
  }
  get isLeader(): boolean {
    return this.#isLeader && !this.#removed;
  }
  get isr(): readonly number[] {
    return this.#isr;
  }
  get highWatermark(): number {
    return this.log.highWatermark;
  }
  /**
   * Last stable offset (Kafka's UnifiedLog.lastStableOffset): the first offset of the
   * earliest transaction still open on this partition, else the HW (never above it).
   */
  get lastStableOffset(): number {
    const firstUnstable = this.log.producerState.firstUnstableOffset();
    return firstUnstable === null ? this.log.highWatermark : Math.min(firstUnstable, this.log.highWatermark);
  }
  get logStartOffset(): number {
    return this.log.logStartOffset;
  }
  get logEndOffset(): number {
    return this.log.logEndOffset;
  }
  /** Total bytes of appends that are now below the HW (monotonic). */
  get visibleBytes(): number {
    return this.#visibleBytes;
  }
  /** Total bytes appended since this partition object exists (monotonic). */
  get appendedBytes(): number {
    return this.#appendedBytes;
  }
  get removed(): boolean {
    return this.#removed;
  }

  /** Applies the image's view of this partition (role, epoch, ISR). */
  applyState(state: PartitionState): void {
    const becomesLeader = state.leader === this.#nodeId;
    const changed = becomesLeader !== this.#isLeader || state.leaderEpoch !== this.#leaderEpoch;
    this.#isr = state.isr;
    this.#replicas = state.replicas;
    if (changed) {
      this.#isLeader = becomesLeader;
      this.#leaderEpoch = state.leaderEpoch;
      this.#leaderEpochStartOffset = becomesLeader ? this.log.logEndOffset : -1;
      this.#followerEndOffsets = new Map();
      if (becomesLeader) void this.log.assignLeaderEpoch(state.leaderEpoch);
    }
    if (this.#isLeader) this.maybeIncrementHighWatermark();
    if (changed) this.#notify();
  }

  /** The partition left this broker (topic deleted or replica moved): wake every waiter. */
  markRemoved(): void {
    this.#removed = true;
    this.#isLeader = false;
    this.#notify();
  }

  /**
   * Kafka's Partition.checkCurrentLeaderEpoch followed by the leader check:
   * FENCED_LEADER_EPOCH when the client's epoch is older, UNKNOWN_LEADER_EPOCH when newer,
   * then NOT_LEADER_OR_FOLLOWER when a leader is required and this node is not it.
   */
  checkLeaderEpoch(currentLeaderEpoch: number, requireLeader: boolean): ErrorCodeValue {
    if (this.#removed) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (currentLeaderEpoch !== NO_LEADER_EPOCH) {
      if (currentLeaderEpoch < this.#leaderEpoch) return ErrorCode.FENCED_LEADER_EPOCH;
      if (currentLeaderEpoch > this.#leaderEpoch) return ErrorCode.UNKNOWN_LEADER_EPOCH;
    }
    if (requireLeader && !this.#isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    return ErrorCode.NONE;
  }

  // ---- produce -------------------------------------------------------------------------

  /** Validates and appends a client's records as leader (Kafka's appendRecordsToLeader). */
  async appendRecordsToLeader(records: Buffer, opts: AppendToLeaderOptions): Promise<AppendOutcome> {
    const outcome = await this.#appendAsLeader(records, opts);
    if (outcome.ok) this.#stats.recordAppend(this.#counters, records.length, outcome.info.recordCount);
    else this.#stats.recordFailedAppend(this.#counters);
    return outcome;
  }

  async #appendAsLeader(records: Buffer, opts: AppendToLeaderOptions): Promise<AppendOutcome> {
    if (!this.isLeader) return this.#failure(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${this.name}: this broker is not the leader`);
    const minIsr = this.log.config.minInsyncReplicas;
    if (opts.requiredAcks === -1 && this.#isr.length < minIsr) {
      return this.#failure(ErrorCode.NOT_ENOUGH_REPLICAS, `the size of the current ISR ${this.#isr.length} is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${this.name}`);
    }
    // The coordinators' own batches are built by this broker (and carry no sequence).
    if (opts.origin === 'coordinator') return this.#appendChecked(records, 'coordinator');
    const validation = await validateForAppend(records, { config: this.log.config, now: this.#clock.now(), partitionName: this.name });
    if (!validation.ok) return { ok: false, failure: validation.failure, logStartOffset: this.logStartOffset };
    const unverified = this.#unverifiedTransactionalBatch(validation.batches);
    if (unverified !== null) return this.#failure(unverified.error, unverified.detail);
    return this.#appendChecked(validation.records, 'client');
  }

  /**
   * KIP-890 part 1: a transactional batch that would open a transaction on this
   * partition is accepted only if the transaction coordinator has the partition in the
   * producer's ongoing transaction (so a late write of an aborted transaction cannot
   * leave a transaction open here forever). Without a verifier transactional writes are
   * refused with INVALID_PRODUCER_ID_MAPPING: no transactional id maps to the producer.
   */
  #unverifiedTransactionalBatch(batches: readonly RecordBatchView[]): { error: ErrorCodeValue; detail: string } | null {
    for (const batch of batches) {
      if (!batch.isTransactional || this.log.producerState.ongoingTxns().has(batch.producerId)) continue;
      const verifier = this.#txnVerifier();
      const error = verifier === null
        ? ErrorCode.INVALID_PRODUCER_ID_MAPPING
        : verifier.verify(batch.producerId, batch.producerEpoch, this.topic, this.partition);
      if (error !== ErrorCode.NONE) return { error, detail: `${this.name}: transactional batch of producer ${batch.producerId} not verified` };
    }
    return null;
  }

  /**
   * The error code for a failed log operation: NOT_LEADER_OR_FOLLOWER when the partition
   * went away meanwhile (its log closed under us), REQUEST_TIMED_OUT when the append
   * queue is full (retriable: the client backs off), else KAFKA_STORAGE_ERROR (Kafka's
   * answer for an I/O failure; retriable).
   */
  storageErrorCode(err: unknown): ErrorCodeValue {
    if (this.#removed) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
    if (err instanceof QueueFullError) return ErrorCode.REQUEST_TIMED_OUT;
    return ErrorCode.KAFKA_STORAGE_ERROR;
  }

  /**
   * Appends control batches (transaction markers) as leader, written by the transaction
   * coordinator: no client validation (clients may not write control batches), origin
   * 'coordinator' for the producer-state checks.
   */
  appendControlToLeader(records: Buffer): Promise<AppendOutcome> {
    return this.#appendChecked(records, 'coordinator');
  }

  async #appendChecked(records: Buffer, origin: AppendOrigin): Promise<AppendOutcome> {
    if (!this.isLeader) return this.#failure(ErrorCode.NOT_LEADER_OR_FOLLOWER, `${this.name}: this broker is not the leader`);
    let info: AppendInfo;
    try {
      info = await this.log.append(records, { leaderEpoch: this.#leaderEpoch, assignOffsets: true, origin });
    } catch (err) {
      if (err instanceof ProducerStateError) return this.#failure(err.code, `${this.name}: ${err.message}`);
      return this.#failure(this.storageErrorCode(err), `${this.name}: append failed: ${(err as Error).message}`);
    }
    if (info.duplicate) return { ok: true, info };
    this.#markAppend(info.lastOffset + 1, records.length);
    this.maybeIncrementHighWatermark();
    return { ok: true, info };
  }

  #failure(error: ErrorCodeValue, detail: string): AppendOutcome {
    return { ok: false, failure: { error, message: null, recordErrors: [], detail }, logStartOffset: this.logStartOffset };
  }

  #markAppend(endOffset: number, bytes: number): void {
    this.#appendedBytes += bytes;
    this.#appendMarks.push({ endOffset, totalBytes: this.#appendedBytes });
    if (this.#appendMarks.length > APPEND_MARKS_MAX) this.#appendMarks.shift();
    this.#notify();
  }

  // ---- high watermark ------------------------------------------------------------------

  /** Leader: records a follower's fetch offset (its LEO) and moves the HW if it can. */
  updateFollowerFetchState(replicaId: number, fetchOffset: number): void {
    if (!this.#isLeader || !this.#replicas.includes(replicaId)) return;
    this.#followerEndOffsets.set(replicaId, fetchOffset);
    this.maybeIncrementHighWatermark();
  }

  /**
   * HW = min LEO over the ISR; only ever moves forward. The leader's own LEO is that of its
   * completed appends: with flush.messages a record counts only once fsynced.
   */
  maybeIncrementHighWatermark(): void {
    if (!this.#isLeader) return;
    let candidate = this.log.completedEndOffset;
    for (const replica of this.#isr) {
      if (replica === this.#nodeId) continue;
      candidate = Math.min(candidate, this.#followerEndOffsets.get(replica) ?? this.log.logStartOffset);
    }
    if (candidate <= this.log.highWatermark) return;
    this.log.highWatermark = candidate;
    this.#advanceVisibleBytes();
    this.#notify();
  }

  #advanceVisibleBytes(): void {
    const hw = this.log.highWatermark;
    while (this.#appendMarks.length > 0 && this.#appendMarks[0].endOffset <= hw) {
      this.#visibleBytes = this.#appendMarks.shift()!.totalBytes;
    }
  }

  // ---- fetch / list offsets ------------------------------------------------------------

  /** The offset a reader with this isolation may read up to (exclusive). */
  fetchableEnd(isolation: Isolation): number {
    if (isolation === 'replica') return this.log.logEndOffset;
    return isolation === 'committed' ? this.lastStableOffset : this.highWatermark;
  }

  /** Whole batches from the one holding fetchOffset, bounded by the isolation's end. */
  async read(opts: { fetchOffset: number; maxBytes: number; minOneBatch: boolean; isolation: Isolation; buffers?: ReadBuffers }): Promise<PartitionRead> {
    let result: ReadResult;
    try {
      result = await this.log.read({
        offset: opts.fetchOffset,
        maxBytes: opts.maxBytes,
        maxOffset: this.fetchableEnd(opts.isolation),
        minOneBatch: opts.minOneBatch,
        buffers: opts.buffers,
      });
    } catch (err) {
      return errorRead(this.storageErrorCode(err));
    }
    if (result.kind === 'offsetOutOfRange') return errorRead(ErrorCode.OFFSET_OUT_OF_RANGE);
    const aborted = opts.isolation === 'committed' && result.records.length > 0
      ? this.log.abortedTransactions(opts.fetchOffset, this.fetchableEnd('committed')).map(({ producerId, firstOffset }) => ({ producerId, firstOffset }))
      : null;
    return {
      abortedTransactions: opts.isolation === 'committed' ? aborted ?? [] : null,
      error: ErrorCode.NONE,
      records: result.records,
      highWatermark: result.highWatermark,
      lastStableOffset: Math.min(this.lastStableOffset, result.highWatermark),
      logStartOffset: result.logStartOffset,
    };
  }

  /**
   * Kafka's OFFSET_NOT_AVAILABLE condition for client ListOffsets: a new leader whose HW
   * has not yet reached the start of its epoch cannot say where the log ends.
   */
  offsetsUnavailable(isolation: Isolation): boolean {
    return isolation !== 'replica' && this.#leaderEpochStartOffset > this.highWatermark;
  }

  /** ListOffsets by timestamp: first record with timestamp >= ts below the isolation's end. */
  async offsetForTimestamp(timestamp: number, isolation: Isolation): Promise<TimestampAndOffset | null> {
    const found = await this.log.offsetForTimestamp(timestamp);
    return found !== null && found.offset < this.fetchableEnd(isolation) ? found : null;
  }

  /** ListOffsets MAX_TIMESTAMP: the record with the largest timestamp, if readable. */
  async maxTimestampOffset(isolation: Isolation): Promise<TimestampAndOffset | null> {
    const found = await this.log.maxTimestampOffset();
    return found !== null && found.offset < this.fetchableEnd(isolation) ? found : null;
  }

  /** Leader epoch of the batch holding `offset` (-1 when unknown). */
  epochForOffset(offset: number): number {
    return this.log.leaderEpochCache.epochForOffset(offset);
  }

  // ---- waiters -------------------------------------------------------------------------

  /** Calls `callback` on every HW move, role change or removal; null when full. */
  watch(callback: () => void): (() => void) | null {
    if (this.#watchers.size >= PARTITION_WATCHERS_MAX) return null;
    this.#watchers.add(callback);
    return () => this.#watchers.delete(callback);
  }

  #notify(): void {
    for (const callback of [...this.#watchers]) callback();
  }
}

export function errorRead(error: ErrorCodeValue): PartitionRead {
  return { error, records: Buffer.alloc(0), highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null };
}
