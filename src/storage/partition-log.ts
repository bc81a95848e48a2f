/**
 * PartitionLog: the log of one topic-partition (Kafka's UnifiedLog, local part): an ordered
 * list of segments, the last one active, plus log start / end offsets, high watermark,
 * recovery point and the leader-epoch cache.
 *
 * Ownership and concurrency: appends, rolls, truncation and log-start moves are serialized
 * through one SerialQueue (the partition's append lock). Reads run concurrently with them
 * on a snapshot of the segment list and never see bytes past a segment's committed size.
 * Flushes run outside the append lock (so an fsync does not stall appends) and are
 * serialized among themselves. Reads near the log end are answered from the tail cache
 * (tail-cache.ts: the latest appended batches in memory) with the same bytes the segment
 * files would give; every change of the log other than an append empties or trims it.
 *
 * Group commit (flush.messages): an append that the policy says must be flushed is written
 * under the lock, and then — outside it, while later appends are written — waits for an
 * fsync that started after its write; one fsync covers every append written before it
 * started (at most one flush runs and one waits; later callers join the waiting one).
 * Every append, flushed or not, completes only after the latest flush an earlier append
 * asked for, so appends complete in order and `completedEndOffset` (what a leader counts
 * as its own end for the high watermark) never covers a record that should be on disk and
 * is not: acknowledged implies flushed, as in Kafka, where the flush runs inside append.
 *
 * Producer state (producer-state/): every append is checked against it under the append
 * lock (idempotent / transactional producers); a client retry of a batch already in the
 * log is answered with the original offsets and not appended again (`duplicate`). It is
 * snapshotted at every roll and at close, and rebuilt from the latest snapshot plus the
 * batches after it when the log opens or is truncated. Aborted transactions go to the
 * transaction index (txn-index.ts, `.txnindex` files) for read_committed fetches.
 *
 * Limitation: offsets and timestamps are JS numbers (exact up to 2^53).
 */
import fs from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import type { LogConfig } from '../config/log-config.ts';
import { RecordBatchView } from '../protocol/records/batch.ts';
import { batchHeadersOf, type BatchHeader } from './batch-header.ts';
import { DelayedFileDeletes } from './delayed-file-deletes.ts';
import { syncDir } from './file-io.ts';
import { LeaderEpochCache, type EpochEndOffset } from './leader-epoch-cache.ts';
import { loadLog, randomSegmentJitter } from './log-loader.ts';
import { LogSegment, SegmentDeletedError, type SegmentParams } from './log-segment.ts';
import { silentLogger, type StorageLogger } from './logger.ts';
import { swapInCleaned } from './cleaner/segment-swap.ts';
import { FRESH_READ_BUFFERS, type ReadBuffers } from './read-buffers.ts';
import { SerialQueue } from './serial-queue.ts';
import { processTailCacheBudget, TAIL_CACHE_PARTITION_BYTES_MAX, TailCache, type TailCacheOptions } from './tail-cache.ts';
import { findMaxTimestampOffset, findOffsetByTimestamp, type TimestampAndOffset } from './timestamp-lookup.ts';
import { NO_TIMESTAMP } from './time-index.ts';
import type { AppendOrigin } from './producer-state/producer-append-info.ts';
import { analyzeProducerBatches, applyProducerAnalysis } from './producer-state/producer-batches.ts';
import type { BatchMetadata } from './producer-state/producer-state-entry.ts';
import { ProducerStateManager } from './producer-state/producer-state-manager.ts';
import { rebuildProducerState } from './producer-state/rebuild.ts';
import { abortedEntries } from './producer-state/producer-batches.ts';
import { AbortedTxnIndex, type AbortedTxnEntry } from './txn-index.ts';

export type { TimestampAndOffset } from './timestamp-lookup.ts';

/** Appends (and other writers) allowed to wait for a partition's append lock. */
export const APPEND_QUEUE_PENDING_MAX = 1024;

/** ListOffsets special timestamps handled by offsetForTimestamp. */
export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;

export interface PartitionLogOptions {
  readonly dir: string;
  readonly topic: string;
  readonly partition: number;
  readonly config: LogConfig;
  readonly clock: Clock;
  readonly recoveryPoint: number;
  readonly logStartOffset: number;
  readonly needsRecovery: boolean;
  readonly logger?: StorageLogger;
  /** producer.id.expiration.ms (Kafka's default when absent). */
  readonly producerIdExpirationMs?: number;
  /** In-memory tail of the log for reads near its end (tail-cache.ts); default 1 MiB within the process-wide budget. */
  readonly tailCache?: TailCacheOptions;
}

export interface AppendOptions {
  /** Epoch stamped into each batch when assigning offsets (leader appends). */
  readonly leaderEpoch: number;
  /** Leader: assign offsets from the log end. Follower: keep the leader's offsets. */
  readonly assignOffsets: boolean;
  /**
   * Who appends, for producer-state checks: 'client' (a Produce; the default when
   * assigning offsets), 'replication' (a follower; the default otherwise), 'coordinator'
   * (transaction markers, group/transaction coordinator records).
   */
  readonly origin?: AppendOrigin;
}

export interface AppendInfo {
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  /** Last offset of the batch holding maxTimestamp (Kafka's shallow offset). */
  readonly offsetOfMaxTimestamp: number;
  /** The broker's time stamped on the batches under LogAppendTime, else -1. */
  readonly logAppendTime: number;
  readonly logStartOffset: number;
  readonly recordCount: number;
  /** A client retry of a batch already in the log: nothing was appended, offsets are the original's. */
  readonly duplicate: boolean;
}

export interface ReadOptions {
  readonly offset: number;
  readonly maxBytes: number;
  /** Exclusive bound: no batch whose base offset is >= maxOffset (the HW for consumers). */
  readonly maxOffset: number;
  readonly minOneBatch: boolean;
  /** Where the records are read into; fresh buffers when absent (see read-buffers.ts). */
  readonly buffers?: ReadBuffers;
}

interface ReadOffsets {
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export type ReadResult =
  | (ReadOffsets & { readonly kind: 'records'; readonly records: Buffer; readonly firstOffset: number })
  | (ReadOffsets & { readonly kind: 'offsetOutOfRange' });

/** An append whose offsets do not follow the log end (follower appends). */
export class UnexpectedAppendOffsetError extends Error {
  override name = 'UnexpectedAppendOffsetError';
}

export interface CleanerSnapshot {
  /** Ascending by base offset; the last one is active. */
  readonly segments: readonly LogSegment[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
}

export class PartitionLog {
  readonly topic: string;
  readonly partition: number;
  readonly dir: string;
  #config: LogConfig;
  #clock: Clock;
  #logger: StorageLogger;
  #segments: LogSegment[];
  #epochCache: LeaderEpochCache;
  readonly #producerState: ProducerStateManager;
  /** Aborted transactions (.txnindex files), for read_committed fetches. */
  readonly #txnIndex: AbortedTxnIndex;
  /** The latest appended batches, for reads near the log end; emptied whenever the log changes under it. */
  readonly #tailCache: TailCache;
  /** An append assigned a new epoch that the checkpoint file does not have yet (#flushTo writes it). */
  #epochCheckpointDirty = false;
  #appendQueue = new SerialQueue(APPEND_QUEUE_PENDING_MAX);
  #flushChain: Promise<void> = Promise.resolve();
  /** The flush waiting for the running one; new flush requests join it (group commit). */
  #queuedFlush: QueuedFlush | null = null;
  /** The latest flush an append asked for (flush.messages); every append completes after it. */
  #appendFlush: Promise<void> = Promise.resolve();
  /** Log end covered by the latest flush an append asked for; flush.messages counts from here. */
  #appendFlushEnd: number;
  /** End offset of the completed appends (their flush included); see completedEndOffset. */
  #completedEndOffset: number;
  /** Settles when no compaction swap is in progress (reads retry after it). */
  #swapping: Promise<unknown> = Promise.resolve();
  /** Segment files renamed to .deleted by retention / DeleteRecords, unlinked after file.delete.delay.ms. */
  readonly #delayedDeletes = new DelayedFileDeletes();
  #logStartOffset: number;
  #logEndOffset: number;
  #highWatermark: number;
  #recoveryPoint: number;
  #lastFlushMs: number;
  #closed = false;

  private constructor(
    opts: PartitionLogOptions, loaded: Awaited<ReturnType<typeof loadLog>>, epochCache: LeaderEpochCache, producerState: ProducerStateManager, txnIndex: AbortedTxnIndex,
  ) {
    this.#txnIndex = txnIndex;
    this.#tailCache = new TailCache(opts.tailCache ?? { partitionBytesMax: TAIL_CACHE_PARTITION_BYTES_MAX, budget: processTailCacheBudget });
    this.topic = opts.topic;
    this.partition = opts.partition;
    this.dir = opts.dir;
    this.#config = opts.config;
    this.#clock = opts.clock;
    this.#logger = opts.logger ?? silentLogger;
    this.#segments = loaded.segments;
    this.#epochCache = epochCache;
    this.#producerState = producerState;
    this.#logStartOffset = loaded.logStartOffset;
    this.#logEndOffset = loaded.logEndOffset;
    this.#highWatermark = loaded.logStartOffset;
    this.#recoveryPoint = loaded.recoveryPoint;
    this.#appendFlushEnd = loaded.recoveryPoint;
    this.#completedEndOffset = loaded.logEndOffset;
    this.#lastFlushMs = opts.clock.now();
  }

  static async open(opts: PartitionLogOptions): Promise<PartitionLog> {
    await fs.mkdir(opts.dir, { recursive: true });
    const epochCache = await LeaderEpochCache.load(opts.dir);
    const loaded = await loadLog({
      params: segmentParams(opts.dir, opts.config, opts.clock),
      config: opts.config,
      recoveryPoint: opts.recoveryPoint,
      logStartOffset: opts.logStartOffset,
      needsRecovery: opts.needsRecovery,
      epochCache,
      logger: opts.logger ?? silentLogger,
    });
    const producerState = await ProducerStateManager.open({ dir: opts.dir, producerIdExpirationMs: opts.producerIdExpirationMs, logger: opts.logger });
    const txnIndex = await AbortedTxnIndex.open(opts.dir, loaded.logStartOffset, loaded.logEndOffset);
    await rebuildProducerState(producerState, {
      onAbortedTxn: (entry) => txnIndex.addIfAbsent(segmentBaseOf(loaded.segments, entry.lastOffset), entry),
      segments: loaded.segments,
      logStartOffset: loaded.logStartOffset,
      logEndOffset: loaded.logEndOffset,
      nowMs: opts.clock.now(),
      cleanShutdown: !opts.needsRecovery,
      logger: opts.logger ?? silentLogger,
    });
    return new PartitionLog(opts, loaded, epochCache, producerState, txnIndex);
  }

  get logStartOffset(): number {
    return this.#logStartOffset;
  }
  get logEndOffset(): number {
    return this.#logEndOffset;
  }
  get highWatermark(): number {
    return this.#highWatermark;
  }
  /** Set by replication (or, on a single node, to the log end after each append). */
  set highWatermark(offset: number) {
    this.#highWatermark = Math.min(Math.max(offset, this.#logStartOffset), this.#logEndOffset);
  }
  /**
   * End offset of the appends that have completed, including the flush flush.messages
   * asked of them: the leader's own end for the high watermark (nothing acknowledged or
   * visible before it is on disk as the policy demands). Lags logEndOffset only while
   * appends are in flight.
   */
  get completedEndOffset(): number {
    return this.#completedEndOffset;
  }
  /** Offsets below this are fsynced. */
  get recoveryPoint(): number {
    return this.#recoveryPoint;
  }
  get size(): number {
    return this.#segments.reduce((sum, s) => sum + s.size, 0);
  }
  get config(): LogConfig {
    return this.#config;
  }
  /** Clock time of the last completed flush (for flush.ms). */
  get lastFlushMs(): number {
    return this.#lastFlushMs;
  }
  get segmentCount(): number {
    return this.#segments.length;
  }
  get leaderEpochCache(): LeaderEpochCache {
    return this.#epochCache;
  }
  /** Producer state; mutate it only through this log (under its append lock). */
  get producerState(): ProducerStateManager {
    return this.#producerState;
  }

  setConfig(config: LogConfig): void {
    this.#config = config;
  }

  // ---- append --------------------------------------------------------------------------

  /**
   * Appends validated v2 batches (rewritten in place when assigning offsets). Resolves once
   * they are written and, when flush.messages asks for it, fsynced (group commit, above).
   */
  async append(records: Buffer, opts: AppendOptions): Promise<AppendInfo> {
    const { info, flushed } = await this.#appendQueue.run(() => this.#appendLocked(records, opts));
    await flushed;
    this.#completedEndOffset = Math.min(Math.max(this.#completedEndOffset, info.lastOffset + 1), this.#logEndOffset);
    return info;
  }

  async #appendLocked(records: Buffer, opts: AppendOptions): Promise<{ info: AppendInfo; flushed: Promise<void> }> {
    this.#checkOpen();
    const logAppendTime = opts.assignOffsets ? this.#assignOffsets(records, opts.leaderEpoch) : -1;
    const producers = analyzeProducerBatches(this.#producerState, records, opts.origin ?? (opts.assignOffsets ? 'client' : 'replication'));
    // A duplicate's original may still wait for its flush: answer after it, too.
    if (producers.kind === 'duplicate') return { info: this.#duplicateInfo(producers.batch), flushed: this.#appendFlush };
    const headers = batchHeadersOf(records);
    if (headers.length === 0) throw new Error('append of no batches');
    const first = headers[0];
    const last = headers[headers.length - 1];
    if (first.baseOffset < this.#logEndOffset) {
      throw new UnexpectedAppendOffsetError(`first offset ${first.baseOffset} below log end ${this.#logEndOffset}`);
    }
    const max = maxTimestampOf(headers);
    const active = await this.#maybeRoll(records.length, max.timestamp, last.lastOffset);
    await active.append(records, headers);
    this.#tailCache.append(records, headers, active.baseOffset);
    this.#logEndOffset = last.lastOffset + 1;
    applyProducerAnalysis(this.#producerState, producers, this.#logEndOffset);
    if (producers.completedTxns.length > 0) {
      for (const entry of abortedEntries(this.#producerState, producers.completedTxns)) await this.#txnIndex.append(active.baseOffset, entry);
    }
    await this.#updateEpochCache(headers);
    const info: AppendInfo = {
      firstOffset: first.baseOffset,
      lastOffset: last.lastOffset,
      maxTimestamp: max.timestamp,
      offsetOfMaxTimestamp: max.offset,
      logAppendTime,
      logStartOffset: this.#logStartOffset,
      recordCount: headers.reduce((n, h) => n + h.lastOffset - h.baseOffset + 1, 0),
      duplicate: false,
    };
    return { info, flushed: this.#flushPerPolicy() };
  }

  /**
   * flush.messages: once the messages written since the last flush asked for reach it, a
   * flush of everything written so far. Returns the latest flush asked for (this one's or
   * an earlier append's), which the append waits for outside the lock.
   */
  #flushPerPolicy(): Promise<void> {
    const flushedEnd = Math.max(this.#recoveryPoint, this.#appendFlushEnd);
    if (this.#logEndOffset - flushedEnd >= this.#config.flushMessages) {
      this.#appendFlushEnd = this.#logEndOffset;
      this.#appendFlush = this.flush();
    }
    return this.#appendFlush;
  }

  /** Kafka's answer to a duplicate batch: its original offsets, no log append time. */
  #duplicateInfo(batch: BatchMetadata): AppendInfo {
    return {
      firstOffset: batch.firstOffset,
      lastOffset: batch.lastOffset,
      maxTimestamp: batch.timestamp,
      offsetOfMaxTimestamp: batch.lastOffset,
      logAppendTime: -1,
      logStartOffset: this.#logStartOffset,
      recordCount: batch.lastOffset - batch.firstOffset + 1,
      duplicate: true,
    };
  }

  /** Leader append: offsets from the log end, the leader epoch, LogAppendTime if configured. */
  #assignOffsets(records: Buffer, leaderEpoch: number): number {
    const now = this.#config.messageTimestampType === 'LogAppendTime' ? this.#clock.now() : -1;
    let next = this.#logEndOffset;
    for (const header of batchHeadersOf(records)) {
      const view = new RecordBatchView(records.subarray(header.position, header.position + header.sizeInBytes));
      view.setBaseOffset(next);
      view.setPartitionLeaderEpoch(leaderEpoch);
      if (now >= 0) view.setLogAppendTime(now);
      next += header.lastOffset - header.baseOffset + 1;
    }
    return now;
  }

  /**
   * This node leads in `epoch` from now on (Kafka's maybeAssignEpochStartOffset, called by
   * makeLeader): the epoch starts at the log end, so OffsetsForLeaderEpoch knows it before
   * any append in it. The checkpoint is written by the next flush, as for an epoch the
   * appends bring (a topic of 1,000 partitions would otherwise queue 2,000 fsyncs at its
   * creation). Runs in append order: appends queued before belong to the old epoch, those
   * after to this one. Never rejects; a closed log is left alone.
   */
  async assignLeaderEpoch(epoch: number): Promise<void> {
    try {
      await this.#appendQueue.run(async () => {
        this.#checkOpen();
        if (this.#epochCache.assign(epoch, this.#logEndOffset)) this.#epochCheckpointDirty = true;
      });
    } catch (err) {
      if (!this.#closed) this.#logger.warn({ err, topic: this.topic, partition: this.partition, epoch }, 'leader epoch not recorded at election; the first append in it records it');
    }
  }

  async #updateEpochCache(headers: readonly BatchHeader[]): Promise<void> {
    let changed = false;
    for (const h of headers) {
      if (h.partitionLeaderEpoch > this.#epochCache.latestEpoch()) changed = this.#epochCache.assign(h.partitionLeaderEpoch, h.baseOffset) || changed;
    }
    // Written by the next log flush, not here (as Kafka moved its producer-snapshot fsyncs,
    // KAFKA-15046): on a busy disk the checkpoint's fsyncs of every partition of a new topic
    // took all libuv threads for ~0.7 s, stalling every append behind them. A crash before
    // the write loses nothing: recovery re-assigns epochs from the batches past the
    // recovery point, which does not move before the write (#flushTo).
    if (changed) this.#epochCheckpointDirty = true;
  }

  async #maybeRoll(appendBytes: number, maxTimestampInAppend: number, lastOffsetInAppend: number): Promise<LogSegment> {
    const active = this.#active();
    const roll = active.shouldRoll({
      segmentBytes: this.#config.segmentBytes,
      segmentMs: this.#config.segmentMs,
      appendBytes,
      maxTimestampInAppend,
      lastOffsetInAppend,
      now: this.#clock.now(),
    });
    return roll ? this.#rollLocked() : active;
  }

  /** Starts a new segment at the log end (no-op when the active one is empty). */
  roll(): Promise<void> {
    return this.#appendQueue.run(async () => {
      this.#checkOpen();
      await this.#rollLocked();
    });
  }

  async #rollLocked(): Promise<LogSegment> {
    const old = this.#active();
    if (old.size === 0) return old;
    const params = segmentParams(this.dir, this.#config, this.#clock);
    const segment = await LogSegment.create(this.#logEndOffset, params, randomSegmentJitter(this.#config));
    await old.deactivate();
    this.#segments = [...this.#segments, segment];
    this.#producerState.updateMapEndOffset(this.#logEndOffset);
    await this.#producerState.takeSnapshot();
    this.#logger.info({ topic: this.topic, partition: this.partition, baseOffset: segment.baseOffset }, 'rolled segment');
    // As Kafka: the finished segment is fsynced in the background, not on the append path.
    this.flush(segment.baseOffset).catch((err: unknown) => this.#logger.error({ err, topic: this.topic }, 'flush after roll failed'));
    return segment;
  }

  // ---- flush ---------------------------------------------------------------------------

  /**
   * fsyncs every segment with offsets in [recoveryPoint, upTo) (default: the log end when
   * the fsync starts) and advances the recovery point. A request made while a flush runs
   * joins the one waiting behind it, whose fsync starts later and so covers it.
   */
  flush(upTo?: number): Promise<void> {
    const target = upTo ?? Number.POSITIVE_INFINITY;
    if (this.#queuedFlush !== null) {
      this.#queuedFlush.target = Math.max(this.#queuedFlush.target, target);
      return this.#queuedFlush.done;
    }
    const queued: QueuedFlush = { target, done: Promise.resolve() };
    queued.done = this.#flushChain.then(() => {
      this.#queuedFlush = null;
      return this.#flushTo(queued.target);
    });
    this.#queuedFlush = queued;
    this.#flushChain = queued.done.catch(() => {});
    return queued.done;
  }

  async #flushTo(upTo: number): Promise<void> {
    const target = Math.min(upTo, this.#logEndOffset);
    if (target <= this.#recoveryPoint) return;
    const segments = this.#segments.filter((s, i) => s.baseOffset < target && (this.#segments[i + 1]?.baseOffset ?? Infinity) > this.#recoveryPoint);
    await Promise.all(segments.map((s) => s.flush()));
    if (this.#epochCheckpointDirty) {
      this.#epochCheckpointDirty = false;
      try {
        await this.#epochCache.flush();
      } catch (err) {
        this.#epochCheckpointDirty = true; // the next flush writes it before moving the recovery point
        throw err;
      }
    }
    this.#recoveryPoint = Math.max(this.#recoveryPoint, target);
    this.#lastFlushMs = this.#clock.now();
  }

  // ---- read ----------------------------------------------------------------------------

  /** Whole batches from the one containing `offset`; see ReadOptions. */
  async read(opts: ReadOptions): Promise<ReadResult> {
    try {
      return await this.#read(opts);
    } catch (err) {
      // The segment list changed under the read (log start moved or truncation): answer
      // from the new state.
      if (!(err instanceof SegmentDeletedError)) throw err;
      // A compaction swap deletes segments before it installs their replacement.
      await this.#swapping;
      return this.#read(opts);
    }
  }

  async #read(opts: ReadOptions): Promise<ReadResult> {
    const offsets = { logStartOffset: this.#logStartOffset, logEndOffset: this.#logEndOffset, highWatermark: this.#highWatermark };
    if (opts.offset < offsets.logStartOffset || opts.offset > offsets.logEndOffset) return { ...offsets, kind: 'offsetOutOfRange' };
    const empty = { ...offsets, kind: 'records' as const, records: Buffer.alloc(0), firstOffset: opts.offset };
    if (opts.offset === offsets.logEndOffset || opts.offset >= opts.maxOffset) return empty;
    const buffers = opts.buffers ?? FRESH_READ_BUFFERS;
    const cached = this.#tailCache.read(opts.offset, opts.maxBytes, opts.maxOffset, opts.minOneBatch, buffers);
    if (cached !== null) return { ...offsets, kind: 'records', records: cached.records, firstOffset: cached.firstOffset };
    const segments = this.#segments;
    for (let i = Math.max(0, floorSegment(segments, opts.offset)); i < segments.length; i++) {
      const read = await segments[i].read(opts.offset, opts.maxBytes, opts.maxOffset, opts.minOneBatch, buffers);
      if (read !== null) return { ...offsets, kind: 'records', records: read.records, firstOffset: read.firstOffset };
    }
    return empty;
  }

  /**
   * Aborted transactions a read_committed fetch from `fetchOffset` up to
   * `upperBoundOffset` (exclusive) must be told about.
   */
  abortedTransactions(fetchOffset: number, upperBoundOffset: number): AbortedTxnEntry[] {
    return this.#txnIndex.collect(fetchOffset, upperBoundOffset);
  }

  // ---- timestamps ----------------------------------------------------------------------

  /**
   * ListOffsets by time: the first record with timestamp >= ts (null if none), or for
   * EARLIEST_TIMESTAMP / LATEST_TIMESTAMP the log start / end with its epoch.
   */
  async offsetForTimestamp(ts: number): Promise<TimestampAndOffset | null> {
    if (ts === EARLIEST_TIMESTAMP) return this.#offsetWithEpoch(this.#logStartOffset);
    if (ts === LATEST_TIMESTAMP) return this.#offsetWithEpoch(this.#logEndOffset);
    return findOffsetByTimestamp(this.#segments, ts, this.#logStartOffset);
  }

  #offsetWithEpoch(offset: number): TimestampAndOffset {
    return { offset, timestamp: NO_TIMESTAMP, leaderEpoch: this.#epochCache.epochForOffset(offset) };
  }

  /** ListOffsets MAX_TIMESTAMP: the (first) record with the largest timestamp, or null. */
  maxTimestampOffset(): Promise<TimestampAndOffset | null> {
    return findMaxTimestampOffset(this.#segments, this.#logStartOffset);
  }

  /** OffsetForLeaderEpoch: where `epoch` ends in this log. */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.#epochCache.endOffsetFor(epoch, this.#logEndOffset);
  }

  // ---- truncation / log start ----------------------------------------------------------

  /** Follower truncation: removes every batch holding an offset >= `offset`. */
  truncateTo(offset: number): Promise<void> {
    return this.#appendQueue.run(async () => {
      this.#checkOpen();
      if (offset >= this.#logEndOffset) return;
      this.#tailCache.clear();
      if (offset <= this.#segments[0].baseOffset) {
        await this.#truncateFullyAndStartAt(Math.max(offset, this.#logStartOffset));
        return;
      }
      const keep = floorSegment(this.#segments, offset);
      const removed = this.#segments.slice(keep + 1);
      this.#segments = this.#segments.slice(0, keep + 1);
      await Promise.all(removed.map((s) => s.delete()));
      const active = this.#active();
      await active.truncateTo(offset);
      if (!active.isActive) await active.activate();
      this.#afterTruncation(active.nextOffset);
      await this.#epochCache.flush();
      await this.#txnIndex.truncateTo(this.#logEndOffset);
      await this.#rebuildProducerState();
    });
  }

  /** After a truncation: the latest snapshot at or below the new end, plus replay. */
  async #rebuildProducerState(): Promise<void> {
    await rebuildProducerState(this.#producerState, {
      segments: this.#segments,
      logStartOffset: this.#logStartOffset,
      logEndOffset: this.#logEndOffset,
      nowMs: this.#clock.now(),
      cleanShutdown: false,
      logger: this.#logger,
      onAbortedTxn: (entry) => this.#txnIndex.addIfAbsent(segmentBaseOf(this.#segments, entry.lastOffset), entry),
    });
  }

  async #truncateFullyAndStartAt(offset: number): Promise<void> {
    const old = this.#segments;
    const params = segmentParams(this.dir, this.#config, this.#clock);
    await Promise.all(old.map((s) => s.delete()));
    this.#segments = [await LogSegment.create(offset, params, randomSegmentJitter(this.#config))];
    this.#logStartOffset = offset;
    this.#afterTruncation(offset);
    this.#completedEndOffset = offset;
    this.#epochCache.truncateFromStart(offset);
    await this.#epochCache.flush();
    await this.#producerState.truncateFullyAndStartAt(offset);
    await this.#txnIndex.clear();
  }

  #afterTruncation(logEndOffset: number): void {
    this.#logEndOffset = logEndOffset;
    this.#recoveryPoint = Math.min(this.#recoveryPoint, logEndOffset);
    this.#appendFlushEnd = Math.min(this.#appendFlushEnd, logEndOffset);
    this.#completedEndOffset = Math.min(this.#completedEndOffset, logEndOffset);
    this.#highWatermark = Math.min(this.#highWatermark, logEndOffset);
    this.#epochCache.truncateFromEnd(logEndOffset);
  }

  /**
   * DeleteRecords: moves the log start to `offset` (never backwards, at most the high
   * watermark) and deletes segments wholly below it. Returns the new log start.
   */
  deleteRecordsBefore(offset: number): Promise<number> {
    return this.#appendQueue.run(async () => {
      this.#checkOpen();
      if (offset > this.#highWatermark) throw new RangeError(`offset ${offset} is above the high watermark ${this.#highWatermark}`);
      if (offset <= this.#logStartOffset) return this.#logStartOffset;
      this.#logStartOffset = offset;
      this.#tailCache.evictBelow(offset);
      const firstKept = floorSegment(this.#segments, offset);
      const removed = this.#segments.slice(0, firstKept);
      this.#segments = this.#segments.slice(firstKept);
      await this.#deleteSegmentsAsync(removed);
      if (this.#epochCache.truncateFromStart(offset)) await this.#epochCache.flush();
      await this.#producerState.deleteSnapshotsBefore(offset);
      await this.#txnIndex.deleteBefore(this.#segments[0].baseOffset, offset);
      return offset;
    });
  }

  /**
   * Retention (cleanup.policy=delete): deletes the oldest segments while they are past
   * retention.ms (by their largest timestamp) or the log without them is still at least
   * retention.bytes — only segments wholly below the high watermark. When every segment
   * qualifies the active one is rolled first, so the log keeps an empty active segment.
   * Returns the number of segments deleted.
   */
  deleteRetentionBreachedSegments(): Promise<number> {
    return this.#appendQueue.run(async () => {
      this.#checkOpen();
      if (!this.#config.cleanupPolicy.includes('delete')) return 0;
      const count = await this.#retentionDeletableCount();
      if (count === 0) return 0;
      if (count === this.#segments.length) await this.#rollLocked();
      const removed = this.#segments.slice(0, count);
      this.#segments = this.#segments.slice(count);
      await this.#deleteSegmentsAsync(removed);
      this.#logStartOffset = Math.max(this.#logStartOffset, this.#segments[0].baseOffset);
      this.#tailCache.evictBelow(this.#logStartOffset);
      if (this.#epochCache.truncateFromStart(this.#logStartOffset)) await this.#epochCache.flush();
      await this.#producerState.deleteSnapshotsBefore(this.#logStartOffset);
      await this.#txnIndex.deleteBefore(this.#segments[0].baseOffset, this.#logStartOffset);
      this.#logger.info({ topic: this.topic, partition: this.partition, segments: count, logStartOffset: this.#logStartOffset }, 'deleted segments past retention');
      return count;
    });
  }

  /** Renames the segments' files to .deleted now; they are unlinked by removeDeletedFiles after file.delete.delay.ms. */
  async #deleteSegmentsAsync(segments: readonly LogSegment[]): Promise<void> {
    const files = (await Promise.all(segments.map((s) => s.renameForDeletion()))).flat();
    await syncDir(this.dir);
    await this.#delayedDeletes.add(files, this.#clock.now() + this.#config.fileDeleteDelayMs);
  }

  /** Unlinks the .deleted files whose file.delete.delay.ms has passed; returns how many (LogManager.tick). */
  removeDeletedFiles(): Promise<number> {
    return this.#delayedDeletes.removeDue(this.#clock.now());
  }

  async #retentionDeletableCount(): Promise<number> {
    const { retentionMs, retentionBytes } = this.#config;
    const now = this.#clock.now();
    let remainingBytes = this.size;
    let count = 0;
    for (const [i, segment] of this.#segments.entries()) {
      const upperOffset = this.#segments[i + 1]?.baseOffset ?? this.#logEndOffset;
      // As Kafka, only an empty last segment stops retention: compaction may leave empty ones before it.
      if ((segment.size === 0 && i === this.#segments.length - 1) || upperOffset > this.#highWatermark) break;
      const bySize = retentionBytes >= 0 && remainingBytes - segment.size >= retentionBytes;
      const byTime = retentionMs >= 0 && now - (await segment.largestTimestamp()) > retentionMs;
      if (!bySize && !byTime) break;
      remainingBytes -= segment.size;
      count++;
    }
    return count;
  }

  // ---- producer expiry -----------------------------------------------------------------

  /** Forgets producers idle for producer.id.expiration.ms; returns how many. */
  removeExpiredProducers(): Promise<number> {
    return this.#appendQueue.run(async () => this.#producerState.removeExpiredProducers(this.#clock.now()));
  }

  // ---- compaction (cleaner/) -----------------------------------------------------------

  /** What a cleaning pass works on: the segments (the last one active) and the offsets bounding it. */
  cleanerSnapshot(): CleanerSnapshot {
    return { segments: this.#segments, logStartOffset: this.#logStartOffset, logEndOffset: this.#logEndOffset, highWatermark: this.#highWatermark };
  }

  /**
   * Swaps the cleaned segment `<cleanedBase>.log.cleaned` (or nothing, when null) in for
   * `replaced` under the append lock (cleaner/segment-swap.ts). Returns false, touching
   * nothing, when the log no longer holds exactly `replaced` as consecutive inactive
   * segments (retention, truncation or deletion got there first).
   */
  replaceSegments(replaced: readonly LogSegment[], cleanedBase: number | null): Promise<boolean> {
    return this.#appendQueue.run(async () => {
      if (this.#closed) return false;
      const at = this.#segments.indexOf(replaced[0]);
      const inPlace = at >= 0 && at + replaced.length < this.#segments.length && replaced.every((s, i) => this.#segments[at + i] === s);
      if (!inPlace) return false;
      // Cached batches of the replaced segments would differ from the cleaned ones.
      this.#tailCache.clear();
      const swap = swapInCleaned(segmentParams(this.dir, this.#config, this.#clock), cleanedBase, replaced, (old) => this.#deleteSegmentsAsync(old));
      this.#swapping = swap.catch(() => {});
      const cleaned = await swap;
      this.#segments = [...this.#segments.slice(0, at), ...(cleaned === null ? [] : [cleaned]), ...this.#segments.slice(at + replaced.length)];
      return true;
    });
  }

  // ---- close ---------------------------------------------------------------------------

  /** Waits for queued writes, flushes, and closes every segment. */
  close(): Promise<void> {
    return this.#appendQueue.run(async () => {
      if (this.#closed) return;
      await this.flush();
      this.#producerState.updateMapEndOffset(this.#logEndOffset);
      await this.#producerState.takeSnapshot();
      this.#closed = true;
      this.#tailCache.release();
      await Promise.all(this.#segments.map((s) => s.close()));
    });
  }

  #active(): LogSegment {
    return this.#segments[this.#segments.length - 1];
  }

  #checkOpen(): void {
    if (this.#closed) throw new Error(`log ${this.topic}-${this.partition} is closed`);
  }
}

interface QueuedFlush {
  /** Flush up to here (capped at the log end when it starts); grows as requests join. */
  target: number;
  done: Promise<void>;
}

export function segmentParams(dir: string, config: LogConfig, clock: Clock): SegmentParams {
  return { dir, indexBytesMax: config.segmentIndexBytes, indexIntervalBytes: config.indexIntervalBytes, clock };
}

/** Base offset of the segment holding `offset` (the first segment's when before it). */
function segmentBaseOf(segments: readonly LogSegment[], offset: number): number {
  return segments[Math.max(0, floorSegment(segments, offset))].baseOffset;
}

/** Index of the last segment with baseOffset <= offset, or -1. */
function floorSegment(segments: readonly LogSegment[], offset: number): number {
  let lo = 0;
  let hi = segments.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (segments[mid].baseOffset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

function maxTimestampOf(headers: readonly BatchHeader[]): { timestamp: number; offset: number } {
  let best = { timestamp: NO_TIMESTAMP, offset: headers[0].lastOffset };
  for (const h of headers) if (h.maxTimestamp > best.timestamp) best = { timestamp: h.maxTimestamp, offset: h.lastOffset };
  return best;
}
