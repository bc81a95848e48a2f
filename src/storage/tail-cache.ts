/**
 * TailCache: the most recently appended batches of one partition log, kept in memory so
 * a Fetch at or near the log end is answered without a file read (and without the fresh
 * buffer each file read allocates).
 *
 * Layout: appended bytes are copied (a Produce's frame buffer is reused after its
 * response) into chunks, each one Buffer filled front to back with whole batches in
 * offset order; a chunk holds batches of one segment only, so a read stops at a segment
 * boundary exactly as a file read does. Chunks start small and double when
 * full, up to CHUNK_BYTES_MAX, so idle partitions hold little. Bytes of a chunk, once written, are
 * never written again (a truncation abandons the chunk's free space): a read returns a
 * view into a chunk, which stays valid for as long as the response holds it.
 *
 * Invariant: the cached batches are a contiguous suffix of the log, ending at the log end
 * offset. Anything that could break it empties the cache (an append that does not follow
 * the cached end, an append larger than the partition limit, truncation, compaction);
 * eviction only ever drops whole chunks from the front. The owner (PartitionLog) calls
 * every method under its append lock except `read`, which is synchronous and so sees a
 * consistent state.
 *
 * Limits: `partitionBytesMax` per partition and the broker-wide `TailCacheBudget`
 * (bytes counted as allocated chunk capacity); the budget evicts the oldest chunk of any
 * partition first. Reads are answered with exactly the bytes the segment file path would
 * return (see LogSegment.read): whole batches from the one holding the offset, the first
 * one regardless of maxBytes when minOneBatch, none whose base offset is >= maxOffset,
 * none from a later segment.
 */
import { BATCH_LENGTH_OFFSET, LAST_OFFSET_DELTA_OFFSET, LOG_OVERHEAD } from '../protocol/records/batch-layout.ts';
import { readInt64 } from '../protocol/records/int64.ts';
import type { BatchHeader } from './batch-header.ts';

/** Default bytes cached per partition. */
export const TAIL_CACHE_PARTITION_BYTES_MAX = 1 << 20;
/** Default bytes cached over all partitions of a broker (process). */
export const TAIL_CACHE_BROKER_BYTES_MAX = 64 << 20;
/** Size of a partition's first chunk; each next one doubles, up to CHUNK_BYTES_MAX. */
const CHUNK_BYTES_MIN = 16 << 10;
const CHUNK_BYTES_MAX = 256 << 10;

const EMPTY = Buffer.alloc(0);

interface Chunk {
  readonly owner: TailCache;
  readonly buffer: Buffer;
  /** Base offset of the segment the chunk's batches are in. */
  readonly segmentBase: number;
  /** Base offset of the chunk's first batch. */
  readonly baseOffset: number;
  /** Offset after the chunk's last batch. */
  nextOffset: number;
  /** Bytes filled, from 0. */
  used: number;
}

/** What a cached read returns: as LogSegment's SegmentRead. */
export interface CachedRead {
  readonly records: Buffer;
  readonly firstOffset: number;
}

/** The broker-wide bound on cached bytes, shared by every partition's TailCache. */
export class TailCacheBudget {
  readonly bytesMax: number;
  #bytes = 0;
  /** Every live chunk of every partition, oldest first (a Set keeps insertion order). */
  readonly #chunks = new Set<Chunk>();

  constructor(bytesMax = TAIL_CACHE_BROKER_BYTES_MAX) {
    this.bytesMax = bytesMax;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** Makes room for `bytes` more by evicting the oldest chunks; false if it can never fit. */
  reserve(bytes: number): boolean {
    if (bytes > this.bytesMax) return false;
    while (this.#bytes + bytes > this.bytesMax) {
      const oldest = this.#chunks.values().next().value!;
      oldest.owner.evictFirstChunk();
    }
    return true;
  }

  add(chunk: Chunk): void {
    this.#chunks.add(chunk);
    this.#bytes += chunk.buffer.length;
  }

  remove(chunk: Chunk): void {
    if (this.#chunks.delete(chunk)) this.#bytes -= chunk.buffer.length;
  }
}

/** Used when a log is opened without a budget: one per process, as a broker is one process. */
export const processTailCacheBudget = new TailCacheBudget();

export interface TailCacheOptions {
  /** Bytes (chunk capacity) cached for this partition at most; 0 disables the cache. */
  readonly partitionBytesMax: number;
  readonly budget: TailCacheBudget;
}

export class TailCache {
  readonly #partitionBytesMax: number;
  readonly #budget: TailCacheBudget;
  /** Oldest first; the last one is filled by appends. */
  #chunks: Chunk[] = [];
  #bytes = 0;

  constructor(opts: TailCacheOptions) {
    this.#partitionBytesMax = opts.partitionBytesMax;
    this.#budget = opts.budget;
  }

  /** Chunk capacity held, in bytes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Base offset of the first cached batch, or null when empty. */
  get startOffset(): number | null {
    return this.#chunks[0]?.baseOffset ?? null;
  }

  /**
   * Copies appended batches (`headers` positions relative to `records`) written to the
   * segment starting at `segmentBase`. Call after they are in the log, before any read
   * can see the new log end.
   */
  append(records: Buffer, headers: readonly BatchHeader[], segmentBase: number): void {
    if (headers.length === 0 || this.#partitionBytesMax <= 0) return;
    const baseOffset = headers[0].baseOffset;
    const nextOffset = headers[headers.length - 1].lastOffset + 1;
    const last = this.#chunks[this.#chunks.length - 1];
    if (last !== undefined && last.nextOffset !== baseOffset) this.clear();
    if (records.length > this.#partitionBytesMax) {
      this.clear();
      return;
    }
    const tail = this.#chunks[this.#chunks.length - 1];
    const sameSegment = tail !== undefined && tail.segmentBase === segmentBase;
    const chunk = sameSegment && tail.buffer.length - tail.used >= records.length ? tail : this.#newChunk(records.length, sameSegment, segmentBase, baseOffset);
    if (chunk === null) return;
    records.copy(chunk.buffer, chunk.used);
    chunk.used += records.length;
    chunk.nextOffset = nextOffset;
  }

  /** A chunk twice the size of a full previous one (the same size after a segment roll). */
  #newChunk(minBytes: number, previousFull: boolean, segmentBase: number, baseOffset: number): Chunk | null {
    const previous = this.#chunks[this.#chunks.length - 1]?.buffer.length ?? CHUNK_BYTES_MIN;
    const capacity = Math.max(minBytes, Math.min(previousFull ? previous * 2 : previous, CHUNK_BYTES_MAX, this.#partitionBytesMax));
    while (this.#chunks.length > 0 && this.#bytes + capacity > this.#partitionBytesMax) this.evictFirstChunk();
    if (!this.#budget.reserve(capacity)) {
      this.clear();
      return null;
    }
    // Outside Node's shared pool: a chunk lives long and is freed as a whole.
    const chunk: Chunk = { owner: this, buffer: Buffer.allocUnsafeSlow(capacity), segmentBase, baseOffset, nextOffset: baseOffset, used: 0 };
    this.#chunks.push(chunk);
    this.#bytes += capacity;
    this.#budget.add(chunk);
    return chunk;
  }

  /** Drops the oldest chunk (the budget's eviction, and this partition's own limit). */
  evictFirstChunk(): void {
    const first = this.#chunks.shift();
    if (first === undefined) return;
    this.#bytes -= first.buffer.length;
    this.#budget.remove(first);
  }

  /** Drops every chunk holding only offsets below `offset` (log start moved). */
  evictBelow(offset: number): void {
    while (this.#chunks.length > 0 && this.#chunks[0].nextOffset <= offset) this.evictFirstChunk();
  }

  /** Drops everything (truncation, compaction, close). */
  clear(): void {
    while (this.#chunks.length > 0) this.evictFirstChunk();
  }

  /**
   * The file path's answer from memory (see the header), or null when the batch holding
   * `offset` is not cached. The caller has checked that `offset` is below the log end.
   */
  read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean): CachedRead | null {
    const chunks = this.#chunks;
    if (chunks.length === 0 || offset < chunks[0].baseOffset || offset >= chunks[chunks.length - 1].nextOffset) return null;
    let index = chunks.length - 1;
    while (index > 0 && chunks[index - 1].nextOffset > offset) index--;
    const chunk = chunks[index];
    const start = batchHolding(chunk, offset);
    const firstOffset = readInt64(chunk.buffer, start);
    const firstSize = batchSize(chunk.buffer, start);
    if (firstOffset >= maxOffset || (firstSize > maxBytes && !minOneBatch)) return { records: EMPTY, firstOffset };
    return { records: this.#collect(index, start, firstSize, maxBytes, maxOffset), firstOffset };
  }

  /** Whole batches from `start` of chunk `index` (its first one included) within the limits. */
  #collect(index: number, start: number, firstSize: number, maxBytes: number, maxOffset: number): Buffer {
    const pieces: Buffer[] = [];
    let chunk = this.#chunks[index];
    let pieceStart = start;
    let pos = start + firstSize;
    let total = firstSize;
    for (;;) {
      if (pos >= chunk.used) {
        const next = this.#chunks[index + 1];
        if (next === undefined || next.segmentBase !== chunk.segmentBase) break;
        pieces.push(chunk.buffer.subarray(pieceStart, pos));
        chunk = next;
        index++;
        pieceStart = pos = 0;
      }
      const size = batchSize(chunk.buffer, pos);
      if (readInt64(chunk.buffer, pos) >= maxOffset || total + size > maxBytes) break;
      pos += size;
      total += size;
    }
    if (pos > pieceStart) pieces.push(chunk.buffer.subarray(pieceStart, pos));
    // Across chunks (a reader further behind) the file path's contiguous bytes cost one copy.
    return pieces.length === 1 ? pieces[0] : Buffer.concat(pieces, total);
  }
}

/** Position of the first batch of `chunk` with last offset >= `offset` (one exists). */
function batchHolding(chunk: Chunk, offset: number): number {
  const buf = chunk.buffer;
  let pos = 0;
  while (pos < chunk.used) {
    if (readInt64(buf, pos) + buf.readInt32BE(pos + LAST_OFFSET_DELTA_OFFSET) >= offset) return pos;
    pos += batchSize(buf, pos);
  }
  throw new Error(`tail cache: no batch holds offset ${offset} below ${chunk.nextOffset}`);
}

function batchSize(buf: Buffer, pos: number): number {
  return LOG_OVERHEAD + buf.readInt32BE(pos + BATCH_LENGTH_OFFSET);
}
