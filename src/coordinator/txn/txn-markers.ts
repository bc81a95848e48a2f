/**
 * Writing transaction markers (Kafka's WriteTxnMarkers on the partition leader): for
 * each partition of a finished transaction, one control batch holding the
 * EndTransactionMarker (key [version 0, type 0 ABORT | 1 COMMIT], value [version 0,
 * coordinatorEpoch]), appended as the coordinator (no sequence checks; the producer
 * state checks the epoch and the coordinator epoch) and waited on until the HW covers it
 * (acks=-1), as Kafka appends markers.
 *
 * Used by the WriteTxnMarkers handler and, in-process, by the marker channel when this
 * broker leads the partition. `onWritten` tells the group coordinator that a
 * __consumer_offsets partition got a marker (its pending transactional offsets become
 * committed or are dropped).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { buildRecordBatch } from '../../protocol/records/builder.ts';
import { CONTROL_TYPE_ABORT, CONTROL_TYPE_COMMIT } from '../../storage/producer-state/end-txn-marker.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';

const MARKER_VERSION = 0;

export interface TxnMarker {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly commit: boolean;
}

export interface MarkerPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface MarkerWriteOptions {
  readonly replicas: ReplicaManager;
  readonly nowMs: number;
  /** How long to wait for the HW to cover the marker. */
  readonly timeoutMs: number;
  readonly onWritten?: (partition: MarkerPartition, marker: TxnMarker) => void;
}

/** The control batch of `marker` (offset 0; the leader assigns the real one). */
export function markerBatch(marker: TxnMarker, nowMs: number): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(MARKER_VERSION, 0);
  key.writeInt16BE(marker.commit ? CONTROL_TYPE_COMMIT : CONTROL_TYPE_ABORT, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(MARKER_VERSION, 0);
  value.writeInt32BE(marker.coordinatorEpoch, 2);
  return buildRecordBatch({
    records: [{ key, value }], producerId: marker.producerId, producerEpoch: marker.producerEpoch,
    baseSequence: -1, isTransactional: true, isControl: true, now: nowMs,
  });
}

/** Appends the marker to one partition this broker leads; resolves with Kafka's error code. */
export async function writeMarker(target: MarkerPartition, marker: TxnMarker, opts: MarkerWriteOptions): Promise<ErrorCodeValue> {
  const partition = opts.replicas.getPartition(target.topic, target.partition);
  if (partition === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  const outcome = await partition.appendControlToLeader(await markerBatch(marker, opts.nowMs));
  if (!outcome.ok) return outcome.failure.error;
  const required = outcome.info.lastOffset + 1;
  await opts.replicas.delayed.wait([partition], opts.timeoutMs, () => !partition.isLeader || partition.highWatermark >= required);
  if (!partition.isLeader) return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  if (partition.highWatermark < required) return ErrorCode.REQUEST_TIMED_OUT;
  opts.onWritten?.(target, marker);
  return ErrorCode.NONE;
}
