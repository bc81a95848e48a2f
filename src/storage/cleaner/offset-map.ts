/**
 * OffsetMap: the cleaner's bounded map from a record key to the latest offset seen for it
 * (Kafka's SkimpyOffsetMap). It lives in one preallocated buffer of
 * log.cleaner.dedupe.buffer.size bytes and never grows:
 *
 *   slot = 128-bit key hash (key-hash.ts, 4 x int32) | offset (2 x int32: high, low)   24 bytes
 *
 * Open addressing with linear probing; an all-zero hash marks a free slot (hashKey never
 * yields one). The map is "full" at log.cleaner.io.buffer.load.factor of its slots: the
 * cleaner stops mapping there and cleans only up to what it mapped. A collision between two
 * keys' hashes could make the cleaner drop a record that is the latest for its key; at 128
 * bits this is negligible, the trade-off Kafka makes (with MD5) to bound memory.
 */
import { hashKey } from './key-hash.ts';

const SLOT_INTS = 6;
const SLOT_BYTES = SLOT_INTS * 4;
/** Slots zeroed per event-loop turn by clear() (4 MiB: well under a millisecond). */
const CLEAR_SLICE_SLOTS = (4 * 1024 * 1024) / SLOT_BYTES;
const TWO_POW_32 = 0x1_0000_0000;

export class OffsetMap {
  /** Slots the buffer holds. */
  readonly slots: number;
  /** Entries allowed before the map counts as full (slots * load factor). */
  readonly capacity: number;
  #table: Int32Array;
  #hash = new Int32Array(4);
  #size = 0;
  #latestOffset = -1;

  constructor(memoryBytes: number, loadFactor: number) {
    this.slots = Math.floor(memoryBytes / SLOT_BYTES);
    if (this.slots < 2) throw new RangeError(`dedupe buffer of ${memoryBytes} bytes holds fewer than 2 entries`);
    this.capacity = Math.min(this.slots - 1, Math.max(1, Math.floor(this.slots * loadFactor)));
    // Not zeroed here: clear() does it in slices before every use.
    this.#table = new Int32Array(Buffer.allocUnsafeSlow(this.slots * SLOT_BYTES).buffer);
  }

  get size(): number {
    return this.#size;
  }

  /** Largest offset put since the last clear (-1 when empty). */
  get latestOffset(): number {
    return this.#latestOffset;
  }

  get isFull(): boolean {
    return this.#size >= this.capacity;
  }

  /** Records `offset` as the latest for `key`. Offsets are put in ascending order. */
  put(key: Uint8Array, offset: number): void {
    if (this.isFull) throw new RangeError('offset map is full');
    const at = this.#find(key);
    const t = this.#table;
    if (isFree(t, at)) {
      t.set(this.#hash, at);
      this.#size++;
    }
    const high = Math.floor(offset / TWO_POW_32);
    t[at + 4] = high;
    t[at + 5] = offset - high * TWO_POW_32;
    this.#latestOffset = offset;
  }

  /** Latest offset recorded for `key`, or -1. */
  get(key: Uint8Array): number {
    const at = this.#find(key);
    const t = this.#table;
    if (isFree(t, at)) return -1;
    return t[at + 4] * TWO_POW_32 + (t[at + 5] >>> 0);
  }

  /** Empties the map, zeroing the buffer a slice at a time between event-loop turns. */
  async clear(): Promise<void> {
    for (let slot = 0; slot < this.slots; slot += CLEAR_SLICE_SLOTS) {
      this.#table.fill(0, slot * SLOT_INTS, Math.min(slot + CLEAR_SLICE_SLOTS, this.slots) * SLOT_INTS);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#size = 0;
    this.#latestOffset = -1;
  }

  /** Index (in ints) of the slot holding `key`'s hash, or of the free slot where it would go. */
  #find(key: Uint8Array): number {
    const h = this.#hash;
    hashKey(key, h);
    const t = this.#table;
    let slot = (h[0] >>> 0) % this.slots;
    // Terminates: at least one slot is always free (capacity < slots).
    for (;;) {
      const at = slot * SLOT_INTS;
      if (isFree(t, at) || (t[at] === h[0] && t[at + 1] === h[1] && t[at + 2] === h[2] && t[at + 3] === h[3])) return at;
      slot = slot + 1 === this.slots ? 0 : slot + 1;
    }
  }
}

function isFree(t: Int32Array, at: number): boolean {
  return t[at] === 0 && t[at + 1] === 0 && t[at + 2] === 0 && t[at + 3] === 0;
}
