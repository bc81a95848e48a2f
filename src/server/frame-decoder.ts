/**
 * Splits a connection's byte stream into request frames. Wire layout of a frame:
 *
 *   int32 size (big-endian, bytes that follow) | size bytes: request header + body
 *
 * A size below 0 or above the limit (socket.request.max.bytes) is a FrameSizeError: as in
 * Kafka, the connection is closed without reading the announced bytes, so a peer cannot
 * make us buffer more than one frame of at most the limit.
 *
 * Copies: a frame that lies inside one received chunk is returned as a view of it. A frame
 * that spans chunks (every large Produce: sockets deliver 64 KiB reads) is assembled into
 * one buffer, each chunk copied in as it arrives, so the chunks are not kept meanwhile.
 * The owner may hand such a buffer back with release() once nothing refers to the frame any
 * more; the decoder then reuses it for the next spanning frame, which keeps a producer's
 * steady stream of ~1 MiB requests from allocating (and making the GC run) per request.
 * Limit: SPARE_BUFFERS_MAX spare buffers per decoder, each at most the frame limit.
 */

export class FrameSizeError extends Error {
  readonly size: number;

  constructor(size: number, maxFrameBytes: number) {
    super(size < 0
      ? `invalid request size ${size}`
      : `request size ${size} is larger than socket.request.max.bytes ${maxFrameBytes}`);
    this.size = size;
  }
}

const SIZE_PREFIX_BYTES = 4;
/** Assembly buffers get 1/8 extra capacity, so a slightly larger next frame still fits. */
const SPARE_SLACK_SHIFT = 3;
/** Released buffers kept per decoder: the frame being read ahead plus the one in flight. */
const SPARE_BUFFERS_MAX = 2;

export class FrameDecoder {
  readonly #maxFrameBytes: number;
  /** Received bytes not yet returned or assembled; at most one frame plus one read chunk. */
  #chunks: Buffer[] = [];
  #chunkBytes = 0;
  /** Size of the frame being read, or -1 while its prefix is incomplete. */
  #frameSize = -1;
  /** The spanning frame being assembled (its final length), and how much of it is filled. */
  #assembly: Buffer | null = null;
  #filled = 0;
  /** Released assembly buffers (full capacity), reused by the next spanning frames. */
  readonly #spares: Buffer[] = [];
  /** Backing stores of the buffers this decoder assembled: only those can be released. */
  readonly #ownBuffers = new WeakSet<ArrayBufferLike>();

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  get bufferedBytes(): number {
    return this.#chunkBytes + this.#filled;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    const assembly = this.#assembly;
    if (assembly !== null) {
      const count = Math.min(chunk.length, assembly.length - this.#filled);
      chunk.copy(assembly, this.#filled, 0, count);
      this.#filled += count;
      if (count === chunk.length) return;
      chunk = chunk.subarray(count);
    }
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
  }

  /** The next complete frame (without its size prefix), or null when more bytes are needed. */
  next(): Buffer | null {
    const assembly = this.#assembly;
    if (assembly !== null) {
      if (this.#filled < assembly.length) return null;
      this.#assembly = null;
      this.#filled = 0;
      this.#frameSize = -1;
      return assembly;
    }
    if (this.#frameSize < 0) {
      if (this.#chunkBytes < SIZE_PREFIX_BYTES) return null;
      const size = this.#takeInt32();
      if (size < 0 || size > this.#maxFrameBytes) throw new FrameSizeError(size, this.#maxFrameBytes);
      this.#frameSize = size;
    }
    const size = this.#frameSize;
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= size) {
      this.#frameSize = -1;
      this.#consumeFromFirst(first, size);
      return first.subarray(0, size);
    }
    if (size === 0) {
      this.#frameSize = -1;
      return Buffer.alloc(0);
    }
    this.#startAssembly(size);
    return this.next();
  }

  /**
   * Hands back a frame returned by next() for reuse. Only call it when nothing (a queued
   * write, a cache, a pending promise) still refers to the frame's bytes; frames that are
   * views of received chunks are ignored.
   */
  release(frame: Buffer): void {
    const backing = frame.buffer;
    if (!this.#ownBuffers.has(backing) || this.#spares.some((spare) => spare.buffer === backing)) return;
    const spare = Buffer.from(backing, 0, backing.byteLength);
    if (this.#spares.length < SPARE_BUFFERS_MAX) this.#spares.push(spare);
    else if (this.#spares[0].length < spare.length) this.#spares[0] = spare;
  }

  /** Moves the buffered chunks into a buffer of `size` bytes; push() fills in the rest. */
  #startAssembly(size: number): void {
    const assembly = this.#assemblyBuffer(size);
    let filled = 0;
    while (filled < size && this.#chunks.length > 0) {
      const chunk = this.#chunks[0];
      const count = Math.min(chunk.length, size - filled);
      chunk.copy(assembly, filled, 0, count);
      filled += count;
      this.#consumeFromFirst(chunk, count);
    }
    this.#assembly = assembly;
    this.#filled = filled;
  }

  /** `size` bytes: a spare when one is large enough, else a new buffer with some slack. */
  #assemblyBuffer(size: number): Buffer {
    const index = this.#spares.findIndex((spare) => spare.length >= size);
    if (index >= 0) return this.#spares.splice(index, 1)[0].subarray(0, size);
    const capacity = Math.min(this.#maxFrameBytes, size + (size >>> SPARE_SLACK_SHIFT));
    // allocUnsafeSlow: a buffer of its own, never a slice of Node's shared pool.
    const fresh = Buffer.allocUnsafeSlow(capacity);
    this.#ownBuffers.add(fresh.buffer);
    return fresh.subarray(0, size);
  }

  /** Removes and returns the big-endian int32 at the front (the size prefix). */
  #takeInt32(): number {
    const first = this.#chunks[0];
    if (first.length >= SIZE_PREFIX_BYTES) {
      const value = first.readInt32BE(0);
      this.#consumeFromFirst(first, SIZE_PREFIX_BYTES);
      return value;
    }
    let value = 0;
    for (let i = 0; i < SIZE_PREFIX_BYTES; i++) {
      const chunk = this.#chunks[0];
      value = (value << 8) | chunk[0];
      this.#consumeFromFirst(chunk, 1);
    }
    return value;
  }

  #consumeFromFirst(first: Buffer, n: number): void {
    if (n === first.length) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#chunkBytes -= n;
  }
}
