/**
 * Sparse offset index of one segment (Kafka's OffsetIndex), file `<base>.index`.
 *
 * Byte layout: entries of 8 bytes, big-endian:
 *   0  int32  relative offset (offset - segment base offset), the LAST offset of a batch
 *   4  int32  position in the .log file of that batch's first byte
 * Entries are strictly increasing in both fields. One entry is added per
 * index.interval.bytes of log; the file is preallocated to segment.index.bytes while the
 * segment is active and trimmed to its entries on roll / close.
 *
 * Crash policy: never trusted after an unclean shutdown — the segments being recovered get
 * their index rebuilt from the log. After a clean shutdown it is validated on load and
 * rebuilt when inconsistent.
 */
import { IndexEntries } from './index-entries.ts';

export const OFFSET_INDEX_ENTRY_SIZE = 8;

export interface OffsetPosition {
  readonly offset: number;
  readonly position: number;
}

export class OffsetIndex {
  readonly baseOffset: number;
  readonly entries: IndexEntries;

  constructor(baseOffset: number, maxIndexBytes: number, initial?: Buffer) {
    this.baseOffset = baseOffset;
    this.entries = new IndexEntries(OFFSET_INDEX_ENTRY_SIZE, maxEntries(maxIndexBytes), initial);
  }

  get isFull(): boolean {
    return this.entries.isFull;
  }

  /** Adds an entry; returns the 8 bytes written (for the caller to persist). */
  append(offset: number, position: number): Buffer {
    const at = this.entries.push();
    const buf = this.entries.buffer;
    buf.writeInt32BE(offset - this.baseOffset, at);
    buf.writeInt32BE(position, at + 4);
    return buf.subarray(at, at + OFFSET_INDEX_ENTRY_SIZE);
  }

  /** Largest entry with offset <= target, or (baseOffset, 0) when there is none. */
  lookup(targetOffset: number): OffsetPosition {
    const buf = this.entries.buffer;
    const i = this.entries.floor(targetOffset - this.baseOffset, (pos) => buf.readInt32BE(pos));
    return i < 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(i);
  }

  lastEntry(): OffsetPosition {
    const n = this.entries.count;
    return n === 0 ? { offset: this.baseOffset, position: 0 } : this.entryAt(n - 1);
  }

  /** Consistency check against the log's size: increasing offsets and positions within the log. */
  isConsistent(logSize: number): boolean {
    let prevOffset = -1;
    let prevPosition = -1;
    for (let i = 0; i < this.entries.count; i++) {
      const { offset, position } = this.entryAt(i);
      const rel = offset - this.baseOffset;
      if (rel <= prevOffset || position <= prevPosition || position >= logSize) return false;
      prevOffset = rel;
      prevPosition = position;
    }
    return true;
  }

  entryAt(i: number): OffsetPosition {
    const at = i * OFFSET_INDEX_ENTRY_SIZE;
    const buf = this.entries.buffer;
    return { offset: this.baseOffset + buf.readInt32BE(at), position: buf.readInt32BE(at + 4) };
  }
}

function maxEntries(maxIndexBytes: number): number {
  return Math.max(1, Math.floor(maxIndexBytes / OFFSET_INDEX_ENTRY_SIZE));
}
