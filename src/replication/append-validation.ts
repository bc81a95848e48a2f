/**
 * Leader-side validation of produced records before they reach the log (Kafka's
 * UnifiedLog.analyzeAndValidateRecords + LogValidator, for a client append):
 *
 *  1. legacy v0/v1 message sets (Produce v0-2): each entry's size against
 *     max.message.bytes (MESSAGE_TOO_LARGE), then up-converted to one v2 batch;
 *  2. framing, CRC, offsets, producer fields and batch size via splitBatches;
 *  3. record-level checks: every batch's records are walked (decompressed first) and a
 *     malformed one is CORRUPT_MESSAGE, as Kafka's LogValidator iterates every record;
 *     checks reported per record as Kafka does (recordErrors):
 *     - CreateTime topics: message.timestamp.before.max.ms / after.max.ms -> INVALID_TIMESTAMP
 *     - compacted topics: every record needs a key -> INVALID_RECORD
 *  4. producer checks (sequences, epochs, duplicates) need the producer state and run
 *     in the log under its append lock (storage/producer-state/); transactional batches
 *     are verified against the transaction coordinator by the Partition (KIP-890);
 *  5. topics with compression.type other than 'producer': batches in another codec are
 *     re-encoded (recompress.ts) and their size checked again (MESSAGE_TOO_LARGE).
 *
 * Records are decoded into objects only when a check needs it: with the default
 * before.max.ms (no lower bound) and a non-compacted topic the records are only walked and
 * their largest timestamp decides; a batch whose largest timestamp is out of range is
 * decoded, to name the offending records.
 *
 * On CreateTime topics each batch's header maxTimestamp is set to its largest record
 * timestamp (NO_TIMESTAMP when none has one), as Kafka's LogValidator does: producers may
 * write anything there (librdkafka writes 0 for records without a timestamp), and
 * retention.ms and timestamp lookups read it.
 */
import type { LogConfig } from '../config/log-config.ts';
import { LONG_MAX_AS_NUMBER } from '../config/log-config.ts';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import { RecordBatchView } from '../protocol/records/batch.ts';
import { firstMagic, frameAt } from '../protocol/records/framing.ts';
import { InvalidRecordError } from '../protocol/records/invalid-record-error.ts';
import { upConvertMessageSet } from '../protocol/records/legacy.ts';
import { NO_TIMESTAMP } from '../protocol/records/legacy-message.ts';
import { readRecords, validateRecordFraming, type KafkaRecord } from '../protocol/records/record.ts';
import { splitBatches } from '../protocol/records/validate.ts';
import type { CompressionCodecId } from '../protocol/records/batch-layout.ts';
import { recompressBatch, topicCodec } from './recompress.ts';

/** Kafka shows at most this many record errors in the summary message. */
const RECORD_ERRORS_IN_MESSAGE_MAX = 3;

export interface RecordError {
  /** Index of the record within its batch. */
  readonly batchIndex: number;
  readonly message: string;
}

export interface AppendFailure {
  readonly error: ErrorCodeValue;
  /** Kafka's errorMessage: only set where Kafka sets a custom one (record errors). */
  readonly message: string | null;
  readonly recordErrors: readonly RecordError[];
  /** What the log says (for our own logging); never sent when `message` is null. */
  readonly detail: string;
}

export type AppendValidation =
  | { readonly ok: true; readonly records: Buffer; readonly batches: readonly RecordBatchView[] }
  | { readonly ok: false; readonly failure: AppendFailure };

export interface ValidationContext {
  readonly config: LogConfig;
  readonly now: number;
  /** "topic-partition", for Kafka's compacted-topic message. */
  readonly partitionName: string;
}

export async function validateForAppend(records: Buffer, ctx: ValidationContext): Promise<AppendValidation> {
  const converted = await upConvertLegacy(records, ctx.config.maxMessageBytes);
  if (!converted.ok) return converted;
  const split = splitBatches(converted.records, { maxBatchBytes: ctx.config.maxMessageBytes });
  if (!split.ok) return fail(split.error, split.message);
  for (const batch of split.batches) {
    const failure = await checkRecords(batch, ctx);
    if (failure !== null) return { ok: false, failure };
  }
  const codec = topicCodec(ctx.config);
  if (codec === null || split.batches.every((b) => b.compression === codec)) {
    return { ok: true, records: converted.records, batches: split.batches };
  }
  return recompressAll(split.batches, codec, ctx.config.maxMessageBytes);
}

async function recompressAll(batches: readonly RecordBatchView[], codec: CompressionCodecId, maxBatchBytes: number): Promise<AppendValidation> {
  const parts: Buffer[] = [];
  try {
    for (const batch of batches) parts.push(batch.compression === codec ? batch.buffer : await recompressBatch(batch, codec));
  } catch (err) {
    if (err instanceof InvalidRecordError) return fail(err.code, err.message);
    throw err;
  }
  const records = Buffer.concat(parts);
  const split = splitBatches(records, { maxBatchBytes });
  if (!split.ok) return fail(split.error, `after recompression: ${split.message}`);
  return { ok: true, records, batches: split.batches };
}

function fail(error: ErrorCodeValue, detail: string): { ok: false; failure: AppendFailure } {
  return { ok: false, failure: { error, message: null, recordErrors: [], detail } };
}

/** v0/v1 message sets become one v2 batch; v2 input passes through untouched. */
async function upConvertLegacy(records: Buffer, maxMessageBytes: number): Promise<{ ok: true; records: Buffer } | { ok: false; failure: AppendFailure }> {
  const magic = firstMagic(records);
  if (magic === null || magic >= 2) return { ok: true, records };
  for (let pos = 0; pos < records.length;) {
    const frame = frameAt(records, pos);
    if (frame.kind !== 'entry') break;
    if (frame.end - frame.start > maxMessageBytes) {
      return fail(ErrorCode.MESSAGE_TOO_LARGE, `message size ${frame.end - frame.start} exceeds ${maxMessageBytes}`);
    }
    pos = frame.end;
  }
  try {
    return { ok: true, records: await upConvertMessageSet(records) };
  } catch (err) {
    if (err instanceof InvalidRecordError) return fail(err.code, err.message);
    throw err;
  }
}

async function checkRecords(batch: RecordBatchView, ctx: ValidationContext): Promise<AppendFailure | null> {
  const compacted = ctx.config.cleanupPolicy.includes('compact');
  const checkTimes = ctx.config.messageTimestampType === 'CreateTime';
  const boundedBelow = ctx.config.messageTimestampBeforeMaxMs < LONG_MAX_AS_NUMBER;
  let records: KafkaRecord[] | null = null;
  let maxTimestamp = NO_TIMESTAMP;
  try {
    if (compacted || (checkTimes && boundedBelow)) records = await readRecords(batch);
    else {
      maxTimestamp = await validateRecordFraming(batch);
      if (checkTimes && maxTimestamp - ctx.now > ctx.config.messageTimestampAfterMaxMs) records = await readRecords(batch);
    }
  } catch (err) {
    if (err instanceof InvalidRecordError) return { error: err.code, message: null, recordErrors: [], detail: err.message };
    throw err;
  }
  if (records !== null) {
    const failure = recordFailures(records, ctx, compacted, checkTimes);
    if (failure !== null) return failure;
    maxTimestamp = records.reduce((max, r) => Math.max(max, r.timestamp), NO_TIMESTAMP);
  }
  // LogAppendTime topics get their timestamp in the log, at append.
  if (checkTimes) batch.setCreateTime(maxTimestamp);
  return null;
}

function recordFailures(records: readonly KafkaRecord[], ctx: ValidationContext, compacted: boolean, checkTimes: boolean): AppendFailure | null {
  const keyErrors: RecordError[] = [];
  const timeErrors: RecordError[] = [];
  records.forEach((record, batchIndex) => {
    if (compacted && record.key === null) {
      keyErrors.push({ batchIndex, message: `Compacted topic cannot accept message without key in topic partition ${ctx.partitionName}.` });
    }
    const timeError = checkTimes ? timestampError(record, ctx) : null;
    if (timeError !== null) timeErrors.push({ batchIndex, message: timeError });
  });
  if (keyErrors.length > 0) return recordErrorFailure(ErrorCode.INVALID_RECORD, keyErrors);
  if (timeErrors.length > 0) return recordErrorFailure(ErrorCode.INVALID_TIMESTAMP, timeErrors);
  return null;
}

function timestampError(record: KafkaRecord, ctx: ValidationContext): string | null {
  if (record.timestamp === NO_TIMESTAMP) return null;
  const { messageTimestampBeforeMaxMs: before, messageTimestampAfterMaxMs: after } = ctx.config;
  if (ctx.now - record.timestamp <= before && record.timestamp - ctx.now <= after) return null;
  return `Timestamp ${record.timestamp} of message with offset ${record.offset} is out of range. `
    + `The timestamp should be within [${ctx.now - before}, ${ctx.now + after}]`;
}

/** Kafka's LogValidator.processRecordErrors wording. */
function recordErrorFailure(error: ErrorCodeValue, recordErrors: RecordError[]): AppendFailure {
  const message = error === ErrorCode.INVALID_TIMESTAMP
    ? 'One or more records have been rejected due to invalid timestamp'
    : `One or more records have been rejected due to ${recordErrors.length} record errors in total, and only showing the first three errors at most: [${
      recordErrors.slice(0, RECORD_ERRORS_IN_MESSAGE_MAX).map((e) => `RecordError(batchIndex=${e.batchIndex}, message='${e.message}')`).join(', ')}]`;
  return { error, message, recordErrors, detail: message };
}
