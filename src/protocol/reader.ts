// Reader: bounds-checked decoding of Kafka wire primitives from one Buffer.
//
// Every read checks that the bytes it needs are present and throws ProtocolDecodeError
// otherwise, so a malformed or truncated frame can never read past the frame or produce
// garbage silently. Byte fields (bytes, records) are returned as views (subarray) into
// the source buffer, never copies: callers that keep them beyond the request's lifetime
// must copy them themselves.
//
// int64 values are returned as JS numbers (exact up to 2^53, which covers offsets,
// timestamps and producer ids in practice); larger magnitudes lose precision.

/** Thrown on truncated or invalid input; the connection that sent it should be closed. */
export class ProtocolDecodeError extends Error {
  override name = 'ProtocolDecodeError';
}

const TWO_POW_32 = 4294967296;
const UUID_BYTES = 16;

export class Reader {
  readonly buf: Buffer;
  offset: number;

  constructor(buf: Buffer, offset = 0) {
    this.buf = buf;
    this.offset = offset;
  }

  remaining(): number {
    return this.buf.length - this.offset;
  }

  /** Reserves n bytes and returns their start offset, or throws if they are not there. */
  private take(n: number): number {
    const start = this.offset;
    if (n < 0 || start + n > this.buf.length) {
      throw new ProtocolDecodeError(
        `need ${n} bytes at offset ${start}, only ${this.buf.length - start} left`,
      );
    }
    this.offset = start + n;
    return start;
  }

  skip(n: number): void {
    this.take(n);
  }

  readInt8(): number {
    return this.buf.readInt8(this.take(1));
  }

  readInt16(): number {
    return this.buf.readInt16BE(this.take(2));
  }

  readUInt16(): number {
    return this.buf.readUInt16BE(this.take(2));
  }

  readInt32(): number {
    return this.buf.readInt32BE(this.take(4));
  }

  readUInt32(): number {
    return this.buf.readUInt32BE(this.take(4));
  }

  /** Two 32-bit reads combined into a number (no BigInt allocation). */
  readInt64(): number {
    const at = this.take(8);
    return this.buf.readInt32BE(at) * TWO_POW_32 + this.buf.readUInt32BE(at + 4);
  }

  readFloat64(): number {
    return this.buf.readDoubleBE(this.take(8));
  }

  readBool(): boolean {
    return this.buf[this.take(1)] !== 0;
  }

  readUnsignedVarInt(): number {
    const buf = this.buf;
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.offset >= buf.length) throw new ProtocolDecodeError('truncated varint');
      const byte = buf[this.offset++];
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        if (shift === 28 && byte > 0x0f) throw new ProtocolDecodeError('varint overflows 32 bits');
        return value >>> 0;
      }
    }
    throw new ProtocolDecodeError('varint longer than 5 bytes');
  }

  readVarInt(): number {
    const raw = this.readUnsignedVarInt();
    return (raw >>> 1) ^ -(raw & 1);
  }

  /** Unsigned varlong as a number; arithmetic instead of bit ops beyond 32 bits. */
  readUnsignedVarLong(): number {
    const buf = this.buf;
    let value = 0;
    let multiplier = 1;
    for (let i = 0; i < 10; i++) {
      if (this.offset >= buf.length) throw new ProtocolDecodeError('truncated varlong');
      const byte = buf[this.offset++];
      value += (byte & 0x7f) * multiplier;
      if ((byte & 0x80) === 0) return value;
      multiplier *= 128;
    }
    throw new ProtocolDecodeError('varlong longer than 10 bytes');
  }

  readVarLong(): number {
    const raw = this.readUnsignedVarLong();
    // zigzag: even -> raw/2, odd -> -(raw+1)/2
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** 16 bytes rendered as Kafka's Uuid.toString(): base64url without padding. */
  readUuid(): string {
    const at = this.take(UUID_BYTES);
    return this.buf.toString('base64url', at, at + UUID_BYTES);
  }

  private utf8(length: number): string {
    const at = this.take(length);
    return this.buf.toString('utf8', at, at + length);
  }

  readString(): string {
    const length = this.readInt16();
    if (length < 0) throw new ProtocolDecodeError('null in non-nullable string');
    return this.utf8(length);
  }

  readNullableString(): string | null {
    const length = this.readInt16();
    return length < 0 ? null : this.utf8(length);
  }

  readCompactString(): string {
    const length = this.readUnsignedVarInt() - 1;
    if (length < 0) throw new ProtocolDecodeError('null in non-nullable compact string');
    return this.utf8(length);
  }

  readCompactNullableString(): string | null {
    const length = this.readUnsignedVarInt() - 1;
    return length < 0 ? null : this.utf8(length);
  }

  /** A view of the next n bytes. */
  readRaw(length: number): Buffer {
    const at = this.take(length);
    return this.buf.subarray(at, at + length);
  }

  readBytes(): Buffer {
    const length = this.readInt32();
    if (length < 0) throw new ProtocolDecodeError('null in non-nullable bytes');
    return this.readRaw(length);
  }

  readNullableBytes(): Buffer | null {
    const length = this.readInt32();
    return length < 0 ? null : this.readRaw(length);
  }

  readCompactBytes(): Buffer {
    const length = this.readUnsignedVarInt() - 1;
    if (length < 0) throw new ProtocolDecodeError('null in non-nullable compact bytes');
    return this.readRaw(length);
  }

  readCompactNullableBytes(): Buffer | null {
    const length = this.readUnsignedVarInt() - 1;
    return length < 0 ? null : this.readRaw(length);
  }

  /** Every element takes at least one byte, so a count above remaining() is corrupt. */
  private checkCount(count: number): void {
    if (count > this.buf.length - this.offset) {
      throw new ProtocolDecodeError(`array of ${count} elements exceeds remaining bytes`);
    }
  }

  private readElements<T>(count: number, readElement: (r: Reader) => T): T[] {
    this.checkCount(count);
    const items = new Array<T>(count);
    for (let i = 0; i < count; i++) items[i] = readElement(this);
    return items;
  }

  readArray<T>(readElement: (r: Reader) => T): T[] {
    const count = this.readInt32();
    if (count < 0) throw new ProtocolDecodeError('null in non-nullable array');
    return this.readElements(count, readElement);
  }

  readNullableArray<T>(readElement: (r: Reader) => T): T[] | null {
    const count = this.readInt32();
    return count < 0 ? null : this.readElements(count, readElement);
  }

  readCompactArray<T>(readElement: (r: Reader) => T): T[] {
    const count = this.readUnsignedVarInt() - 1;
    if (count < 0) throw new ProtocolDecodeError('null in non-nullable compact array');
    return this.readElements(count, readElement);
  }

  readCompactNullableArray<T>(readElement: (r: Reader) => T): T[] | null {
    const count = this.readUnsignedVarInt() - 1;
    return count < 0 ? null : this.readElements(count, readElement);
  }

  /** Skips a whole tagged-field section (for structs with no known tagged fields). */
  skipTaggedFields(): void {
    const count = this.readUnsignedVarInt();
    for (let i = 0; i < count; i++) {
      this.readUnsignedVarInt(); // tag
      this.take(this.readUnsignedVarInt());
    }
  }
}
