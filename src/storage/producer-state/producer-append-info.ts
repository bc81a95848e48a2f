/**
 * ProducerAppendInfo: the checks and state changes of one producer's batches within one
 * append (Kafka's ProducerAppendInfo). It works on a copy of the producer's entry; the
 * manager installs the copy only when the whole append succeeded, so a refused append
 * leaves the state untouched.
 *
 * Checks (origin 'client' = a producer's Produce; 'replication' = a follower copying the
 * leader, which trusts what the leader accepted; 'coordinator' = markers written by the
 * transaction coordinator):
 *  - epoch older than the producer's current one: INVALID_PRODUCER_EPOCH (Kafka returns
 *    this instead of PRODUCER_FENCED since 2.7, so the client can abort and go on);
 *  - client appends only, sequences: a new epoch must start at sequence 0 unless the
 *    partition has no state for the producer; in the same epoch the batch must follow
 *    the last sequence (with wrap at Int32 max), else OUT_OF_ORDER_SEQUENCE_NUMBER. An
 *    unknown producer (no state: new, expired, or its records deleted by retention) is
 *    accepted at any sequence, as Kafka does since KIP-360 (2.5);
 *  - a non-transactional batch while the producer has a transaction open here:
 *    INVALID_TXN_STATE;
 *  - markers: a coordinator epoch older than the last one seen:
 *    TRANSACTION_COORDINATOR_FENCED.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { EndTxnMarker } from './end-txn-marker.ts';
import { NO_OFFSET, NO_PRODUCER_EPOCH, NO_SEQUENCE, ProducerStateEntry } from './producer-state-entry.ts';
import { ProducerStateError } from './producer-state-error.ts';
import { inSequence } from './sequence.ts';

export type AppendOrigin = 'client' | 'replication' | 'coordinator';

/** A transaction finished by a marker on this partition (Kafka's CompletedTxn). */
export interface CompletedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** Offset of the marker. */
  readonly lastOffset: number;
  readonly isAborted: boolean;
}

/** A producer's data batch as the producer state sees it. */
export interface ProducerDataBatch {
  readonly producerEpoch: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly maxTimestamp: number;
  readonly isTransactional: boolean;
}

export class ProducerAppendInfo {
  readonly producerId: number;
  readonly origin: AppendOrigin;
  /** The state before this append (empty for an unknown producer). */
  readonly currentEntry: ProducerStateEntry;
  /** The state after this append's batches so far. */
  readonly updatedEntry: ProducerStateEntry;

  constructor(producerId: number, current: ProducerStateEntry | undefined, origin: AppendOrigin) {
    this.producerId = producerId;
    this.origin = origin;
    this.currentEntry = current ?? ProducerStateEntry.empty(producerId);
    this.updatedEntry = this.currentEntry.clone();
  }

  appendDataBatch(batch: ProducerDataBatch): void {
    this.#checkProducerEpoch(batch.producerEpoch, batch.firstOffset);
    if (this.origin === 'client') this.#checkSequence(batch.producerEpoch, batch.firstSeq, batch.firstOffset);
    const entry = this.updatedEntry;
    entry.addBatch(batch.producerEpoch, batch.lastSeq, batch.lastOffset, batch.lastOffset - batch.firstOffset, batch.maxTimestamp);
    const inTxn = entry.currentTxnFirstOffset !== NO_OFFSET;
    if (inTxn && !batch.isTransactional) {
      throw new ProducerStateError(ErrorCode.INVALID_TXN_STATE, `Expected transactional write from producer ${this.producerId} at offset ${batch.firstOffset}`);
    }
    if (!inTxn && batch.isTransactional) entry.currentTxnFirstOffset = batch.firstOffset;
  }

  /** Applies a COMMIT/ABORT marker; returns the transaction it ends, if it had data here. */
  appendEndTxnMarker(marker: EndTxnMarker, producerEpoch: number, offset: number, timestamp: number): CompletedTxn | null {
    this.#checkProducerEpoch(producerEpoch, offset);
    const entry = this.updatedEntry;
    if (this.origin !== 'replication' && entry.coordinatorEpoch > marker.coordinatorEpoch) {
      throw new ProducerStateError(ErrorCode.TRANSACTION_COORDINATOR_FENCED,
        `Invalid coordinator epoch for producer ${this.producerId} at offset ${offset}: ${marker.coordinatorEpoch} (zombie), ${entry.coordinatorEpoch} (current)`);
    }
    const completed = entry.currentTxnFirstOffset === NO_OFFSET
      ? null
      : { producerId: this.producerId, firstOffset: entry.currentTxnFirstOffset, lastOffset: offset, isAborted: marker.isAbort };
    entry.maybeUpdateProducerEpoch(producerEpoch);
    entry.currentTxnFirstOffset = NO_OFFSET;
    entry.coordinatorEpoch = marker.coordinatorEpoch;
    entry.lastTimestamp = timestamp;
    return completed;
  }

  #checkProducerEpoch(epoch: number, offset: number): void {
    // A follower keeps what its leader accepted (the leader already checked it).
    if (epoch >= this.updatedEntry.producerEpoch || this.origin === 'replication') return;
    throw new ProducerStateError(ErrorCode.INVALID_PRODUCER_EPOCH,
      `Epoch of producer ${this.producerId} at offset ${offset} is ${epoch}, which is smaller than the last seen epoch ${this.updatedEntry.producerEpoch}`);
  }

  #checkSequence(epoch: number, firstSeq: number, offset: number): void {
    const updated = this.updatedEntry;
    if (epoch !== updated.producerEpoch) {
      if (firstSeq !== 0 && updated.producerEpoch !== NO_PRODUCER_EPOCH) {
        throw new ProducerStateError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          `Invalid sequence number for new epoch of producer ${this.producerId} at offset ${offset}: ${epoch} (request epoch), ${firstSeq} (seq. number), ${updated.producerEpoch} (current producer epoch)`);
      }
      return;
    }
    let lastSeq = NO_SEQUENCE;
    if (!updated.isEmpty) lastSeq = updated.lastSeq;
    else if (epoch === this.currentEntry.producerEpoch) lastSeq = this.currentEntry.lastSeq;
    // No current epoch: every record of the producer is gone (retention, DeleteRecords),
    // so any sequence is accepted.
    if (this.currentEntry.producerEpoch === NO_PRODUCER_EPOCH || inSequence(lastSeq, firstSeq)) return;
    throw new ProducerStateError(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
      `Out of order sequence number for producer ${this.producerId} at offset ${offset}: ${firstSeq} (incoming seq. number), ${lastSeq} (current end sequence number)`);
  }
}
