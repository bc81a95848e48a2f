/**
 * Legacy message sets (message format v0 and v1, before record batches). A message set is
 * a sequence of entries, each:
 *
 *   offset      int64   absolute; inside a v1 compressed wrapper: relative (0..n-1 style,
 *                       the wrapper's offset is the absolute offset of the last inner one)
 *   size        int32   bytes after this field
 *   crc         uint32  CRC32 (IEEE, not C) of bytes [magic, end)
 *   magic       int8    0 or 1
 *   attributes  int8    bits 0-2 compression codec, bit 3 timestamp type (v1 only)
 *   timestamp   int64   v1 only
 *   key         int32 length (-1 = null) + bytes
 *   value       int32 length (-1 = null) + bytes; for a compressed wrapper: the compressed
 *                       inner message set
 *
 * Parsing checks framing, magic and CRC; failures throw InvalidRecordError
 * (CORRUPT_MESSAGE for bytes that do not decode or fail the CRC).
 */
import { crc32 } from '../crc32c.ts';
import { ErrorCode } from '../errors.ts';
import { COMPRESSION_CODEC_MASK, LOG_OVERHEAD, TIMESTAMP_TYPE_MASK } from './batch-layout.ts';
import { frameAt } from './framing.ts';
import { readInt64, writeInt64 } from './int64.ts';
import { InvalidRecordError } from './invalid-record-error.ts';

export type LegacyMagic = 0 | 1;

/** Kafka's RecordBatch.NO_TIMESTAMP: magic 0 carries no timestamp. */
export const NO_TIMESTAMP = -1;

const CRC_AT = LOG_OVERHEAD;
const MAGIC_AT = CRC_AT + 4;
const ATTRIBUTES_AT = MAGIC_AT + 1;
const TIMESTAMP_AT = ATTRIBUTES_AT + 1;
/** Bytes of a message with null key and value, after the log overhead. */
const MESSAGE_OVERHEAD = { 0: 14, 1: 22 } as const;

export interface LegacyMessage {
  offset: number;
  magic: LegacyMagic;
  attributes: number;
  /** NO_TIMESTAMP for magic 0. */
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
}

export function codecOf(m: LegacyMessage): number {
  return m.attributes & COMPRESSION_CODEC_MASK;
}

export function isLogAppendTime(m: LegacyMessage): boolean {
  return m.magic === 1 && (m.attributes & TIMESTAMP_TYPE_MASK) !== 0;
}

function corrupt(message: string): InvalidRecordError {
  return new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, message);
}

/** Every message of a message set; a truncated or corrupt entry throws. */
export function parseMessageSet(buf: Buffer): LegacyMessage[] {
  const messages: LegacyMessage[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const frame = frameAt(buf, pos);
    if (frame.kind === 'corrupt') throw corrupt(frame.message);
    if (frame.kind === 'truncated') throw corrupt(`message at byte ${pos} is truncated`);
    messages.push(parseMessage(buf.subarray(frame.start, frame.end)));
    pos = frame.end;
  }
  return messages;
}

function parseMessage(entry: Buffer): LegacyMessage {
  const magic = entry.readInt8(MAGIC_AT);
  if (magic !== 0 && magic !== 1) throw corrupt(`message magic ${magic} is not 0 or 1`);
  if (entry.length - LOG_OVERHEAD < MESSAGE_OVERHEAD[magic]) throw corrupt(`message of ${entry.length} bytes is too short`);
  const crc = entry.readUInt32BE(CRC_AT);
  const computed = crc32(entry.subarray(MAGIC_AT));
  if (crc !== computed) throw corrupt(`message is corrupt (stored crc = ${crc}, computed crc = ${computed})`);
  let pos = TIMESTAMP_AT;
  let timestamp = NO_TIMESTAMP;
  if (magic === 1) {
    timestamp = readInt64(entry, pos);
    // int64 values are JS numbers (see CONTRACTS.md); a timestamp beyond 2^53 is garbage.
    if (!Number.isSafeInteger(timestamp)) throw corrupt(`message timestamp ${timestamp} out of range`);
    pos += 8;
  }
  const key = readBytes(entry, pos);
  pos += 4 + (key?.length ?? 0);
  const value = readBytes(entry, pos);
  pos += 4 + (value?.length ?? 0);
  if (pos !== entry.length) throw corrupt(`message size does not match its key and value`);
  return { offset: readInt64(entry, 0), magic, attributes: entry.readUInt8(ATTRIBUTES_AT), timestamp, key, value };
}

function readBytes(entry: Buffer, pos: number): Buffer | null {
  if (pos + 4 > entry.length) throw corrupt('message truncated');
  const length = entry.readInt32BE(pos);
  if (length === -1) return null;
  if (length < 0 || pos + 4 + length > entry.length) throw corrupt(`invalid length ${length} in message`);
  return entry.subarray(pos + 4, pos + 4 + length);
}

/** One encoded message with a correct CRC32. */
export function encodeMessage(m: LegacyMessage): Buffer {
  const keyLength = m.key?.length ?? 0;
  const valueLength = m.value?.length ?? 0;
  const buf = Buffer.allocUnsafe(LOG_OVERHEAD + MESSAGE_OVERHEAD[m.magic] + keyLength + valueLength);
  writeInt64(buf, 0, m.offset);
  buf.writeInt32BE(buf.length - LOG_OVERHEAD, 8);
  buf.writeInt8(m.magic, MAGIC_AT);
  buf.writeUInt8(m.attributes & 0xff, ATTRIBUTES_AT);
  let pos = TIMESTAMP_AT;
  if (m.magic === 1) {
    writeInt64(buf, pos, m.timestamp);
    pos += 8;
  }
  pos = writeBytes(buf, pos, m.key);
  writeBytes(buf, pos, m.value);
  buf.writeUInt32BE(crc32(buf.subarray(MAGIC_AT)), CRC_AT);
  return buf;
}

function writeBytes(buf: Buffer, pos: number, bytes: Buffer | null): number {
  if (bytes === null) {
    buf.writeInt32BE(-1, pos);
    return pos + 4;
  }
  buf.writeInt32BE(bytes.length, pos);
  return pos + 4 + bytes.copy(buf, pos + 4);
}
