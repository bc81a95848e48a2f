/**
 * Big-endian int64 fields as JS numbers (exact within +/-2^53, which offsets, timestamps
 * and producer ids stay within), without going through BigInt on the hot path.
 */
const TWO_POW_32 = 0x1_0000_0000;

export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_POW_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * TWO_POW_32, pos + 4);
}
