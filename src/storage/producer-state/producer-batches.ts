/**
 * What an append means for producer state (the producer part of Kafka's
 * UnifiedLog.analyzeAndValidateProducerState): walks the batches that carry a producer
 * id and either finds that a client append is a retry of a batch already in the log
 * (same producer, epoch and sequence range among the producer's last 5 batches: answer
 * with the original offsets, append nothing), or runs every check and collects the
 * per-producer updates and the transactions that markers complete. Nothing changes until
 * applyProducerAnalysis, which the log calls after the bytes are written. Throws
 * ProducerStateError when a check fails.
 *
 * As in Kafka the batches already carry their final offsets (and, for LogAppendTime
 * topics, the broker's timestamp) when this runs: the leader assigns them first.
 */
import { RecordBatchView } from '../../protocol/records/batch.ts';
import { batchHeadersOf } from '../batch-header.ts';
import type { AbortedTxnEntry } from '../txn-index.ts';
import { readEndTxnMarker } from './end-txn-marker.ts';
import type { AppendOrigin, CompletedTxn, ProducerAppendInfo } from './producer-append-info.ts';
import type { BatchMetadata } from './producer-state-entry.ts';
import type { ProducerStateManager } from './producer-state-manager.ts';
import { incrementSequence } from './sequence.ts';

export type ProducerAnalysis =
  | { readonly kind: 'duplicate'; readonly batch: BatchMetadata }
  | { readonly kind: 'append'; readonly updates: readonly ProducerAppendInfo[]; readonly completedTxns: readonly CompletedTxn[] };

export function analyzeProducerBatches(
  manager: ProducerStateManager, records: Buffer, origin: AppendOrigin,
): ProducerAnalysis {
  const updates = new Map<number, ProducerAppendInfo>();
  const completedTxns: CompletedTxn[] = [];
  for (const header of batchHeadersOf(records)) {
    const view = new RecordBatchView(records.subarray(header.position, header.position + header.sizeInBytes));
    if (view.producerId < 0) continue;
    const firstOffset = view.baseOffset;
    const lastOffset = view.lastOffset;
    const firstSeq = view.baseSequence;
    const lastSeq = incrementSequence(firstSeq, view.lastOffsetDelta);
    if (origin === 'client') {
      const duplicate = manager.lastEntry(view.producerId)?.findDuplicateBatch(view.producerEpoch, firstSeq, lastSeq) ?? null;
      if (duplicate !== null) return { kind: 'duplicate', batch: duplicate };
    }
    let info = updates.get(view.producerId);
    if (info === undefined) {
      info = manager.prepareUpdate(view.producerId, origin);
      updates.set(view.producerId, info);
    }
    if (view.isControl) {
      const marker = readEndTxnMarker(view);
      const completed = marker === null ? null : info.appendEndTxnMarker(marker, view.producerEpoch, firstOffset, view.maxTimestamp);
      if (completed !== null) completedTxns.push(completed);
    } else {
      info.appendDataBatch({
        producerEpoch: view.producerEpoch, firstSeq, lastSeq, firstOffset, lastOffset,
        maxTimestamp: view.maxTimestamp, isTransactional: view.isTransactional,
      });
    }
  }
  return { kind: 'append', updates: [...updates.values()], completedTxns };
}

/** Installs an append's producer updates and ends the transactions its markers closed. */
export function applyProducerAnalysis(manager: ProducerStateManager, analysis: ProducerAnalysis & { kind: 'append' }, mapEndOffset: number): void {
  for (const info of analysis.updates) manager.update(info);
  for (const txn of analysis.completedTxns) manager.completeTxn(txn);
  manager.updateMapEndOffset(mapEndOffset);
}

/**
 * Transaction index entries for the aborts among `completed`, once applied: the LSO
 * after each is the first offset of the oldest transaction still open, else the offset
 * after its marker (Kafka's ProducerStateManager.lastStableOffset).
 */
export function abortedEntries(manager: ProducerStateManager, completed: readonly CompletedTxn[]): AbortedTxnEntry[] {
  return completed.filter((t) => t.isAborted).map((t) => ({
    producerId: t.producerId, firstOffset: t.firstOffset, lastOffset: t.lastOffset,
    lastStableOffset: manager.firstUnstableOffset() ?? t.lastOffset + 1,
  }));
}
