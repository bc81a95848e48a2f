/**
 * How dirty a compacted log is (Kafka's LogCleanerManager.cleanableOffsets / LogToClean):
 *
 *   firstDirtyOffset        the cleaner checkpoint, or the log start when the checkpoint
 *                           is missing or outside [log start, log end]
 *   firstUncleanableOffset  min(last stable offset (≤ high watermark), active segment's
 *                           base, base of the first segment with a record younger than
 *                           min.compaction.lag.ms when that is > 0)
 *   cleanableRatio          bytes of [firstDirty, firstUncleanable) / bytes of [start, firstUncleanable)
 *   needCompactionNow       the first dirty segment's first batch is older than
 *                           max.compaction.lag.ms
 */
import type { LogSegment } from '../log-segment.ts';
import type { PartitionLog } from '../partition-log.ts';
import { NO_TIMESTAMP } from '../time-index.ts';
import { firstBatchHeader } from './segment-batches.ts';

export interface LogToClean {
  readonly log: PartitionLog;
  readonly firstDirtyOffset: number;
  readonly firstUncleanableOffset: number;
  readonly cleanBytes: number;
  readonly cleanableBytes: number;
  readonly cleanableRatio: number;
  readonly needCompactionNow: boolean;
}

export async function logToClean(log: PartitionLog, checkpoint: number | undefined, now: number): Promise<LogToClean> {
  const { segments, logStartOffset, logEndOffset, highWatermark } = log.cleanerSnapshot();
  const inRange = checkpoint !== undefined && checkpoint >= logStartOffset && checkpoint <= logEndOffset;
  const firstDirtyOffset = inRange ? checkpoint : logStartOffset;
  const active = segments[segments.length - 1];
  const lastStable = Math.min(highWatermark, log.producerState.firstUnstableOffset() ?? Infinity);
  const dirty = segments.filter((s, i) => s !== active && (segments[i + 1]?.baseOffset ?? Infinity) > firstDirtyOffset);
  // As Kafka, a lag of 0 skips the check (records stamped in the future are cleanable too).
  const young = log.config.minCompactionLagMs > 0 ? await firstYoungSegment(dirty, now - log.config.minCompactionLagMs) : undefined;
  const firstUncleanableOffset = Math.max(firstDirtyOffset, Math.min(lastStable, active.baseOffset, young?.baseOffset ?? Infinity));
  const cleanBytes = sizeOf(segments.filter((s) => s !== active && s.baseOffset < firstDirtyOffset && !dirty.includes(s)));
  const cleanableBytes = sizeOf(dirty.filter((s) => s.baseOffset < firstUncleanableOffset));
  const total = cleanBytes + cleanableBytes;
  return {
    log,
    firstDirtyOffset,
    firstUncleanableOffset,
    cleanBytes,
    cleanableBytes,
    cleanableRatio: total === 0 ? 0 : cleanableBytes / total,
    needCompactionNow: await olderThan(dirty[0], now - log.config.maxCompactionLagMs),
  };
}

/** Kafka's choice: a log whose ratio passes min.cleanable.dirty.ratio, or that must be compacted now. */
export function isCleanable(ltc: LogToClean): boolean {
  return (ltc.needCompactionNow && ltc.cleanableBytes > 0) || ltc.cleanableRatio > ltc.log.config.minCleanableDirtyRatio;
}

async function firstYoungSegment(segments: readonly LogSegment[], cutoff: number): Promise<LogSegment | undefined> {
  for (const s of segments) if ((await s.largestTimestamp()) > cutoff) return s;
  return undefined;
}

async function olderThan(segment: LogSegment | undefined, cutoff: number): Promise<boolean> {
  // cutoff <= 0: max.compaction.lag.ms is "never" (its default); no file needs opening.
  if (segment === undefined || segment.size === 0 || cutoff <= 0) return false;
  const first = await firstBatchHeader(segment.paths.log);
  return first !== null && first.maxTimestamp !== NO_TIMESTAMP && first.maxTimestamp < cutoff;
}

function sizeOf(segments: readonly LogSegment[]): number {
  return segments.reduce((n, s) => n + s.size, 0);
}
