/**
 * What the cleaner must know about transactions (Kafka's CleanedTransactionMetadata, with
 * the outcomes read from the log's end-transaction markers instead of a transaction index):
 *
 * - data of an aborted transaction is never mapped and is removed by the pass;
 * - a marker stays while any data of its transaction is left before it; once none is, it
 *   gets a delete horizon (delete.retention.ms) and goes at the first pass after that.
 *
 * Only what lies below the first unstable offset is cleaned, so every transaction data
 * batch in the cleaned range has its marker in that range too.
 */
import { RecordBatchView } from '../../protocol/records/batch.ts';
import { readEndTxnMarker } from '../producer-state/end-txn-marker.ts';
import type { LogSegment } from '../log-segment.ts';
import { readSegmentBatches } from './segment-batches.ts';

interface Marker {
  readonly offset: number;
  readonly isAbort: boolean;
}

export class TransactionOutcomes {
  /** Per producer id, its markers in offset order. */
  #markers = new Map<number, Marker[]>();
  /** Producers with data kept by the running pass since their last marker. */
  #keptData = new Set<number>();

  /** Reads every end-transaction marker below `end`. */
  static async scan(segments: readonly LogSegment[], end: number, windowBytes: number): Promise<TransactionOutcomes> {
    const outcomes = new TransactionOutcomes();
    for (const segment of segments) {
      if (segment.baseOffset >= end) break;
      for await (const { header, bytes } of readSegmentBatches(segment.paths.log, windowBytes)) {
        if (header.baseOffset >= end) break;
        const view = new RecordBatchView(bytes);
        const marker = view.isControl ? readEndTxnMarker(view) : null;
        if (marker === null) continue;
        const list = outcomes.#markers.get(view.producerId) ?? [];
        list.push({ offset: view.baseOffset, isAbort: marker.isAbort });
        outcomes.#markers.set(view.producerId, list);
      }
    }
    return outcomes;
  }

  /** True for transactional data at `offset` whose transaction ended in an abort. */
  isAborted(producerId: number, offset: number): boolean {
    const list = this.#markers.get(producerId);
    if (list === undefined) return false;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid].offset > offset) hi = mid;
      else lo = mid + 1;
    }
    return lo < list.length && list[lo].isAbort;
  }

  /** The pass keeps data of `producerId`'s current transaction. */
  noteKeptData(producerId: number): void {
    this.#keptData.add(producerId);
  }

  /** At `producerId`'s marker: whether the pass kept data of the transaction it ends (then forgets it). */
  endTransaction(producerId: number): boolean {
    return this.#keptData.delete(producerId);
  }
}
