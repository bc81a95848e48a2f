/**
 * Opening a partition directory (Kafka's LogLoader): completes or rolls back an interrupted
 * compaction swap (cleaner/swap-recovery.ts), removes leftovers of other interrupted
 * operations, opens every segment, and — after an unclean shutdown — recovers the segments
 * from the one holding the recovery point onwards: each batch is validated (framing,
 * magic 2, offsets, CRC32C) with large sequential reads, the segment is truncated at the
 * first bad or torn batch, every later segment is deleted, and indexes are rebuilt. After
 * a clean shutdown the files are trusted; indexes are validated when first used.
 *
 * Runs at start-up (or partition creation); it may take its time but uses async I/O.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { LogConfig } from '../config/log-config.ts';
import { LEFTOVER_SUFFIXES, LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX, parseOffsetFileName } from './file-names.ts';
import { recoverInterruptedSwaps } from './cleaner/swap-recovery.ts';
import type { LeaderEpochCache } from './leader-epoch-cache.ts';
import { LogSegment, type SegmentParams } from './log-segment.ts';
import type { StorageLogger } from './logger.ts';

export interface LoadOptions {
  readonly params: SegmentParams;
  readonly config: LogConfig;
  readonly recoveryPoint: number;
  readonly logStartOffset: number;
  readonly needsRecovery: boolean;
  readonly epochCache: LeaderEpochCache;
  readonly logger: StorageLogger;
}

export interface LoadedLog {
  /** Ascending by base offset; the last one is active. */
  readonly segments: LogSegment[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly recoveryPoint: number;
}

/** segment.jitter.ms: a per-segment random reduction of segment.ms (Kafka's randomSegmentJitter). */
export function randomSegmentJitter(config: LogConfig): number {
  if (config.segmentJitterMs <= 0) return 0;
  return Math.floor(Math.random() * Math.min(config.segmentJitterMs, config.segmentMs));
}

export async function loadLog(opts: LoadOptions): Promise<LoadedLog> {
  const { params, config, logger } = opts;
  await recoverInterruptedSwaps(params.dir, logger);
  const baseOffsets = await cleanDirectory(params.dir, logger);
  let segments: LogSegment[] = [];
  for (const base of baseOffsets) segments.push(await LogSegment.open(base, params, randomSegmentJitter(config)));
  if (opts.needsRecovery && segments.length > 0) segments = await recoverSegments(segments, opts);
  if (segments.length === 0) segments.push(await LogSegment.create(opts.logStartOffset, params, randomSegmentJitter(config)));
  const active = segments[segments.length - 1];
  await active.activate();
  if (active.nextOffset < opts.logStartOffset) {
    // The log start (from a checkpoint) is past everything on disk: start over there.
    await Promise.all(segments.map((s) => s.delete()));
    segments = [await LogSegment.create(opts.logStartOffset, params, randomSegmentJitter(config))];
  }
  const logEndOffset = segments[segments.length - 1].nextOffset;
  const logStartOffset = Math.max(opts.logStartOffset, segments[0].baseOffset);
  opts.epochCache.truncateFromEnd(logEndOffset);
  opts.epochCache.truncateFromStart(logStartOffset);
  await opts.epochCache.flush();
  const recoveryPoint = opts.needsRecovery ? logEndOffset : Math.min(opts.recoveryPoint, logEndOffset);
  return { segments, logStartOffset, logEndOffset, recoveryPoint };
}

/**
 * Removes files no finished operation leaves behind, returns the .log base offsets, sorted.
 * Interrupted compaction swaps were completed or rolled back before (swap-recovery.ts);
 * what is left of `.deleted` / `.cleaned` / `.swap` here is stray, as are `.tmp` (checkpoint
 * being written) and index files whose .log is gone.
 */
async function cleanDirectory(dir: string, logger: StorageLogger): Promise<number[]> {
  const names = await fs.readdir(dir);
  const bases = new Set<number>();
  for (const name of names) {
    const base = parseOffsetFileName(name, LOG_SUFFIX);
    if (base !== null) bases.add(base);
  }
  for (const name of names) {
    const leftover = LEFTOVER_SUFFIXES.some((suffix) => name.endsWith(suffix));
    const indexBase = parseOffsetFileName(name, OFFSET_INDEX_SUFFIX) ?? parseOffsetFileName(name, TIME_INDEX_SUFFIX);
    if (leftover || (indexBase !== null && !bases.has(indexBase))) {
      logger.info({ dir, file: name }, 'removing leftover file');
      await fs.rm(path.join(dir, name), { force: true, recursive: true });
    }
  }
  return [...bases].sort((a, b) => a - b);
}

/** Recovers from the segment holding the recovery point; returns the surviving segments. */
async function recoverSegments(segments: LogSegment[], opts: LoadOptions): Promise<LogSegment[]> {
  let first = segments.findLastIndex((s) => s.baseOffset <= opts.recoveryPoint);
  if (first < 0) first = 0;
  for (let i = first; i < segments.length; i++) {
    const segment = segments[i];
    const sizeBefore = segment.size;
    const result = await segment.rebuildIndexes({
      verify: true,
      // As on append: only a newer epoch than the cache's latest starts an entry.
      onBatch: (header) => {
        if (header.partitionLeaderEpoch > opts.epochCache.latestEpoch()) opts.epochCache.assign(header.partitionLeaderEpoch, header.baseOffset);
      },
    });
    if (result.defect === null) continue;
    opts.logger.warn(
      { dir: opts.params.dir, segment: segment.baseOffset, position: result.validEnd, bytesDropped: sizeBefore - result.validEnd, reason: result.defect },
      'recovery truncated segment at invalid batch',
    );
    const later = segments.splice(i + 1);
    await Promise.all(later.map((s) => s.delete()));
    break;
  }
  // Recovered bytes may still be only in the page cache (process crash): make them durable
  // before the recovery point moves past them.
  await Promise.all(segments.slice(first).map((s) => s.flush()));
  return segments;
}
