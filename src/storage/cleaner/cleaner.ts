/**
 * Cleaner: one compaction pass over one log (Kafka's Cleaner.doClean):
 *
 *   0. transactions: read the end-transaction markers of the range (transactions.ts).
 *   1. map: scan the dirty range [firstDirtyOffset, firstUncleanableOffset) and record each
 *      key's latest offset in the bounded OffsetMap; when the map fills up, the pass covers
 *      only up to the last whole batch mapped (mappedEnd) and the rest waits for the next.
 *   2. clean: every inactive segment below mappedEnd (the clean part too), in groups of at
 *      most segment.bytes, each group rewritten through the batch filter into
 *      `<base>.log.cleaned` and swapped in under the append lock.
 *
 * Runs on the event loop in slices (YieldPoint) with async file I/O and async
 * (de)compression, so produce and fetch keep being served during a pass. A pass whose
 * segments changed under it (retention, truncation, deletion) stops at that group.
 */
import fs from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { RecordBatchView } from '../../protocol/records/batch.ts';
import type { LogSegment } from '../log-segment.ts';
import type { StorageLogger } from '../logger.ts';
import type { CleanerSnapshot, PartitionLog } from '../partition-log.ts';
import { filterBatch, type FilterContext } from './batch-filter.ts';
import { keysOf } from './batch-records.ts';
import { CleanedSegmentWriter } from './cleaned-segment-writer.ts';
import type { CleanerConfig } from './cleaner-config.ts';
import type { OffsetMap } from './offset-map.ts';
import { groupSegmentsBySize } from './segment-groups.ts';
import { readSegmentBatches } from './segment-batches.ts';
import { TransactionOutcomes } from './transactions.ts';
import { RECORDS_PER_CHECK, YieldPoint } from './yield-point.ts';

export interface CleanerStats {
  bytesRead: number;
  bytesWritten: number;
  recordsRead: number;
  recordsKept: number;
  segmentsCleaned: number;
  elapsedMs: number;
}

export interface CleanResult {
  /** Offsets below this are clean now (the cleaner checkpoint moves here). */
  readonly endOffset: number;
  /** Earliest delete horizon of the tombstones kept, or null when none are kept. */
  readonly pendingHorizonMs: number | null;
  /** False when the log changed under the pass and it stopped early. */
  readonly completed: boolean;
  readonly stats: CleanerStats;
}

/** Stop request for a pass (broker shutdown). */
export class CleaningAbortedError extends Error {
  override name = 'CleaningAbortedError';
}

export interface CleanRange {
  readonly firstDirtyOffset: number;
  readonly firstUncleanableOffset: number;
}

export class Cleaner {
  #config: CleanerConfig;
  #map: OffsetMap;
  #logger: StorageLogger;
  #aborted = false;
  /** log.cleaner.io.buffer.size is shared by the read window and the write buffer, as in Kafka. */
  readonly #ioBufferBytes: number;

  constructor(config: CleanerConfig, map: OffsetMap, logger: StorageLogger) {
    this.#config = config;
    this.#ioBufferBytes = Math.floor(config.ioBufferBytes / 2);
    this.#map = map;
    this.#logger = logger;
  }

  /** Makes the running pass (and later ones) stop at the next batch. */
  abort(): void {
    this.#aborted = true;
  }

  async clean(log: PartitionLog, range: CleanRange, now: number): Promise<CleanResult> {
    const started = performance.now();
    const stats: CleanerStats = { bytesRead: 0, bytesWritten: 0, recordsRead: 0, recordsKept: 0, segmentsCleaned: 0, elapsedMs: 0 };
    const snapshot = log.cleanerSnapshot();
    const inactive = snapshot.segments.slice(0, -1);
    const yieldPoint = new YieldPoint(this.#config.sliceMs);
    await this.#map.clear();
    const transactions = await TransactionOutcomes.scan(inactive, range.firstUncleanableOffset, this.#ioBufferBytes);
    const mappedEnd = await this.#buildOffsetMap(inactive, range, transactions, yieldPoint);
    const toClean = inactive.filter((s) => s.baseOffset < mappedEnd);
    const ctx: FilterContext = {
      map: this.#map,
      mappedEndOffset: mappedEnd,
      now,
      deleteRetentionMs: log.config.deleteRetentionMs,
      // As Kafka: the producer state knows each active producer's last data batch.
      isLastBatchOfProducer: (pid, lastOffset) => log.producerState.lastEntry(pid)?.lastDataOffset === lastOffset,
      yieldPoint,
      transactions,
    };
    const nextBase = snapshot.segments[toClean.length]?.baseOffset ?? mappedEnd;
    let pendingHorizonMs: number | null = null;
    let completed = true;
    for (const group of groupSegmentsBySize(toClean, log.config.segmentBytes, nextBase)) {
      const outcome = await this.#cleanGroup(log, snapshot, group, ctx, stats, yieldPoint);
      if (outcome === 'raced') {
        completed = false;
        break;
      }
      if (outcome !== null) pendingHorizonMs = pendingHorizonMs === null ? outcome : Math.min(pendingHorizonMs, outcome);
    }
    stats.elapsedMs = performance.now() - started;
    return { endOffset: completed ? mappedEnd : range.firstDirtyOffset, pendingHorizonMs, completed, stats };
  }

  /** Maps keys over the dirty range; returns the offset after the last mapped batch. */
  async #buildOffsetMap(segments: readonly LogSegment[], range: CleanRange, transactions: TransactionOutcomes, yieldPoint: YieldPoint): Promise<number> {
    const map = this.#map;
    let mappedEnd = range.firstDirtyOffset;
    for (const segment of segments) {
      if (segment.baseOffset >= range.firstUncleanableOffset) break;
      for await (const { header, bytes } of readSegmentBatches(segment.paths.log, this.#ioBufferBytes)) {
        this.#checkAborted();
        if (header.lastOffset < range.firstDirtyOffset) continue;
        if (header.baseOffset >= range.firstUncleanableOffset) return mappedEnd;
        const view = new RecordBatchView(bytes);
        const aborted = view.isTransactional && transactions.isAborted(view.producerId, view.baseOffset);
        if (!view.isControl && !aborted) {
          if (map.size + view.recordCount > map.capacity) {
            if (mappedEnd === range.firstDirtyOffset) throw new Error(`dedupe buffer too small for one batch of ${view.recordCount} records`);
            return mappedEnd;
          }
          await this.#mapKeys(view, yieldPoint);
        }
        mappedEnd = header.lastOffset + 1;
        await yieldPoint.maybeYield();
      }
    }
    return Math.max(mappedEnd, range.firstUncleanableOffset);
  }

  async #mapKeys(view: RecordBatchView, yieldPoint: YieldPoint): Promise<void> {
    const { keys, offsets } = await keysOf(view);
    for (let i = 0; i < keys.length; i++) {
      this.#map.put(keys[i], offsets[i]);
      if (i % RECORDS_PER_CHECK === RECORDS_PER_CHECK - 1) await yieldPoint.maybeYield();
    }
  }

  /** Cleans one group into a new segment and swaps it in; returns its pending horizon, or 'raced'. */
  async #cleanGroup(
    log: PartitionLog,
    snapshot: CleanerSnapshot,
    group: readonly LogSegment[],
    ctx: FilterContext,
    stats: CleanerStats,
    yieldPoint: YieldPoint,
  ): Promise<number | null | 'raced'> {
    const base = group[0].baseOffset;
    const writer = await CleanedSegmentWriter.create({
      dir: log.dir,
      baseOffset: base,
      indexBytesMax: log.config.segmentIndexBytes,
      indexIntervalBytes: log.config.indexIntervalBytes,
      ioBufferBytes: this.#ioBufferBytes,
    });
    let horizon: number | null = null;
    try {
      let mtimeMs = 0;
      for (const segment of group) {
        mtimeMs = Math.max(mtimeMs, (await fs.stat(segment.paths.log)).mtimeMs);
        for await (const { bytes } of readSegmentBatches(segment.paths.log, this.#ioBufferBytes)) {
          this.#checkAborted();
          const kept = await filterBatch(bytes, ctx);
          if (kept.bytes !== null) await writer.append(kept.bytes);
          if (kept.pendingHorizonMs !== null) horizon = horizon === null ? kept.pendingHorizonMs : Math.min(horizon, kept.pendingHorizonMs);
          stats.bytesRead += bytes.length;
          stats.recordsRead += kept.recordsRead;
          stats.recordsKept += kept.recordsKept;
          await yieldPoint.maybeYield();
        }
      }
      const keepFile = writer.size > 0 || group[0] === snapshot.segments[0];
      if (keepFile) await writer.finish(mtimeMs);
      else await writer.abort();
      stats.bytesWritten += writer.size;
      const swapped = await log.replaceSegments(group, keepFile ? base : null);
      if (!swapped) {
        await writer.abort();
        this.#logger.info({ topic: log.topic, partition: log.partition, baseOffset: base }, 'log changed during cleaning; cleaned segment dropped');
        return 'raced';
      }
      stats.segmentsCleaned += group.length;
      return horizon;
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }

  #checkAborted(): void {
    if (this.#aborted) throw new CleaningAbortedError('cleaning aborted');
  }
}
