/**
 * Splits a connection's byte stream into request frames. Wire layout of a frame:
 *
 *   int32 size (big-endian, bytes that follow) | size bytes: request header + body
 *
 * A size below 0 or above the limit (socket.request.max.bytes) is a FrameSizeError: as in
 * Kafka, the connection is closed without reading the announced bytes, so a peer cannot
 * make us buffer more than one frame of at most the limit. Frames are returned as views of
 * the received chunks when a frame lies inside one chunk, otherwise copied once.
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

export class FrameDecoder {
  readonly #maxFrameBytes: number;
  /** Received bytes not yet returned as frames; at most one frame plus one read chunk. */
  #chunks: Buffer[] = [];
  #bufferedBytes = 0;
  /** Size of the frame being assembled, or -1 while its prefix is incomplete. */
  #frameSize = -1;

  constructor(maxFrameBytes: number) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#bufferedBytes += chunk.length;
  }

  /** The next complete frame (without its size prefix), or null when more bytes are needed. */
  next(): Buffer | null {
    if (this.#frameSize < 0) {
      if (this.#bufferedBytes < SIZE_PREFIX_BYTES) return null;
      const size = this.#take(SIZE_PREFIX_BYTES).readInt32BE(0);
      if (size < 0 || size > this.#maxFrameBytes) throw new FrameSizeError(size, this.#maxFrameBytes);
      this.#frameSize = size;
    }
    if (this.#bufferedBytes < this.#frameSize) return null;
    const frame = this.#take(this.#frameSize);
    this.#frameSize = -1;
    return frame;
  }

  /** Removes and returns the first n buffered bytes (n <= bufferedBytes). */
  #take(n: number): Buffer {
    const first = this.#chunks[0];
    if (first !== undefined && first.length >= n) {
      this.#consumeFromFirst(first, n);
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let copied = 0;
    while (copied < n) {
      const chunk = this.#chunks[0];
      const count = Math.min(chunk.length, n - copied);
      chunk.copy(out, copied, 0, count);
      copied += count;
      this.#consumeFromFirst(chunk, count);
    }
    return out;
  }

  #consumeFromFirst(first: Buffer, n: number): void {
    if (n === first.length) this.#chunks.shift();
    else this.#chunks[0] = first.subarray(n);
    this.#bufferedBytes -= n;
  }
}
