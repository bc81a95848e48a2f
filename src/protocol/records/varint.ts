/**
 * Zig-zag varints as records use them (protobuf style, little-endian base-128 groups):
 * varint = int32 (at most 5 bytes), varlong = int64 (at most 10 bytes). Values are JS
 * numbers, so a varlong is exact only within +/-2^53 (timestamps and offsets are); larger
 * magnitudes are rejected as corrupt rather than silently rounded. Values needing more than
 * 49 bits take a slower BigInt path; in records they do not occur in practice.
 *
 * `RecordCursor` is a bounds-checked reader over one record region; every failure throws
 * InvalidRecordError(CORRUPT_MESSAGE), as Kafka does for a record that does not decode.
 */
import { ErrorCode } from '../errors.ts';
import { InvalidRecordError } from './invalid-record-error.ts';

const MAX_VARINT_BYTES = 5;
const MAX_VARLONG_BYTES = 10;

function corrupt(message: string): InvalidRecordError {
  return new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, message);
}

/** Zig-zag values below this are exact as numbers; above, encoding goes through BigInt. */
const FAST_ZIGZAG_LIMIT = 2 ** 49;
/** Bytes decodable without BigInt: 7 x 7 = 49 bits. */
const FAST_VARINT_BYTES = 7;
/** Bits decodable in int32 arithmetic without overflow: 4 x 7. */
const FAST_INT_BITS = 28;

function zigZagDecode(z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
}

/** Zig-zag of `v` as a number when exact, else as a BigInt. */
function zigZagEncode(v: number): number | bigint {
  const z = v >= 0 ? v * 2 : -v * 2 - 1;
  if (z < FAST_ZIGZAG_LIMIT) return z;
  const big = BigInt(v);
  return big >= 0n ? big << 1n : (-big << 1n) - 1n;
}

/** Bytes the zig-zag varint/varlong encoding of `v` takes. */
export function sizeOfVarLong(v: number): number {
  let z = zigZagEncode(v);
  let size = 1;
  if (typeof z === 'bigint') {
    for (; z >= 0x80n; z >>= 7n) size++;
    return size;
  }
  for (; z >= 0x80; z = Math.floor(z / 0x80)) size++;
  return size;
}

export const sizeOfVarInt = sizeOfVarLong;

/** Writes the zig-zag varint/varlong of `v` at `pos`; returns the position after it. */
export function writeVarLong(buf: Buffer, pos: number, v: number): number {
  let z = zigZagEncode(v);
  if (typeof z === 'bigint') {
    for (; z >= 0x80n; z >>= 7n) buf[pos++] = Number(z & 0x7fn) | 0x80;
    buf[pos++] = Number(z);
    return pos;
  }
  for (; z >= 0x80; z = Math.floor(z / 0x80)) buf[pos++] = (z % 0x80) | 0x80;
  buf[pos++] = z;
  return pos;
}

export const writeVarInt = writeVarLong;

export class RecordCursor {
  readonly buf: Buffer;
  pos: number;
  readonly end: number;

  constructor(buf: Buffer, pos = 0, end = buf.length) {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  readInt8(): number {
    this.need(1);
    return (this.buf[this.pos++] << 24) >> 24;
  }

  readVarInt(): number {
    return this.readZigZag(MAX_VARINT_BYTES);
  }

  readVarLong(): number {
    return this.readZigZag(MAX_VARLONG_BYTES);
  }

  /** A varint length followed by that many bytes; length -1 means null. A view, no copy. */
  readVarBytes(): Buffer | null {
    const length = this.readVarInt();
    if (length < -1) throw corrupt(`negative length ${length} in record`);
    if (length === -1) return null;
    this.need(length);
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }

  /** Like readVarBytes without making a view (for walking records); returns the length, -1 = null. */
  skipVarBytes(): number {
    const length = this.readVarInt();
    if (length < -1) throw corrupt(`negative length ${length} in record`);
    if (length > 0) {
      this.need(length);
      this.pos += length;
    }
    return length;
  }

  private readZigZag(maxBytes: number): number {
    // Fast path, in int32 arithmetic: varints of up to 4 bytes (28 bits), nearly all of a
    // record's (lengths, deltas). Longer ones are decoded again from the start below.
    const buf = this.buf;
    const end = this.end;
    let pos = this.pos;
    let z = 0;
    for (let shift = 0; shift < FAST_INT_BITS; shift += 7) {
      if (pos >= end) throw corrupt('record truncated');
      const b = buf[pos++];
      z |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return (z >>> 1) ^ -(z & 1);
      }
    }
    return this.readZigZagLong(maxBytes);
  }

  private readZigZagLong(maxBytes: number): number {
    const start = this.pos;
    let z = 0;
    let multiplier = 1;
    for (let i = 0; i < maxBytes; i++) {
      if (i === FAST_VARINT_BYTES) {
        this.pos = start;
        return this.readZigZagBig(maxBytes);
      }
      this.need(1);
      const b = this.buf[this.pos++];
      z += (b & 0x7f) * multiplier;
      if ((b & 0x80) === 0) return zigZagDecode(z);
      multiplier *= 0x80;
    }
    throw corrupt(`varint longer than ${maxBytes} bytes`);
  }

  /** Varints of more than 49 bits: rare (|value| >= 2^48), decoded exactly via BigInt. */
  private readZigZagBig(maxBytes: number): number {
    let z = 0n;
    for (let i = 0; i < maxBytes; i++) {
      this.need(1);
      const b = this.buf[this.pos++];
      z |= BigInt(b & 0x7f) << BigInt(7 * i);
      if ((b & 0x80) === 0) {
        const v = (z >> 1n) ^ -(z & 1n);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
          throw corrupt('varlong exceeds 2^53');
        }
        return Number(v);
      }
    }
    throw corrupt(`varint longer than ${maxBytes} bytes`);
  }

  private need(n: number): void {
    if (this.end - this.pos < n) throw corrupt('record truncated');
  }
}
