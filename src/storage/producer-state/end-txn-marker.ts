/**
 * Reading the end-transaction marker of a control batch (Kafka's EndTransactionMarker):
 * one record whose key is [version int16, type int16] (type 0 = ABORT, 1 = COMMIT) and
 * whose value is [version int16, coordinatorEpoch int32]. Control batches are never
 * compressed, so this decodes synchronously (it also runs inside a segment scan).
 */
import { InvalidRecordError } from '../../protocol/records/invalid-record-error.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import type { RecordBatchView } from '../../protocol/records/batch.ts';
import { decodeRecords } from '../../protocol/records/record.ts';

/** Kafka's ControlRecordType ids. */
export const CONTROL_TYPE_ABORT = 0;
export const CONTROL_TYPE_COMMIT = 1;

export interface EndTxnMarker {
  readonly isAbort: boolean;
  readonly coordinatorEpoch: number;
}

/** The marker of a control batch, or null for other control records (e.g. leader change). */
export function readEndTxnMarker(view: RecordBatchView): EndTxnMarker | null {
  if (view.compression !== 0) throw new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, 'compressed control batch');
  const [record] = decodeRecords(view.recordsBytes, { count: view.recordCount, baseOffset: view.baseOffset, baseTimestamp: view.baseTimestamp, logAppendTime: null });
  if (record?.key == null || record.key.length < 4) throw new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, 'control record without a key');
  const type = record.key.readInt16BE(2);
  if (type !== CONTROL_TYPE_ABORT && type !== CONTROL_TYPE_COMMIT) return null;
  if (record.value === null || record.value.length < 6) throw new InvalidRecordError(ErrorCode.CORRUPT_MESSAGE, 'end transaction marker without a value');
  return { isAbort: type === CONTROL_TYPE_ABORT, coordinatorEpoch: record.value.readInt32BE(2) };
}
