/**
 * Where the bytes of a log read go. By default every read gets a fresh buffer
 * (`FRESH_READ_BUFFERS`), which its caller may keep for as long as it likes. A Fetch instead
 * reads into buffers leased from a `ReadBufferPool` and gives them back once its response
 * has been handed to the kernel: a catch-up consumer then reuses the same memory for every
 * response instead of allocating one ~1 MiB buffer per partition read, which on a busy
 * broker kept V8 in back-to-back mark-compacts (V8 counts every new ArrayBuffer as external
 * memory and starts a full GC after every few tens of MiB of them) and made the kernel fault
 * in fresh pages for every read (dear on this VM; docs/PERFORMANCE.md).
 *
 * Safety: a leased buffer must not be referenced after `release()`: the next lease may
 * overwrite it. Only a caller that knows every view of its reads is gone (a Fetch whose
 * response bytes are in the socket) may lease; a lease never released is simply collected
 * by the GC with its buffers (the pool keeps no reference to lent buffers).
 *
 * Limits: buffers come in size classes (2^k, 1.25, 1.5 and 1.75 x 2^k bytes, from
 * POOLED_BYTES_MIN), so one class serves the reads of one consumer setting; at most
 * `idleBytesMax` of returned buffers are kept (READ_POOL_IDLE_BYTES_MAX by default), the
 * rest are left to the GC. Reads below POOLED_BYTES_MIN get fresh buffers (Node serves
 * them from its shared slab).
 */

/** Gives the buffers a log read fills. */
export interface ReadBuffers {
  /** A buffer of exactly `length` bytes; its contents are undefined. */
  take(length: number): Buffer;
}

/** A fresh buffer per read; the caller owns it. */
export const FRESH_READ_BUFFERS: ReadBuffers = { take: (length) => Buffer.allocUnsafe(length) };

/** Bytes of idle buffers a pool keeps by default (per process). */
export const READ_POOL_IDLE_BYTES_MAX = 64 << 20;
/** Smaller reads are not pooled. */
const POOLED_BYTES_MIN = 8 << 10;
/** Size classes per power of two (2^k x (1 + i / CLASS_STEPS)). */
const CLASS_STEPS = 4;

export class ReadBufferPool {
  readonly #idleBytesMax: number;
  /** Idle buffers by size class (their byteLength). */
  readonly #idle = new Map<number, ArrayBuffer[]>();
  #idleBytes = 0;

  constructor(idleBytesMax = READ_POOL_IDLE_BYTES_MAX) {
    this.#idleBytesMax = idleBytesMax;
  }

  get idleBytes(): number {
    return this.#idleBytes;
  }

  /** A lease for the reads of one request; release() gives its buffers back. */
  lease(): ReadBufferLease {
    return new ReadBufferLease(this);
  }

  /** Internal to leases: an idle buffer of `size` bytes (a class size) or a new one. */
  acquire(size: number): ArrayBuffer {
    const idle = this.#idle.get(size)?.pop();
    // allocUnsafeSlow: a buffer of its own, not zero-filled (every byte is read into before use).
    if (idle === undefined) return Buffer.allocUnsafeSlow(size).buffer as ArrayBuffer;
    this.#idleBytes -= size;
    return idle;
  }

  /** Internal to leases: takes a buffer back, or drops it when the pool is full. */
  giveBack(buffer: ArrayBuffer): void {
    if (this.#idleBytes + buffer.byteLength > this.#idleBytesMax) return;
    let list = this.#idle.get(buffer.byteLength);
    if (list === undefined) {
      list = [];
      this.#idle.set(buffer.byteLength, list);
    }
    list.push(buffer);
    this.#idleBytes += buffer.byteLength;
  }
}

/** The buffers lent to one request; see the file header for when release() is safe. */
export class ReadBufferLease implements ReadBuffers {
  readonly #pool: ReadBufferPool;
  #lent: ArrayBuffer[] = [];

  constructor(pool: ReadBufferPool) {
    this.#pool = pool;
  }

  take(length: number): Buffer {
    if (length < POOLED_BYTES_MIN) return Buffer.allocUnsafe(length);
    const buffer = this.#pool.acquire(sizeClass(length));
    this.#lent.push(buffer);
    return Buffer.from(buffer, 0, length);
  }

  /** Gives every buffer taken so far back to the pool; later takes start a new lease. */
  release(): void {
    for (const buffer of this.#lent) this.#pool.giveBack(buffer);
    this.#lent = [];
  }
}

/** The smallest size class holding `length` bytes. */
export function sizeClass(length: number): number {
  const power = 2 ** Math.floor(Math.log2(length));
  const step = power / CLASS_STEPS;
  return Math.ceil(length / step) * step;
}

/** The pool Fetch uses (one per process, as the tail cache's budget). */
export const processReadBufferPool = new ReadBufferPool();
