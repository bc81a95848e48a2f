/**
 * Produce-path validation of magic-2 record batches, as Kafka's UnifiedLog
 * (analyzeAndValidateRecords), ProduceRequest.validateRecords and LogValidator
 * (validateBatch, client origin) do it, header and CRC only: no record is decoded here.
 *
 * Per batch, in Kafka's order:
 *  framing: batchLength >= 14 and inside the buffer      else CORRUPT_MESSAGE
 *  magic == 2 (v0/v1 go through legacy.ts first)         else INVALID_RECORD
 *  size >= the 61-byte header                            else CORRUPT_MESSAGE
 *  baseOffset == 0 (clients never assign offsets)         else INVALID_RECORD
 *  size <= maxBatchBytes (message.max.bytes)              else MESSAGE_TOO_LARGE
 *  CRC32C over [21, end) matches                          else CORRUPT_MESSAGE
 *  codec id <= 4                                          else CORRUPT_MESSAGE
 *  lastOffsetDelta >= 0, recordCount > 0,
 *  recordCount == lastOffsetDelta + 1                     else INVALID_RECORD
 *  not a control batch                                    else INVALID_RECORD
 *  producerId >= 0 => baseSequence >= 0, epoch >= 0;
 *  transactional => producerId >= 0                       else INVALID_RECORD
 * and the records must hold at least one batch (INVALID_RECORD) and no trailing partial
 * batch (CORRUPT_MESSAGE; Kafka silently drops such a tail, we refuse it).
 * The epoch and transactional checks are ours (Kafka leaves them to producer state);
 * a non-idempotent batch (producerId -1) may carry any epoch/sequence, as kafkajs sends
 * epoch 0 and sequence 0 there.
 */
import { ErrorCode, type ErrorCodeValue } from '../errors.ts';
import { CompressionType, CURRENT_MAGIC, RECORD_BATCH_HEADER_SIZE } from './batch-layout.ts';
import { RecordBatchView } from './batch.ts';
import { frameAt } from './framing.ts';

export type SplitResult =
  | { ok: true; batches: RecordBatchView[] }
  | { ok: false; error: ErrorCodeValue; message: string };

export interface SplitOptions {
  /** message.max.bytes (or the topic's max.message.bytes): largest batch accepted. */
  maxBatchBytes: number;
}

type Failure = { error: ErrorCodeValue; message: string };

export function splitBatches(records: Buffer, opts: SplitOptions): SplitResult {
  const batches: RecordBatchView[] = [];
  let pos = 0;
  while (pos < records.length) {
    const frame = frameAt(records, pos);
    if (frame.kind === 'corrupt') return fail(ErrorCode.CORRUPT_MESSAGE, frame.message);
    if (frame.kind === 'truncated') {
      return fail(ErrorCode.CORRUPT_MESSAGE, `record batch at byte ${pos} is truncated`);
    }
    if (frame.magic !== CURRENT_MAGIC) {
      return fail(ErrorCode.INVALID_RECORD, `record batch magic ${frame.magic} is not ${CURRENT_MAGIC}`);
    }
    const size = frame.end - frame.start;
    if (size < RECORD_BATCH_HEADER_SIZE) {
      return fail(ErrorCode.CORRUPT_MESSAGE, `record batch size ${size} is less than the header size ${RECORD_BATCH_HEADER_SIZE}`);
    }
    const batch = new RecordBatchView(records.subarray(frame.start, frame.end));
    const failure = checkBatch(batch, opts);
    if (failure) return { ok: false, ...failure };
    batches.push(batch);
    pos = frame.end;
  }
  if (batches.length === 0) return fail(ErrorCode.INVALID_RECORD, 'produce request has no record batch');
  return { ok: true, batches };
}

function fail(error: ErrorCodeValue, message: string): SplitResult {
  return { ok: false, error, message };
}

function checkBatch(batch: RecordBatchView, opts: SplitOptions): Failure | null {
  if (batch.baseOffset !== 0) {
    return { error: ErrorCode.INVALID_RECORD, message: `baseOffset of a produced record batch should be 0, but it is ${batch.baseOffset}` };
  }
  if (batch.sizeInBytes > opts.maxBatchBytes) {
    return {
      error: ErrorCode.MESSAGE_TOO_LARGE,
      message: `record batch size ${batch.sizeInBytes} exceeds the maximum configured size of ${opts.maxBatchBytes}`,
    };
  }
  if (!batch.isCrcValid()) {
    return {
      error: ErrorCode.CORRUPT_MESSAGE,
      message: `record batch is corrupt (stored crc = ${batch.crc}, computed crc = ${batch.computeCrc()})`,
    };
  }
  if (batch.compression > CompressionType.zstd) {
    return { error: ErrorCode.CORRUPT_MESSAGE, message: `unknown compression codec id ${batch.compression}` };
  }
  return checkOffsets(batch) ?? checkProducerFields(batch);
}

function checkOffsets(batch: RecordBatchView): Failure | null {
  const countFromOffsets = batch.lastOffsetDelta + 1;
  const count = batch.recordCount;
  if (countFromOffsets <= 0) {
    return { error: ErrorCode.INVALID_RECORD, message: `batch has an invalid offset range: lastOffsetDelta ${batch.lastOffsetDelta}` };
  }
  if (count <= 0) return { error: ErrorCode.INVALID_RECORD, message: `invalid reported count for record batch: ${count}` };
  if (count !== countFromOffsets) {
    return {
      error: ErrorCode.INVALID_RECORD,
      message: `inconsistent batch offset range [0, ${batch.lastOffsetDelta}] and count of records ${count}`,
    };
  }
  return null;
}

function checkProducerFields(batch: RecordBatchView): Failure | null {
  if (batch.isControl) return { error: ErrorCode.INVALID_RECORD, message: 'clients are not allowed to write control records' };
  const producerId = batch.producerId;
  if (producerId >= 0 && batch.baseSequence < 0) {
    return { error: ErrorCode.INVALID_RECORD, message: `invalid sequence number ${batch.baseSequence} in record batch with producerId ${producerId}` };
  }
  if (producerId >= 0 && batch.producerEpoch < 0) {
    return { error: ErrorCode.INVALID_RECORD, message: `invalid producer epoch ${batch.producerEpoch} in record batch with producerId ${producerId}` };
  }
  if (batch.isTransactional && producerId < 0) {
    return { error: ErrorCode.INVALID_RECORD, message: 'transactional record batch without a producerId' };
  }
  return null;
}
