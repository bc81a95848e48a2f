/**
 * TailCache: the most recently appended batches of one partition log, kept in memory so
 * a Fetch at or near the log end is answered without a file read through the libuv pool.
 *
 * Layout: one ring buffer per partition. Each append's bytes (whole batches, offsets
 * assigned) are copied in contiguously — a Produce's frame buffer is reused after its
 * response — at the ring's write position, or at its start when they do not fit before
 * its end; the oldest appends are evicted to make room. Per append the ring keeps one
 * entry (base offset, next offset, position, size, segment base) in a Float64Array ring
 * of entries, so an append allocates nothing: V8 counts every new ArrayBuffer against its
 * heap limits, and a steady stream of them (one per chunk or per append) was measured to
 * keep the broker in back-to-back mark-compacts. A read copies its answer out (into one
 * buffer from the caller's ReadBuffers, as a file read does), so no view into the ring ever
 * escapes and its memory can be overwritten and reused freely.
 *
 * Invariant: the cached appends are a contiguous suffix of the log, ending at the log end
 * offset. Anything that could break it empties the cache (an append that does not follow
 * the cached end, truncation, compaction); eviction drops the oldest appends only. The
 * owner (PartitionLog) calls every method under its append lock except `read`, which is
 * synchronous and so sees a consistent state.
 *
 * Limits: a ring starts at RING_BYTES_MIN and doubles when an append would evict, up to
 * `partitionBytesMax`, within the broker-wide TailCacheBudget (ring and entry bytes of
 * every partition), which takes memory back from idle partitions (see TailCacheBudget);
 * a ring that cannot grow evicts its own oldest appends instead, and an append larger
 * than the ring can be is not cached (the cache is emptied).
 *
 * Reads are answered with exactly the bytes the segment file path returns (see
 * LogSegment.read): whole batches from the one holding the offset, the first one
 * regardless of maxBytes when minOneBatch, none whose base offset is >= maxOffset, none
 * from a later segment.
 */
import { BATCH_LENGTH_OFFSET, LAST_OFFSET_DELTA_OFFSET, LOG_OVERHEAD } from '../protocol/records/batch-layout.ts';
import { readInt64 } from '../protocol/records/int64.ts';
import type { BatchHeader } from './batch-header.ts';
import { FRESH_READ_BUFFERS, type ReadBuffers } from './read-buffers.ts';

/** Default bytes of ring per partition. */
export const TAIL_CACHE_PARTITION_BYTES_MAX = 1 << 20;
/** Default bytes of rings and entries over all partitions of a broker (process). */
export const TAIL_CACHE_BROKER_BYTES_MAX = 64 << 20;
/** A partition's first ring; it doubles from there. */
const RING_BYTES_MIN = 16 << 10;
/** Appends remembered per partition at most; the entry ring starts small and doubles. */
const ENTRIES_MAX = 4096;
const ENTRIES_MIN = 64;
/** Float64 fields per entry. */
const BASE = 0;
const NEXT = 1;
const POSITION = 2;
const SIZE = 3;
const SEGMENT = 4;
const ENTRY_FIELDS = 5;
const ENTRY_BYTES = ENTRY_FIELDS * 8;

const EMPTY = Buffer.alloc(0);

/** What a cached read returns: as LogSegment's SegmentRead. */
export interface CachedRead {
  readonly records: Buffer;
  readonly firstOffset: number;
}

/** A partition not appended to for this long counts as idle and may lose its ring. */
export const TAIL_CACHE_IDLE_MS = 10_000;

/**
 * The broker-wide bound on cache memory, shared by every partition's TailCache. When a
 * ring cannot grow within it, idle partitions (no append for TAIL_CACHE_IDLE_MS) give
 * their memory back, least recently appended first, so an idle or deleted topic's rings
 * do not hold it forever. Active partitions keep theirs: with more active partitions than
 * the budget holds, taking from them would free and reallocate rings on every append, and
 * V8 answers such a stream of new ArrayBuffers with back-to-back mark-compacts.
 */
export class TailCacheBudget {
  readonly bytesMax: number;
  readonly #now: () => number;
  #bytes = 0;
  /** Caches holding memory with the time of their last append, least recent first (a Map keeps insertion order). */
  readonly #holders = new Map<TailCache, number>();

  constructor(bytesMax = TAIL_CACHE_BROKER_BYTES_MAX, now: () => number = () => performance.now()) {
    this.bytesMax = bytesMax;
    this.#now = now;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** `cache` was appended to: it becomes the last to give memory back. */
  touch(cache: TailCache): void {
    this.#holders.delete(cache);
    this.#holders.set(cache, this.#now());
  }

  /** Takes `bytes` for `requester`, releasing idle caches; false if they cannot fit. */
  tryReserve(bytes: number, requester: TailCache): boolean {
    if (bytes > this.bytesMax) return false;
    while (this.#bytes + bytes > this.bytesMax) {
      const idle = this.#oldestIdleOtherThan(requester);
      if (idle === null) return false;
      idle.release();
    }
    this.#bytes += bytes;
    this.touch(requester);
    return true;
  }

  /** `cache` gave all of its `bytes` back. */
  release(cache: TailCache, bytes: number): void {
    this.#bytes -= bytes;
    this.#holders.delete(cache);
  }

  #oldestIdleOtherThan(requester: TailCache): TailCache | null {
    const idleBefore = this.#now() - TAIL_CACHE_IDLE_MS;
    for (const [cache, lastAppend] of this.#holders) {
      if (lastAppend > idleBefore) return null; // the rest were appended to later still
      if (cache !== requester) return cache;
    }
    return null;
  }
}

/** Used when a log is opened without a budget: one per process, as a broker is one process. */
export const processTailCacheBudget = new TailCacheBudget();

export interface TailCacheOptions {
  /** Ring bytes for this partition at most; 0 disables the cache. */
  readonly partitionBytesMax: number;
  readonly budget: TailCacheBudget;
}

export class TailCache {
  readonly #partitionBytesMax: number;
  readonly #budget: TailCacheBudget;
  #ring: Buffer = EMPTY;
  #entries = new Float64Array(0);
  /** Ring index of the oldest entry, and how many there are. */
  #head = 0;
  #count = 0;

  constructor(opts: TailCacheOptions) {
    this.#partitionBytesMax = opts.partitionBytesMax;
    this.#budget = opts.budget;
  }

  /** Memory held (ring and entries), in bytes. */
  get bytes(): number {
    return this.#ring.length + this.#entries.length * 8;
  }

  /** Base offset of the first cached batch, or null when empty. */
  get startOffset(): number | null {
    return this.#count === 0 ? null : this.#field(0, BASE);
  }

  /**
   * Copies appended batches (`headers` positions relative to `records`) written to the
   * segment starting at `segmentBase`. Call after they are in the log, before any read
   * can see the new log end.
   */
  append(records: Buffer, headers: readonly BatchHeader[], segmentBase: number): void {
    if (headers.length === 0 || this.#partitionBytesMax <= 0) return;
    const baseOffset = headers[0].baseOffset;
    if (this.#count > 0 && this.#field(this.#count - 1, NEXT) !== baseOffset) this.clear();
    const position = this.#place(records.length);
    if (position < 0 || !this.#roomForEntry()) {
      this.clear();
      return;
    }
    records.copy(this.#ring, position);
    this.#budget.touch(this);
    const e = ((this.#head + this.#count) % this.#entriesCapacity()) * ENTRY_FIELDS;
    this.#entries[e + BASE] = baseOffset;
    this.#entries[e + NEXT] = headers[headers.length - 1].lastOffset + 1;
    this.#entries[e + POSITION] = position;
    this.#entries[e + SIZE] = records.length;
    this.#entries[e + SEGMENT] = segmentBase;
    this.#count++;
  }

  /** Where `size` bytes go, evicting (or growing the ring) as needed; -1 if they cannot. */
  #place(size: number): number {
    for (;;) {
      const position = this.#freePosition(size);
      if (position >= 0) return position;
      if (this.#grow(size)) continue;
      if (this.#count === 0) return -1;
      this.#evictOldest();
    }
  }

  /** A position with `size` free bytes after the newest entry, or -1. */
  #freePosition(size: number): number {
    const capacity = this.#ring.length;
    if (this.#count === 0) return size <= capacity ? 0 : -1;
    const newest = this.#count - 1;
    const writeEnd = this.#field(newest, POSITION) + this.#field(newest, SIZE);
    const oldestStart = this.#field(0, POSITION);
    if (writeEnd > oldestStart) {
      if (capacity - writeEnd >= size) return writeEnd;
      return oldestStart >= size ? 0 : -1;
    }
    return oldestStart - writeEnd >= size ? writeEnd : -1;
  }

  /** Doubles the ring (at least to `size`) within both limits; the live bytes move to its start. */
  #grow(size: number): boolean {
    const current = this.#ring.length;
    if (current >= this.#partitionBytesMax) return false;
    let capacity = Math.max(current * 2, RING_BYTES_MIN);
    while (capacity < size) capacity *= 2;
    capacity = Math.min(capacity, this.#partitionBytesMax);
    if (capacity < size || !this.#budget.tryReserve(capacity - current, this)) return false;
    const ring = Buffer.allocUnsafeSlow(capacity);
    let position = 0;
    for (let i = 0; i < this.#count; i++) {
      const e = this.#entryIndex(i);
      const from = this.#entries[e + POSITION];
      const bytes = this.#entries[e + SIZE];
      this.#ring.copy(ring, position, from, from + bytes);
      this.#entries[e + POSITION] = position;
      position += bytes;
    }
    this.#ring = ring;
    return true;
  }

  /** Room for one more entry, growing the entry ring or evicting the oldest. */
  #roomForEntry(): boolean {
    const capacity = this.#entriesCapacity();
    if (this.#count < capacity) return true;
    const grown = Math.min(Math.max(capacity * 2, ENTRIES_MIN), ENTRIES_MAX);
    if (grown > capacity && this.#budget.tryReserve((grown - capacity) * ENTRY_BYTES, this)) {
      const entries = new Float64Array(grown * ENTRY_FIELDS);
      for (let i = 0; i < this.#count; i++) entries.set(this.#entries.subarray(this.#entryIndex(i), this.#entryIndex(i) + ENTRY_FIELDS), i * ENTRY_FIELDS);
      this.#entries = entries;
      this.#head = 0;
      return true;
    }
    if (this.#count <= 1) return false;
    this.#evictOldest();
    return true;
  }

  #evictOldest(): void {
    this.#head = (this.#head + 1) % this.#entriesCapacity();
    this.#count--;
  }

  /** Drops every append holding only offsets below `offset` (log start moved). */
  evictBelow(offset: number): void {
    while (this.#count > 0 && this.#field(0, NEXT) <= offset) this.#evictOldest();
  }

  /** Forgets every append (truncation, compaction); the memory stays for new appends. */
  clear(): void {
    this.#head = 0;
    this.#count = 0;
  }

  /** Forgets everything and gives the memory back to the budget (the log closes, or the budget needs it). */
  release(): void {
    this.clear();
    this.#budget.release(this, this.bytes);
    this.#ring = EMPTY;
    this.#entries = new Float64Array(0);
  }

  /**
   * The file path's answer from memory (see the header), or null when the batch holding
   * `offset` is not cached. The caller has checked that `offset` is below the log end.
   */
  read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean, buffers: ReadBuffers = FRESH_READ_BUFFERS): CachedRead | null {
    if (this.#count === 0 || offset < this.#field(0, BASE) || offset >= this.#field(this.#count - 1, NEXT)) return null;
    const entry = this.#entryHolding(offset);
    const start = this.#batchHolding(entry, offset);
    const ring = this.#ring;
    const firstOffset = readInt64(ring, start);
    const firstSize = batchSize(ring, start);
    if (firstOffset >= maxOffset || (firstSize > maxBytes && !minOneBatch)) return { records: EMPTY, firstOffset };
    return { records: this.#copyOut(entry, start, firstSize, maxBytes, maxOffset, buffers), firstOffset };
  }

  /** Index (0 = oldest) of the first entry whose batches reach `offset` (binary search). */
  #entryHolding(offset: number): number {
    let lo = 0;
    let hi = this.#count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#field(mid, NEXT) > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Ring position of the first batch of entry `i` with last offset >= `offset` (one exists). */
  #batchHolding(i: number, offset: number): number {
    const ring = this.#ring;
    let pos = this.#field(i, POSITION);
    const end = pos + this.#field(i, SIZE);
    while (pos < end) {
      if (readInt64(ring, pos) + ring.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) >= offset) return pos;
      pos += batchSize(ring, pos);
    }
    throw new Error(`tail cache: no batch holds offset ${offset} in its entry`);
  }

  /** Copies whole batches from `start` in entry `i` (its first one included) within the limits. */
  #copyOut(i: number, start: number, firstSize: number, maxBytes: number, maxOffset: number, buffers: ReadBuffers): Buffer {
    const ring = this.#ring;
    const segment = this.#field(i, SEGMENT);
    const ranges: number[] = [start];
    let pos = start + firstSize;
    let end = this.#field(i, POSITION) + this.#field(i, SIZE);
    let total = firstSize;
    for (;;) {
      if (pos >= end) {
        if (++i >= this.#count || this.#field(i, SEGMENT) !== segment) break;
        const next = this.#field(i, POSITION);
        if (next !== pos) ranges.push(pos, next); // the ring wrapped
        pos = next;
        end = next + this.#field(i, SIZE);
      }
      const size = batchSize(ring, pos);
      if (readInt64(ring, pos) >= maxOffset || total + size > maxBytes) break;
      pos += size;
      total += size;
    }
    ranges.push(pos);
    const out = buffers.take(total);
    let written = 0;
    for (let r = 0; r < ranges.length; r += 2) written += ring.copy(out, written, ranges[r], ranges[r + 1]);
    return out;
  }

  #entriesCapacity(): number {
    return this.#entries.length / ENTRY_FIELDS;
  }

  /** Float64Array index of the i-th oldest entry. */
  #entryIndex(i: number): number {
    return ((this.#head + i) % this.#entriesCapacity()) * ENTRY_FIELDS;
  }

  #field(i: number, field: number): number {
    return this.#entries[this.#entryIndex(i) + field];
  }
}

function batchSize(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
}
