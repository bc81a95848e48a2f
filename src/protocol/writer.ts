// Writer: encodes Kafka wire primitives into a list of chunks.
//
// Small fields go into a growable scratch buffer; Buffers of at least
// RAW_BY_REFERENCE_MIN_BYTES (record batches in fetch responses) are appended by
// reference, so a response can be sent with writev without copying stored records.
// A chunk boundary is cut only when a by-reference buffer is appended or the scratch
// buffer is full; already-emitted scratch bytes are never overwritten.
//
// int64 values are JS numbers (exact up to 2^53).

const TWO_POW_32 = 4294967296;
const SCRATCH_INITIAL_BYTES = 512;
const SCRATCH_MAX_GROWTH_BYTES = 1 << 20;
/** Buffers this large are referenced instead of copied into the scratch buffer. */
const RAW_BY_REFERENCE_MIN_BYTES = 1024;
const UUID_BYTES = 16;
const UUID_CHARS = 22;

/** A bytes/records value the encoder accepts: one buffer or chunks written in order. */
export type BytesInput = Buffer | Buffer[];

// Note for every write below: reserve() may replace this.scratch, so the write position
// is taken first and this.scratch read only afterwards.
export class Writer {
  private readonly chunks: Buffer[] = [];
  private scratch: Buffer;
  /** Start of the scratch bytes not yet emitted as a chunk. */
  private chunkStart = 0;
  private pos = 0;
  /** Total bytes written so far. */
  length = 0;

  constructor(initialBytes = SCRATCH_INITIAL_BYTES) {
    this.scratch = Buffer.allocUnsafe(initialBytes);
  }

  private flushScratch(): void {
    if (this.pos > this.chunkStart) {
      this.chunks.push(this.scratch.subarray(this.chunkStart, this.pos));
      this.chunkStart = this.pos;
    }
  }

  /** Makes room for n more bytes in the scratch buffer and returns the write position. */
  private reserve(n: number): number {
    const at = this.pos;
    if (at + n > this.scratch.length) return this.grow(n);
    this.pos = at + n;
    this.length += n;
    return at;
  }

  private grow(n: number): number {
    this.flushScratch();
    const size = Math.max(n, Math.min(this.scratch.length * 2, SCRATCH_MAX_GROWTH_BYTES));
    this.scratch = Buffer.allocUnsafe(size);
    this.chunkStart = 0;
    this.pos = n;
    this.length += n;
    return 0;
  }

  writeInt8(value: number): void {
    const at = this.reserve(1);
    this.scratch.writeInt8(value, at);
  }

  writeInt16(value: number): void {
    const at = this.reserve(2);
    this.scratch.writeInt16BE(value, at);
  }

  writeUInt16(value: number): void {
    const at = this.reserve(2);
    this.scratch.writeUInt16BE(value, at);
  }

  writeInt32(value: number): void {
    const at = this.reserve(4);
    this.scratch.writeInt32BE(value, at);
  }

  writeUInt32(value: number): void {
    const at = this.reserve(4);
    this.scratch.writeUInt32BE(value, at);
  }

  writeInt64(value: number): void {
    const at = this.reserve(8);
    const high = Math.floor(value / TWO_POW_32);
    this.scratch.writeInt32BE(high, at);
    this.scratch.writeUInt32BE(value - high * TWO_POW_32, at + 4);
  }

  writeFloat64(value: number): void {
    const at = this.reserve(8);
    this.scratch.writeDoubleBE(value, at);
  }

  writeBool(value: boolean): void {
    const at = this.reserve(1);
    this.scratch[at] = value ? 1 : 0;
  }

  writeUnsignedVarInt(value: number): void {
    let v = value >>> 0;
    const at = this.reserve(v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5);
    let i = at;
    while (v >= 0x80) {
      this.scratch[i++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.scratch[i] = v;
  }

  writeVarInt(value: number): void {
    this.writeUnsignedVarInt((value << 1) ^ (value >> 31));
  }

  writeUnsignedVarLong(value: number): void {
    let v = value;
    while (v >= 0x80) {
      const at = this.reserve(1);
      this.scratch[at] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    const at = this.reserve(1);
    this.scratch[at] = v;
  }

  writeVarLong(value: number): void {
    this.writeUnsignedVarLong(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  /** Kafka's Uuid string form (22 chars of base64url, no padding) as 16 bytes. */
  writeUuid(value: string): void {
    if (value.length !== UUID_CHARS) throw new RangeError(`invalid uuid "${value}"`);
    const at = this.reserve(UUID_BYTES);
    const written = this.scratch.write(value, at, UUID_BYTES, 'base64url');
    if (written !== UUID_BYTES) throw new RangeError(`invalid uuid "${value}"`);
  }

  private writeUtf8(value: string, byteLength: number): void {
    const at = this.reserve(byteLength);
    this.scratch.write(value, at, byteLength, 'utf8');
  }

  writeString(value: string): void {
    const byteLength = Buffer.byteLength(value, 'utf8');
    if (byteLength > 0x7fff) throw new RangeError(`string of ${byteLength} bytes is too long`);
    this.writeInt16(byteLength);
    this.writeUtf8(value, byteLength);
  }

  writeNullableString(value: string | null): void {
    if (value === null) this.writeInt16(-1);
    else this.writeString(value);
  }

  writeCompactString(value: string): void {
    const byteLength = Buffer.byteLength(value, 'utf8');
    this.writeUnsignedVarInt(byteLength + 1);
    this.writeUtf8(value, byteLength);
  }

  writeCompactNullableString(value: string | null): void {
    if (value === null) this.writeUnsignedVarInt(0);
    else this.writeCompactString(value);
  }

  /** Appends bytes as they are: large buffers by reference, small ones copied. */
  writeRaw(value: Buffer): void {
    if (value.length >= RAW_BY_REFERENCE_MIN_BYTES) {
      this.flushScratch();
      this.chunks.push(value);
      this.length += value.length;
    } else {
      const at = this.reserve(value.length);
      value.copy(this.scratch, at);
    }
  }

  private writeRawInput(value: BytesInput): void {
    if (Buffer.isBuffer(value)) this.writeRaw(value);
    else for (const chunk of value) this.writeRaw(chunk);
  }

  writeBytes(value: BytesInput): void {
    this.writeInt32(bytesLength(value));
    this.writeRawInput(value);
  }

  writeNullableBytes(value: BytesInput | null): void {
    if (value === null) this.writeInt32(-1);
    else this.writeBytes(value);
  }

  writeCompactBytes(value: BytesInput): void {
    this.writeUnsignedVarInt(bytesLength(value) + 1);
    this.writeRawInput(value);
  }

  writeCompactNullableBytes(value: BytesInput | null): void {
    if (value === null) this.writeUnsignedVarInt(0);
    else this.writeCompactBytes(value);
  }

  writeArray<T>(items: readonly T[], writeElement: (w: Writer, item: T) => void): void {
    this.writeInt32(items.length);
    for (let i = 0; i < items.length; i++) writeElement(this, items[i]);
  }

  writeNullableArray<T>(items: readonly T[] | null, writeElement: (w: Writer, item: T) => void): void {
    if (items === null) this.writeInt32(-1);
    else this.writeArray(items, writeElement);
  }

  writeCompactArray<T>(items: readonly T[], writeElement: (w: Writer, item: T) => void): void {
    this.writeUnsignedVarInt(items.length + 1);
    for (let i = 0; i < items.length; i++) writeElement(this, items[i]);
  }

  writeCompactNullableArray<T>(
    items: readonly T[] | null,
    writeElement: (w: Writer, item: T) => void,
  ): void {
    if (items === null) this.writeUnsignedVarInt(0);
    else this.writeCompactArray(items, writeElement);
  }

  /** One tagged field: tag, then the size of the value, then the value written by fn. */
  writeTaggedField(tag: number, writeValue: (w: Writer) => void): void {
    const inner = new Writer(64);
    writeValue(inner);
    this.writeUnsignedVarInt(tag);
    this.writeUnsignedVarInt(inner.length);
    for (const chunk of inner.toChunks()) this.writeRaw(chunk);
  }

  /** The bytes written so far, as chunks in order (scratch slices and referenced buffers). */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }

  toBuffer(): Buffer {
    const chunks = this.toChunks();
    return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, this.length);
  }
}

function bytesLength(value: BytesInput): number {
  if (Buffer.isBuffer(value)) return value.length;
  let total = 0;
  for (const chunk of value) total += chunk.length;
  return total;
}
