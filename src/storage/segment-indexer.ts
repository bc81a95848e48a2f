/**
 * Decides when a batch gets index entries, identically for appends and for rebuilding an
 * index from the log (Kafka's LogSegment.append / recover): after more than
 * index.interval.bytes of log since the last entry, the batch gets an offset-index entry
 * (its last offset -> its position) and the time index gets the max timestamp so far.
 * Also tracks the segment's max timestamp and the (last) offset of the batch holding it.
 */
import type { BatchHeader } from './batch-header.ts';
import type { OffsetIndex } from './offset-index.ts';
import { NO_TIMESTAMP, type TimeIndex } from './time-index.ts';

export class SegmentIndexer {
  readonly offsetIndex: OffsetIndex;
  readonly timeIndex: TimeIndex;
  readonly indexIntervalBytes: number;
  maxTimestamp = NO_TIMESTAMP;
  offsetOfMaxTimestamp = -1;
  #bytesSinceLastEntry = 0;

  constructor(offsetIndex: OffsetIndex, timeIndex: TimeIndex, indexIntervalBytes: number) {
    this.offsetIndex = offsetIndex;
    this.timeIndex = timeIndex;
    this.indexIntervalBytes = indexIntervalBytes;
  }

  /** Seeds the max timestamp from state already on disk (clean load). */
  seedMaxTimestamp(timestamp: number, offset: number): void {
    if (timestamp > this.maxTimestamp) {
      this.maxTimestamp = timestamp;
      this.offsetOfMaxTimestamp = offset;
    }
  }

  /** Accounts for one batch at file position `position`. */
  onBatch(header: BatchHeader, position: number): void {
    this.seedMaxTimestamp(header.maxTimestamp, header.lastOffset);
    if (this.#bytesSinceLastEntry > this.indexIntervalBytes && !this.offsetIndex.isFull) {
      this.offsetIndex.append(header.lastOffset, position);
      this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
      this.#bytesSinceLastEntry = 0;
    }
    this.#bytesSinceLastEntry += header.sizeInBytes;
  }

  /** The final time-index entry a segment gets when it stops being active. */
  appendFinalTimeEntry(): void {
    if (this.maxTimestamp !== NO_TIMESTAMP) this.timeIndex.maybeAppend(this.maxTimestamp, this.offsetOfMaxTimestamp);
  }
}
