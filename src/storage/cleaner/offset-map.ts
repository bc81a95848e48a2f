/**
 * OffsetMap: the cleaner's bounded map from a record key to the latest offset seen for it
 * (Kafka's SkimpyOffsetMap). It lives in one preallocated buffer of
 * log.cleaner.dedupe.buffer.size bytes and never grows:
 *
 *   slot = 16-byte MD5 of the key | 8-byte offset (int64 BE)      (24 bytes per slot)
 *
 * Open addressing with linear probing; an all-zero hash marks a free slot (an MD5 of all
 * zeros is treated as a collision with "free", as Kafka does, i.e. not at all). The map is
 * "full" at log.cleaner.io.buffer.load.factor of its slots: the cleaner stops mapping there
 * and cleans only up to what it mapped. A hash collision between two keys could make the
 * cleaner drop a record that is the latest for its key; with MD5 this is negligible, and it
 * is the trade-off Kafka makes to bound memory.
 */
import { hash } from 'node:crypto';
import { readInt64, writeInt64 } from '../../protocol/records/int64.ts';

const HASH_BYTES = 16;
const SLOT_BYTES = HASH_BYTES + 8;
/** Bytes zeroed per event-loop turn by clear() (well under a millisecond). */
const CLEAR_SLICE_BYTES = 4 * 1024 * 1024;

export class OffsetMap {
  /** Slots the buffer holds. */
  readonly slots: number;
  /** Entries allowed before the map counts as full (slots * load factor). */
  readonly capacity: number;
  #table: Buffer;
  #size = 0;
  #latestOffset = -1;

  constructor(memoryBytes: number, loadFactor: number) {
    this.slots = Math.floor(memoryBytes / SLOT_BYTES);
    if (this.slots < 1) throw new RangeError(`dedupe buffer of ${memoryBytes} bytes holds no entry`);
    this.capacity = Math.max(1, Math.floor(this.slots * loadFactor));
    // Not zero-filled here: clear() does it in slices before every use.
    this.#table = Buffer.allocUnsafeSlow(this.slots * SLOT_BYTES);
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
  put(key: Buffer, offset: number): void {
    if (this.isFull) throw new RangeError('offset map is full');
    const digest = keyHash(key);
    const slot = this.#find(digest);
    const pos = slot * SLOT_BYTES;
    if (isFree(this.#table, pos)) {
      digest.copy(this.#table, pos);
      this.#size++;
    }
    writeInt64(this.#table, pos + HASH_BYTES, offset);
    this.#latestOffset = offset;
  }

  /** Latest offset recorded for `key`, or -1. */
  get(key: Buffer): number {
    const pos = this.#find(keyHash(key)) * SLOT_BYTES;
    if (isFree(this.#table, pos)) return -1;
    return readInt64(this.#table, pos + HASH_BYTES);
  }

  /** Empties the map, zeroing the buffer CLEAR_SLICE_BYTES at a time between event-loop turns. */
  async clear(): Promise<void> {
    for (let start = 0; start < this.#table.length; start += CLEAR_SLICE_BYTES) {
      this.#table.fill(0, start, Math.min(start + CLEAR_SLICE_BYTES, this.#table.length));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#size = 0;
    this.#latestOffset = -1;
  }

  /** The slot holding `digest`, or the free slot where it would go. */
  #find(digest: Buffer): number {
    let slot = digest.readUInt32BE(0) % this.slots;
    for (let probes = 0; probes < this.slots; probes++) {
      const pos = slot * SLOT_BYTES;
      if (isFree(this.#table, pos) || sameHash(this.#table, pos, digest)) return slot;
      slot = (slot + 1) % this.slots;
    }
    throw new Error('offset map has no free slot'); // unreachable: capacity < slots
  }
}

function keyHash(key: Buffer): Buffer {
  return hash('md5', key, 'buffer');
}

function isFree(table: Buffer, pos: number): boolean {
  return table.readUInt32BE(pos) === 0 && table.readUInt32BE(pos + 4) === 0 && table.readUInt32BE(pos + 8) === 0 && table.readUInt32BE(pos + 12) === 0;
}

function sameHash(table: Buffer, pos: number, digest: Buffer): boolean {
  return (
    table.readUInt32BE(pos) === digest.readUInt32BE(0) &&
    table.readUInt32BE(pos + 4) === digest.readUInt32BE(4) &&
    table.readUInt32BE(pos + 8) === digest.readUInt32BE(8) &&
    table.readUInt32BE(pos + 12) === digest.readUInt32BE(12)
  );
}
