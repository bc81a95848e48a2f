/**
 * Rebuilding a partition's producer state from its log (Kafka's
 * UnifiedLog.rebuildProducerState): load the latest snapshot at or below the log end,
 * then replay every batch from the snapshot's offset to the log end (only batch headers,
 * plus the marker record of control batches), as a follower would apply them.
 *
 * Runs at log open (start-up, after recovery) and after a truncation; it reads segments
 * with large sequential reads (LogSegment.scanFrom).
 *
 * Shortcut: a log that shut down cleanly with no snapshot at all has no producer state:
 * every clean close writes a snapshot at the log end, so no snapshot means the log was
 * written before producer state existed (when producer-id batches were refused).
 *
 * Aborted transactions the replay completes are reported (`onAbortedTxn`) so the
 * transaction index can re-add entries a crash lost.
 */
import { RecordBatchView } from '../../protocol/records/batch.ts';
import type { LogSegment } from '../log-segment.ts';
import type { StorageLogger } from '../logger.ts';
import type { AbortedTxnEntry } from '../txn-index.ts';
import { abortedEntries, analyzeProducerBatches, applyProducerAnalysis } from './producer-batches.ts';
import type { ProducerStateManager } from './producer-state-manager.ts';
import { ProducerStateError } from './producer-state-error.ts';

export interface RebuildOptions {
  readonly segments: readonly LogSegment[];
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly nowMs: number;
  /** The log shut down cleanly (no recovery ran). */
  readonly cleanShutdown: boolean;
  readonly logger: StorageLogger;
  /** Each aborted transaction the replay completes (the transaction index re-adds lost entries). */
  readonly onAbortedTxn?: (entry: AbortedTxnEntry) => Promise<void>;
}

export async function rebuildProducerState(manager: ProducerStateManager, opts: RebuildOptions): Promise<void> {
  const { logStartOffset, logEndOffset } = opts;
  const noSnapshots = manager.snapshotOffsets.length === 0;
  await manager.truncateAndReload(logStartOffset, logEndOffset, opts.nowMs);
  if (opts.cleanShutdown && noSnapshots) {
    manager.updateMapEndOffset(logEndOffset);
    return;
  }
  const from = manager.mapEndOffset;
  const aborted: AbortedTxnEntry[] = [];
  if (from < logEndOffset) {
    for (const [i, segment] of opts.segments.entries()) {
      if ((opts.segments[i + 1]?.baseOffset ?? logEndOffset) <= from) continue;
      await segment.scanFrom(Math.max(from, segment.baseOffset), (header, bytes) => {
        if (header.lastOffset < from || bytes === null) return;
        replayBatch(manager, bytes, opts.logger, aborted);
      });
    }
  }
  manager.updateMapEndOffset(logEndOffset);
  for (const entry of aborted) await opts.onAbortedTxn?.(entry);
  if (from < logEndOffset) await manager.takeSnapshot();
}

function replayBatch(manager: ProducerStateManager, bytes: Buffer, logger: StorageLogger, aborted: AbortedTxnEntry[]): void {
  const view = new RecordBatchView(bytes);
  if (view.producerId < 0) return;
  try {
    const analysis = analyzeProducerBatches(manager, bytes, 'replication');
    if (analysis.kind !== 'append') return;
    applyProducerAnalysis(manager, analysis, view.lastOffset + 1);
    aborted.push(...abortedEntries(manager, analysis.completedTxns));
  } catch (err) {
    if (!(err instanceof ProducerStateError)) throw err;
    logger.warn({ dir: manager.dir, offset: view.baseOffset, err }, 'skipping batch inconsistent with producer state during rebuild');
  }
}
