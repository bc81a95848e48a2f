/**
 * Sparse time index of one segment (Kafka's TimeIndex), file `<base>.timeindex`.
 *
 * Byte layout: entries of 12 bytes, big-endian:
 *   0  int64  timestamp: the largest timestamp seen in the segment so far
 *   8  int32  relative offset of the batch (its last offset) holding that timestamp
 * Timestamps are strictly increasing (an entry is only added when the max grows), offsets
 * non-decreasing. Entries are added with offset-index entries; one final entry for the
 * segment's max timestamp is added when it stops being active. Preallocated / trimmed and
 * crash policy as the offset index.
 */
import { readInt64, writeInt64 } from '../protocol/records/int64.ts';
import { IndexEntries } from './index-entries.ts';

export const TIME_INDEX_ENTRY_SIZE = 12;

export interface TimestampOffset {
  readonly timestamp: number;
  readonly offset: number;
}

/** Kafka's RecordBatch.NO_TIMESTAMP. */
export const NO_TIMESTAMP = -1;

export class TimeIndex {
  readonly baseOffset: number;
  readonly entries: IndexEntries;

  constructor(baseOffset: number, maxIndexBytes: number, initial?: Buffer) {
    this.baseOffset = baseOffset;
    const max = Math.max(1, Math.floor(maxIndexBytes / TIME_INDEX_ENTRY_SIZE));
    this.entries = new IndexEntries(TIME_INDEX_ENTRY_SIZE, max, initial);
  }

  /** Full leaves room for the final entry added on roll. */
  get isFull(): boolean {
    return this.entries.count >= this.entries.maxEntries - 1;
  }

  /**
   * Adds (timestamp, offset) when timestamp exceeds the last entry's; returns the bytes
   * written, or null when nothing was added.
   */
  maybeAppend(timestamp: number, offset: number): Buffer | null {
    const n = this.entries.count;
    if (n > 0 && timestamp <= this.lastEntry().timestamp) return null;
    if (timestamp === NO_TIMESTAMP || this.entries.isFull) return null;
    const at = this.entries.push();
    const buf = this.entries.buffer;
    writeInt64(buf, at, timestamp);
    buf.writeInt32BE(offset - this.baseOffset, at + 8);
    return buf.subarray(at, at + TIME_INDEX_ENTRY_SIZE);
  }

  /** Largest entry with timestamp <= target, or (NO_TIMESTAMP, baseOffset) when none. */
  lookup(targetTimestamp: number): TimestampOffset {
    const buf = this.entries.buffer;
    const i = this.entries.floor(targetTimestamp, (pos) => readInt64(buf, pos));
    return i < 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entryAt(i);
  }

  /** Last entry, or (NO_TIMESTAMP, baseOffset) when empty. */
  lastEntry(): TimestampOffset {
    const n = this.entries.count;
    return n === 0 ? { timestamp: NO_TIMESTAMP, offset: this.baseOffset } : this.entryAt(n - 1);
  }

  /** Timestamps strictly increasing, offsets non-decreasing, within [base, nextOffset). */
  isConsistent(nextOffset: number): boolean {
    let prev: TimestampOffset | null = null;
    for (let i = 0; i < this.entries.count; i++) {
      const e = this.entryAt(i);
      if (e.offset < this.baseOffset || e.offset >= nextOffset) return false;
      if (prev !== null && (e.timestamp <= prev.timestamp || e.offset < prev.offset)) return false;
      prev = e;
    }
    return true;
  }

  entryAt(i: number): TimestampOffset {
    const at = i * TIME_INDEX_ENTRY_SIZE;
    const buf = this.entries.buffer;
    return { timestamp: readInt64(buf, at), offset: this.baseOffset + buf.readInt32BE(at + 8) };
  }
}
