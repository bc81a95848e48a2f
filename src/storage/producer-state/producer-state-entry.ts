/**
 * ProducerStateEntry: what one partition remembers about one producer id (Kafka's
 * ProducerStateEntry): its epoch, the metadata of its last few batches (for duplicate
 * detection and sequence checks), the timestamp of its last write (for expiry), the
 * transaction coordinator epoch of its last marker, and the first offset of its ongoing
 * transaction on this partition (-1 when none).
 *
 * An installed entry is never mutated: an append works on a clone (ProducerAppendInfo)
 * that the manager installs in its place; everyone else sees entries read-only.
 */
import { decrementSequence } from './sequence.ts';

/** Batches per producer remembered for duplicate detection (Kafka's NUM_BATCHES_TO_RETAIN). */
export const BATCHES_RETAINED_MAX = 5;
/** Kafka's RecordBatch.NO_PRODUCER_EPOCH / NO_SEQUENCE / NO_TIMESTAMP. */
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_TIMESTAMP = -1;
/** Marker for "no ongoing transaction" / "no offset" in entries and snapshots. */
export const NO_OFFSET = -1;

/** One appended batch of a producer (Kafka's BatchMetadata). */
export interface BatchMetadata {
  readonly firstSeq: number;
  readonly lastSeq: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  /** The batch's max timestamp. */
  readonly timestamp: number;
}

export function batchMetadata(lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): BatchMetadata {
  return {
    firstSeq: decrementSequence(lastSeq, offsetDelta),
    lastSeq,
    firstOffset: lastOffset - offsetDelta,
    lastOffset,
    timestamp,
  };
}

export interface ProducerStateEntryInit {
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly coordinatorEpoch: number;
  readonly lastTimestamp: number;
  readonly currentTxnFirstOffset: number;
  readonly batches?: readonly BatchMetadata[];
}

export class ProducerStateEntry {
  readonly producerId: number;
  producerEpoch: number;
  coordinatorEpoch: number;
  lastTimestamp: number;
  /** First offset of the producer's ongoing transaction on this partition, or NO_OFFSET. */
  currentTxnFirstOffset: number;
  /** Oldest first, at most BATCHES_RETAINED_MAX. */
  readonly batches: BatchMetadata[];

  constructor(init: ProducerStateEntryInit) {
    this.producerId = init.producerId;
    this.producerEpoch = init.producerEpoch;
    this.coordinatorEpoch = init.coordinatorEpoch;
    this.lastTimestamp = init.lastTimestamp;
    this.currentTxnFirstOffset = init.currentTxnFirstOffset;
    this.batches = [...(init.batches ?? [])];
  }

  static empty(producerId: number): ProducerStateEntry {
    return new ProducerStateEntry({ producerId, producerEpoch: NO_PRODUCER_EPOCH, coordinatorEpoch: -1, lastTimestamp: NO_TIMESTAMP, currentTxnFirstOffset: NO_OFFSET });
  }

  clone(): ProducerStateEntry {
    return new ProducerStateEntry(this);
  }

  get isEmpty(): boolean {
    return this.batches.length === 0;
  }
  get lastSeq(): number {
    return this.batches.at(-1)?.lastSeq ?? NO_SEQUENCE;
  }
  /** Last offset of the producer's last data batch, or NO_OFFSET. */
  get lastDataOffset(): number {
    return this.batches.at(-1)?.lastOffset ?? NO_OFFSET;
  }
  get lastOffsetDelta(): number {
    const last = this.batches.at(-1);
    return last === undefined ? 0 : last.lastOffset - last.firstOffset;
  }

  /** A new epoch forgets the old epoch's batches (its sequences restart at 0). */
  maybeUpdateProducerEpoch(epoch: number): void {
    if (this.producerEpoch === epoch) return;
    this.batches.length = 0;
    this.producerEpoch = epoch;
  }

  addBatch(epoch: number, lastSeq: number, lastOffset: number, offsetDelta: number, timestamp: number): void {
    this.maybeUpdateProducerEpoch(epoch);
    if (this.batches.length === BATCHES_RETAINED_MAX) this.batches.shift();
    this.batches.push(batchMetadata(lastSeq, lastOffset, offsetDelta, timestamp));
    this.lastTimestamp = timestamp;
  }

  /** The cached batch with exactly this epoch and sequence range (a retried batch), if any. */
  findDuplicateBatch(epoch: number, firstSeq: number, lastSeq: number): BatchMetadata | null {
    if (epoch !== this.producerEpoch) return null;
    return this.batches.find((b) => b.firstSeq === firstSeq && b.lastSeq === lastSeq) ?? null;
  }
}
