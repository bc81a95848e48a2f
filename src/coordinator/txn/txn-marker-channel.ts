/**
 * TxnMarkerChannel: delivers the COMMIT/ABORT markers of a finished transaction to every
 * partition in it (Kafka's TransactionMarkerChannelManager). A partition this broker
 * leads gets its marker in-process through the same code the WriteTxnMarkers handler
 * runs (txn-markers.ts). Delivery is retried with a backoff until every partition has
 * its marker, the partition no longer exists, or the coordinator lost its partition
 * (`isActive` false: the next coordinator resumes the completion).
 *
 * Not done yet: partitions led by another broker (Kafka sends them a WriteTxnMarkers
 * request); on one node every partition is local, so delivery only waits for leadership.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';
import type { Scheduler } from '../runtime/timer.ts';
import { writeMarker, type MarkerPartition, type TxnMarker } from './txn-markers.ts';

/** Wait between delivery rounds while some partition could not take its marker. */
export const MARKER_RETRY_BACKOFF_MS = 100;

/** Errors after which a partition is given up (as Kafka drops markers of deleted partitions). */
const TERMINAL_ERRORS: ReadonlySet<ErrorCodeValue> = new Set([
  ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.TRANSACTION_COORDINATOR_FENCED, ErrorCode.INVALID_PRODUCER_EPOCH,
]);

export interface TxnMarkerChannelOptions {
  readonly replicas: ReplicaManager;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** request.timeout.ms-like bound on waiting for a marker's replication. */
  readonly writeTimeoutMs: number;
  readonly onMarkerWritten?: (partition: MarkerPartition, marker: TxnMarker) => void;
}

export class TxnMarkerChannel {
  readonly #opts: TxnMarkerChannelOptions;

  constructor(opts: TxnMarkerChannelOptions) {
    this.#opts = opts;
  }

  /** Resolves true once every partition has the marker, false if `isActive` turned false first. */
  async send(marker: TxnMarker, partitions: readonly MarkerPartition[], isActive: () => boolean): Promise<boolean> {
    let remaining = partitions;
    while (remaining.length > 0) {
      if (!isActive()) return false;
      const results = await Promise.all(remaining.map((p) => this.#deliver(p, marker)));
      remaining = remaining.filter((p, i) => {
        const error = results[i];
        if (error === ErrorCode.NONE) return false;
        if (!TERMINAL_ERRORS.has(error)) return true;
        this.#opts.logger.warn({ topic: p.topic, partition: p.partition, producerId: marker.producerId, error }, 'giving up a transaction marker');
        return false;
      });
      if (remaining.length > 0) await this.#backoff();
    }
    return true;
  }

  #deliver(target: MarkerPartition, marker: TxnMarker): Promise<ErrorCodeValue> {
    const { replicas, scheduler, writeTimeoutMs, onMarkerWritten } = this.#opts;
    if (replicas.getPartition(target.topic, target.partition)?.isLeader !== true) {
      // Led elsewhere (or not yet): Gregor has no inter-broker marker requests yet.
      return Promise.resolve(replicas.getPartition(target.topic, target.partition) === undefined ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.NOT_LEADER_OR_FOLLOWER);
    }
    return writeMarker(target, marker, { replicas, nowMs: scheduler.now(), timeoutMs: writeTimeoutMs, onWritten: onMarkerWritten });
  }

  #backoff(): Promise<void> {
    return new Promise((resolve) => this.#opts.scheduler.schedule(MARKER_RETRY_BACKOFF_MS, resolve));
  }
}
