/**
 * What the cleaner keeps of one stored batch (Kafka's Cleaner record filter, KIP-534):
 *
 * - A record is kept when it is past the mapped (dirty) range, or when it is the
 *   latest for its key and either has a value or is a tombstone whose batch's delete
 *   horizon has not passed (a tombstone in a batch without a horizon is kept and its batch
 *   gets horizon = now + delete.retention.ms). Records without a key are dropped (compacted
 *   topics refuse them at produce).
 * - A batch keeping every record is copied byte for byte unless it needs a horizon; one
 *   keeping some is rebuilt (batch-records.ts); one keeping none disappears, except the
 *   last batch of a producer, which stays as an empty batch so its sequence survives.
 * - Data of an aborted transaction goes (transactions.ts). An end-transaction marker stays
 *   while data of its transaction is kept; after that it gets a delete horizon like a
 *   tombstone and goes once the horizon has passed. Other control batches stay as they are.
 */
import { RecordBatchView } from '../../protocol/records/batch.ts';
import { readEndTxnMarker } from '../producer-state/end-txn-marker.ts';
import { deleteHorizonOf, emptyBatch, rebuildBatch, storedRecords, type StoredRecord } from './batch-records.ts';
import type { OffsetMap } from './offset-map.ts';
import type { TransactionOutcomes } from './transactions.ts';
import { RECORDS_PER_CHECK, type YieldPoint } from './yield-point.ts';

export interface FilterContext {
  readonly map: OffsetMap;
  /** Offsets from here on were not mapped: records there are kept as they are. */
  readonly mappedEndOffset: number;
  /** Clock time of this cleaning run. */
  readonly now: number;
  readonly deleteRetentionMs: number;
  /** True when the batch ending at `lastOffset` is its producer's last in the log. */
  readonly isLastBatchOfProducer: (producerId: number, lastOffset: number) => boolean;
  readonly yieldPoint: YieldPoint;
  readonly transactions: TransactionOutcomes;
}

export interface FilteredBatch {
  /** Bytes to write, or null when the batch goes away. */
  readonly bytes: Buffer | null;
  readonly recordsRead: number;
  readonly recordsKept: number;
  /** Horizon of the tombstones kept in this batch, or null when it keeps none. */
  readonly pendingHorizonMs: number | null;
}

export async function filterBatch(batch: Buffer, ctx: FilterContext): Promise<FilteredBatch> {
  const view = new RecordBatchView(batch);
  if (view.isControl) return filterControlBatch(view, ctx);
  const aborted = view.isTransactional && ctx.transactions.isAborted(view.producerId, view.baseOffset);
  const horizon = deleteHorizonOf(view);
  const records = await storedRecords(view);
  const kept: StoredRecord[] = [];
  for (let i = 0; i < records.length && !aborted; i++) {
    if (shouldRetain(records[i], horizon, ctx)) kept.push(records[i]);
    if (i % RECORDS_PER_CHECK === RECORDS_PER_CHECK - 1) await ctx.yieldPoint.maybeYield();
  }
  if (view.isTransactional && kept.length > 0) ctx.transactions.noteKeptData(view.producerId);
  const keepsTombstone = kept.some((r) => !r.hasValue);
  const newHorizon = horizon ?? (keepsTombstone ? ctx.now + ctx.deleteRetentionMs : null);
  const result = (bytes: Buffer | null): FilteredBatch => ({
    bytes,
    recordsRead: records.length,
    recordsKept: kept.length,
    pendingHorizonMs: keepsTombstone ? newHorizon : null,
  });
  if (records.length > 0 && kept.length === records.length && newHorizon === horizon) return result(batch);
  if (kept.length > 0) return result(await rebuildBatch(view, kept, newHorizon));
  return result(removedBatch(view, ctx));
}

/** Nothing of the batch is kept: it goes, or stays empty as its producer's last batch. */
function removedBatch(view: RecordBatchView, ctx: FilterContext): Buffer | null {
  const keepEmpty = view.producerId >= 0 && ctx.isLastBatchOfProducer(view.producerId, view.lastOffset);
  return keepEmpty ? emptyBatch(view) : null;
}

async function filterControlBatch(view: RecordBatchView, ctx: FilterContext): Promise<FilteredBatch> {
  const count = view.recordCount;
  const kept = (bytes: Buffer | null, pendingHorizonMs: number | null): FilteredBatch => ({ bytes, recordsRead: count, recordsKept: bytes === null ? 0 : count, pendingHorizonMs });
  if (readEndTxnMarker(view) === null || ctx.transactions.endTransaction(view.producerId)) return kept(view.buffer, null);
  const horizon = deleteHorizonOf(view);
  if (horizon === null) {
    const newHorizon = ctx.now + ctx.deleteRetentionMs;
    return kept(await rebuildBatch(view, await storedRecords(view), newHorizon), newHorizon);
  }
  if (ctx.now < horizon) return kept(view.buffer, horizon);
  return { bytes: removedBatch(view, ctx), recordsRead: count, recordsKept: 0, pendingHorizonMs: null };
}

function shouldRetain(record: StoredRecord, horizon: number | null, ctx: FilterContext): boolean {
  if (record.offset >= ctx.mappedEndOffset) return true;
  if (record.key === null) return false;
  if (record.offset < ctx.map.get(record.key)) return false;
  return record.hasValue || horizon === null || ctx.now < horizon;
}
