/**
 * Conversion between legacy message sets (magic 0/1, layout in legacy-message.ts) and v2
 * record batches, as Kafka does for old clients:
 *
 * - upConvertMessageSet: a produced v0/v1 message set (compressed wrappers included)
 *   becomes ONE v2 batch holding every message, offsets relative from 0, no producer id,
 *   compressed with the codec of the first compressed wrapper (uncompressed if none).
 *   Magic 0 has no timestamps: its records get NO_TIMESTAMP (-1). Inner messages of a
 *   LogAppendTime v1 wrapper take the wrapper's timestamp.
 * - downConvertToMagic: stored v2 batches become a v0/v1 message set for Fetch v0-3.
 *   Uncompressed batches turn into one message per record (absolute offsets); compressed
 *   ones into one wrapper message compressed with the same codec (snappy in xerial framing,
 *   as Java writes it), inner offsets absolute for magic 0 and relative to the first
 *   record for magic 1, the wrapper carrying the last record's offset. Control batches are
 *   dropped and headers are lost (v0/v1 have none), as in Kafka. A trailing partial batch
 *   (fetch size cut) is dropped. zstd cannot be expressed in v0/v1:
 *   UNSUPPORTED_COMPRESSION_TYPE.
 */
import { compress, decompress } from '../compression/index.ts';
import { ErrorCode } from '../errors.ts';
import { CompressionType, CURRENT_MAGIC, TIMESTAMP_TYPE_MASK, type CompressionCodecId } from './batch-layout.ts';
import { RecordBatchView } from './batch.ts';
import { buildRecordBatch, type RecordInput } from './builder.ts';
import { frameAt } from './framing.ts';
import { InvalidRecordError } from './invalid-record-error.ts';
import {
  codecOf,
  encodeMessage,
  isLogAppendTime,
  parseMessageSet,
  type LegacyMagic,
  type LegacyMessage,
} from './legacy-message.ts';
import { readRecords, type KafkaRecord } from './record.ts';

export async function upConvertMessageSet(buf: Buffer): Promise<Buffer> {
  const records: RecordInput[] = [];
  let codec: CompressionCodecId = CompressionType.none;
  for (const message of parseMessageSet(buf)) {
    const messageCodec = codecOf(message);
    if (messageCodec === CompressionType.none) {
      records.push({ key: message.key, value: message.value, timestamp: message.timestamp });
      continue;
    }
    for (const inner of await unwrap(message)) records.push(inner);
    if (codec === CompressionType.none) codec = messageCodec as CompressionCodecId;
  }
  if (records.length === 0) throw new InvalidRecordError(ErrorCode.INVALID_RECORD, 'message set holds no message');
  return buildRecordBatch({ records, compression: codec });
}

/** The records inside a compressed wrapper message. */
async function unwrap(wrapper: LegacyMessage): Promise<RecordInput[]> {
  const codec = codecOf(wrapper);
  if (codec > CompressionType.lz4) {
    throw new InvalidRecordError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, `codec ${codec} is not allowed in message format v${wrapper.magic}`);
  }
  if (wrapper.value === null) throw new InvalidRecordError(ErrorCode.INVALID_RECORD, 'compressed wrapper message has a null value');
  let inner: LegacyMessage[];
  try {
    inner = parseMessageSet(await decompress(codec as CompressionCodecId, wrapper.value));
  } catch (err) {
    if (err instanceof InvalidRecordError) throw err;
    throw new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, `cannot decompress message set: ${(err as Error).message}`);
  }
  const wrapperTime = isLogAppendTime(wrapper) ? wrapper.timestamp : null;
  return inner.map((m) => {
    if (m.magic !== wrapper.magic) {
      throw new InvalidRecordError(ErrorCode.INVALID_RECORD, `inner message magic ${m.magic} does not match wrapper magic ${wrapper.magic}`);
    }
    if (codecOf(m) !== CompressionType.none) {
      throw new InvalidRecordError(ErrorCode.INVALID_RECORD, 'compressed wrapper holds a compressed message');
    }
    return { key: m.key, value: m.value, timestamp: wrapperTime ?? m.timestamp };
  });
}

export interface DownConvertOptions {
  /** The fetch offset: records of UNcompressed batches below it are left out, as Kafka
   * does (old consumers expect the first uncompressed message at the offset they asked
   * for; a compressed wrapper is always sent whole). */
  firstOffset?: number;
}

export async function downConvertToMagic(records: Buffer, magic: LegacyMagic, opts: DownConvertOptions = {}): Promise<Buffer> {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < records.length) {
    const frame = frameAt(records, pos);
    if (frame.kind === 'truncated') break;
    if (frame.kind === 'corrupt') throw new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, frame.message);
    const entry = records.subarray(frame.start, frame.end);
    pos = frame.end;
    // Already a legacy message (never written by us, but tolerated): pass it through.
    if (frame.magic !== CURRENT_MAGIC) parts.push(entry);
    else parts.push(...(await downConvertBatch(new RecordBatchView(entry), magic, opts.firstOffset ?? 0)));
  }
  return Buffer.concat(parts);
}

async function downConvertBatch(batch: RecordBatchView, magic: LegacyMagic, firstOffset: number): Promise<Buffer[]> {
  if (batch.isControl) return [];
  const codec = batch.compression;
  if (codec === CompressionType.zstd) {
    throw new InvalidRecordError(ErrorCode.UNSUPPORTED_COMPRESSION_TYPE, 'zstd batches cannot be down-converted to message format v0/v1');
  }
  const records = await readRecords(batch);
  if (records.length === 0) return [];
  const timestampBit = magic === 1 && batch.timestampType === 'LogAppendTime' ? TIMESTAMP_TYPE_MASK : 0;
  if (codec === CompressionType.none) {
    return records.filter((r) => r.offset >= firstOffset).map((r) => encodeMessage(toMessage(r, r.offset, magic, timestampBit)));
  }
  const first = records[0].offset;
  const inner = records.map((r) => encodeMessage(toMessage(r, magic === 1 ? r.offset - first : r.offset, magic, timestampBit)));
  const last = records[records.length - 1];
  const value = await compress(codec, Buffer.concat(inner), { snappyFraming: 'xerial' });
  const timestamp = magic === 1 ? batch.maxTimestamp : -1;
  return [encodeMessage({ offset: last.offset, magic, attributes: codec | timestampBit, timestamp, key: null, value })];
}

function toMessage(r: KafkaRecord, offset: number, magic: LegacyMagic, timestampBit: number): LegacyMessage {
  return { offset, magic, attributes: timestampBit, timestamp: magic === 1 ? r.timestamp : -1, key: r.key, value: r.value };
}
