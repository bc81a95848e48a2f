/**
 * Fixed-size entries of a sparse index held in memory: a buffer that grows by doubling up
 * to `maxEntries` (the segment.index.bytes bound), so an idle partition does not pin the
 * whole preallocated size. The entry layout is the owning index's business.
 */
const INITIAL_CAPACITY_ENTRIES = 512;

export class IndexEntries {
  readonly entrySize: number;
  readonly maxEntries: number;
  #buf: Buffer;
  #count = 0;

  constructor(entrySize: number, maxEntries: number, initial?: Buffer) {
    this.entrySize = entrySize;
    this.maxEntries = maxEntries;
    const count = initial === undefined ? 0 : Math.min(maxEntries, Math.floor(initial.length / entrySize));
    this.#buf = Buffer.alloc(Math.min(maxEntries, Math.max(INITIAL_CAPACITY_ENTRIES, count)) * entrySize);
    if (initial !== undefined) initial.copy(this.#buf, 0, 0, count * entrySize);
    this.#count = count;
  }

  get count(): number {
    return this.#count;
  }

  get isFull(): boolean {
    return this.#count >= this.maxEntries;
  }

  /** The buffer; entry i starts at i * entrySize. Valid until the next push. */
  get buffer(): Buffer {
    return this.#buf;
  }

  /** Reserves the next entry and returns its byte position; caller fills it. */
  push(): number {
    if (this.isFull) throw new Error('index is full');
    if ((this.#count + 1) * this.entrySize > this.#buf.length) {
      const grown = Buffer.alloc(Math.min(this.maxEntries, this.#count * 2) * this.entrySize);
      this.#buf.copy(grown, 0, 0, this.#count * this.entrySize);
      this.#buf = grown;
    }
    return this.#count++ * this.entrySize;
  }

  /** The entries' bytes (a view, no copy). */
  bytes(): Buffer {
    return this.#buf.subarray(0, this.#count * this.entrySize);
  }

  /** Index of the last entry whose key (read by `keyAt`) is <= target, or -1. */
  floor(target: number, keyAt: (pos: number) => number): number {
    let lo = 0;
    let hi = this.#count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (keyAt(mid * this.entrySize) <= target) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }
}
