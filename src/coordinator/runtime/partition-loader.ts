/**
 * Loading a coordinator's state: every record of its internal-topic partition, from the
 * log start to the log end, handed to `visit` in offset order (Kafka's
 * CoordinatorLoaderImpl). Reads are `loadBufferBytes` at a time (offsets.load.buffer.size;
 * at least one whole batch), decompressing batches as needed. Reads run to the log end,
 * not the HW, as Kafka's loader does: a new leader's log holds what the previous leader
 * wrote, and its HW catches up right after.
 *
 * `shouldStop` is checked between reads so a load is abandoned when the partition is no
 * longer led by this broker.
 */
import { readRecords } from '../../protocol/records/record.ts';
import { RecordBatchView } from '../../protocol/records/batch.ts';
import { frameAt } from '../../protocol/records/framing.ts';
import type { Partition } from '../../replication/partition.ts';
import type { LoadedRecord } from './coordinator-record.ts';

export interface LoadOptions {
  readonly loadBufferBytes: number;
  readonly shouldStop: () => boolean;
}

export interface LoadSummary {
  readonly records: number;
  readonly endOffset: number;
  readonly stopped: boolean;
}

export async function loadPartition(partition: Partition, visit: (record: LoadedRecord) => void, opts: LoadOptions): Promise<LoadSummary> {
  let offset = partition.logStartOffset;
  let count = 0;
  while (offset < partition.logEndOffset) {
    if (opts.shouldStop()) return { records: count, endOffset: offset, stopped: true };
    const read = await partition.read({ fetchOffset: offset, maxBytes: opts.loadBufferBytes, minOneBatch: true, isolation: 'replica' });
    if (read.error !== 0) throw new Error(`reading ${partition.name} at offset ${offset} failed with error ${read.error}`);
    if (read.records.length === 0) break;
    const next = await visitBatches(read.records, offset, visit);
    count += next.records;
    if (next.offset <= offset) break;
    offset = next.offset;
  }
  return { records: count, endOffset: offset, stopped: false };
}

/** Visits the records at or after `from`; returns the offset after the last batch. */
async function visitBatches(buf: Buffer, from: number, visit: (record: LoadedRecord) => void): Promise<{ offset: number; records: number }> {
  let offset = from;
  let records = 0;
  for (let pos = 0; pos < buf.length;) {
    const frame = frameAt(buf, pos);
    if (frame.kind !== 'entry') break;
    const batch = new RecordBatchView(buf.subarray(frame.start, frame.end));
    pos = frame.end;
    for (const r of await readRecords(batch)) {
      if (r.offset < from) continue;
      visit({
        offset: r.offset, key: r.key ?? Buffer.alloc(0), value: r.value,
        producerId: batch.producerId, isTransactional: batch.isTransactional, isControl: batch.isControl,
      });
      records++;
    }
    offset = batch.lastOffset + 1;
  }
  return { offset, records };
}
