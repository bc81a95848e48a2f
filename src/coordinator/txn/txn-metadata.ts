/**
 * TxnMetadata: what the coordinator knows of one transactional id (Kafka's
 * TransactionMetadata): its producer id and epoch, the timeout, the state, the
 * partitions of the ongoing transaction and its timestamps.
 *
 * Changes go in two steps, as in Kafka: `prepare` builds the TxnTransit (the state to
 * write) and marks the metadata busy (`pending`), the record is appended, and `complete`
 * applies the transit once it is committed (or `abandon` clears `pending` when the
 * write failed). While `pending` is set other requests get CONCURRENT_TRANSACTIONS.
 */
import { canTransition, TxnState, type TxnStateName } from './txn-state.ts';

/** Kafka's RecordBatch.NO_PRODUCER_ID / NO_PRODUCER_EPOCH. */
export const NO_PRODUCER_ID = -1;
export const NO_PRODUCER_EPOCH = -1;
/** Kafka bumps to a new producer id once the epoch reaches Short.MAX_VALUE - 1. */
export const EPOCH_EXHAUSTED_AT = 0x7fff - 1;

/** "topic:partition" keys of a transaction's partitions. */
export type TopicPartitionKey = string;

export function tpKey(topic: string, partition: number): TopicPartitionKey {
  return `${topic}:${partition}`;
}

export function parseTpKey(key: TopicPartitionKey): { topic: string; partition: number } {
  const at = key.lastIndexOf(':');
  return { topic: key.slice(0, at), partition: Number(key.slice(at + 1)) };
}

/** A state to write for a transactional id (Kafka's TxnTransitMetadata). */
export interface TxnTransit {
  readonly producerId: number;
  readonly previousProducerId: number;
  readonly producerEpoch: number;
  readonly lastProducerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TxnStateName;
  readonly partitions: ReadonlySet<TopicPartitionKey>;
  readonly txnStartTimestampMs: number;
  readonly txnLastUpdateTimestampMs: number;
}

export class InvalidTxnTransitionError extends Error {
  override name = 'InvalidTxnTransitionError';
}

export class TxnMetadata {
  readonly transactionalId: string;
  producerId: number;
  previousProducerId: number;
  producerEpoch: number;
  /** The epoch before the last bump (Kafka keeps it to recognise a retried InitProducerId). */
  lastProducerEpoch: number;
  timeoutMs: number;
  state: TxnStateName;
  partitions: Set<TopicPartitionKey>;
  txnStartTimestampMs: number;
  txnLastUpdateTimestampMs: number;
  /** The state being written, or null when idle. */
  pending: TxnStateName | null = null;

  constructor(transactionalId: string, init: TxnTransit) {
    this.transactionalId = transactionalId;
    this.producerId = init.producerId;
    this.previousProducerId = init.previousProducerId;
    this.producerEpoch = init.producerEpoch;
    this.lastProducerEpoch = init.lastProducerEpoch;
    this.timeoutMs = init.timeoutMs;
    this.state = init.state;
    this.partitions = new Set(init.partitions);
    this.txnStartTimestampMs = init.txnStartTimestampMs;
    this.txnLastUpdateTimestampMs = init.txnLastUpdateTimestampMs;
  }

  /** The current state as a transit (the base every prepare starts from). */
  snapshot(): TxnTransit {
    return {
      producerId: this.producerId, previousProducerId: this.previousProducerId, producerEpoch: this.producerEpoch,
      lastProducerEpoch: this.lastProducerEpoch, timeoutMs: this.timeoutMs, state: this.state,
      partitions: new Set(this.partitions), txnStartTimestampMs: this.txnStartTimestampMs,
      txnLastUpdateTimestampMs: this.txnLastUpdateTimestampMs,
    };
  }

  /** Checks the transition and marks the metadata busy; throws if the table forbids it. */
  prepare(changes: Partial<TxnTransit> & { state: TxnStateName }): TxnTransit {
    if (this.pending !== null) throw new InvalidTxnTransitionError(`${this.transactionalId}: ${this.pending} is still being written`);
    const from = this.state;
    if (!canTransition(from, changes.state)) {
      throw new InvalidTxnTransitionError(`${this.transactionalId}: no transition from ${from} to ${changes.state}`);
    }
    this.pending = changes.state;
    return { ...this.snapshot(), ...changes };
  }

  /** Applies a committed transit. */
  complete(transit: TxnTransit): void {
    this.producerId = transit.producerId;
    this.previousProducerId = transit.previousProducerId;
    this.producerEpoch = transit.producerEpoch;
    this.lastProducerEpoch = transit.lastProducerEpoch;
    this.timeoutMs = transit.timeoutMs;
    this.state = transit.state;
    this.partitions = new Set(transit.partitions);
    this.txnStartTimestampMs = transit.txnStartTimestampMs;
    this.txnLastUpdateTimestampMs = transit.txnLastUpdateTimestampMs;
    this.pending = null;
  }

  abandon(): void {
    this.pending = null;
  }

  /** Whether the ongoing transaction passed its timeout at `nowMs`. */
  hasTimedOut(nowMs: number): boolean {
    return this.state === TxnState.ONGOING && this.pending === null && this.txnStartTimestampMs + this.timeoutMs < nowMs;
  }

  /** Epoch exhausted: the next bump needs a new producer id. */
  get epochExhausted(): boolean {
    return this.producerEpoch >= EPOCH_EXHAUSTED_AT;
  }
}
