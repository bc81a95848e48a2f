/**
 * ListOffsets by timestamp over a partition's segments (Kafka's fetchOffsetByTimestamp /
 * LogSegment.findOffsetByTimestamp): the first segment whose max timestamp reaches the
 * target, its time index to skip ahead, a header scan to the first batch whose max
 * timestamp reaches it, then that one batch's records decoded to find the exact record.
 */
import { RecordBatchView } from '../protocol/records/batch.ts';
import { readRecords } from '../protocol/records/record.ts';
import type { LogSegment } from './log-segment.ts';
import { NO_TIMESTAMP } from './time-index.ts';

export interface TimestampAndOffset {
  readonly offset: number;
  readonly timestamp: number;
  /** Leader epoch of the batch / offset, or -1. */
  readonly leaderEpoch: number;
}

/** First record (at or after logStartOffset) with timestamp >= ts, or null. */
export async function findOffsetByTimestamp(segments: readonly LogSegment[], ts: number, logStartOffset: number): Promise<TimestampAndOffset | null> {
  for (const segment of segments) {
    if ((await segment.maxTimestampAndOffset()).timestamp < ts) continue;
    const found = await findInSegment(segment, ts, logStartOffset);
    if (found !== null) return found;
  }
  return null;
}

/** The first record carrying the largest timestamp of the log, or null without timestamps. */
export async function findMaxTimestampOffset(segments: readonly LogSegment[], logStartOffset: number): Promise<TimestampAndOffset | null> {
  let best: { timestamp: number; segment: LogSegment } | null = null;
  for (const segment of segments) {
    const { timestamp } = await segment.maxTimestampAndOffset();
    if (timestamp !== NO_TIMESTAMP && (best === null || timestamp > best.timestamp)) best = { timestamp, segment };
  }
  return best === null ? null : findInSegment(best.segment, best.timestamp, logStartOffset);
}

async function findInSegment(segment: LogSegment, ts: number, logStartOffset: number): Promise<TimestampAndOffset | null> {
  const { timeIndex } = await segment.indexes();
  const startOffset = Math.max(timeIndex.lookup(ts).offset, logStartOffset);
  let batch: Buffer | null = null;
  await segment.scanFrom(startOffset, (header, bytes) => {
    if (header.lastOffset < startOffset || header.maxTimestamp < ts) return true;
    batch = Buffer.from(bytes!); // the scan reuses its window after this call
    return false;
  });
  if (batch === null) return null;
  const view = new RecordBatchView(batch);
  const record = (await readRecords(view)).find((r) => r.timestamp >= ts && r.offset >= logStartOffset);
  return record === undefined ? null : { offset: record.offset, timestamp: record.timestamp, leaderEpoch: view.partitionLeaderEpoch };
}
