/**
 * The aborted-transaction index (.txnindex): aborts recorded with the LSO after them,
 * found by a read_committed range, kept across a clean reopen, rebuilt by the replay
 * when the file was lost in a crash, and cut by truncation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { CONTROL_TYPE_ABORT, CONTROL_TYPE_COMMIT } from '../../src/storage/producer-state/end-txn-marker.ts';
import { txnIndexPath } from '../../src/storage/txn-index.ts';
import { openLog, tempDir } from './helpers.ts';

function data(pid: number, seq: number): Promise<Buffer> {
  return buildRecordBatch({ records: [{ value: `p${pid}-${seq}` }, { value: 'x' }], producerId: pid, producerEpoch: 0, baseSequence: seq, isTransactional: true, now: 1_700_000_000_000 });
}

function marker(pid: number, type: number): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  const value = Buffer.alloc(6);
  return buildRecordBatch({ records: [{ key, value }], producerId: pid, producerEpoch: 0, baseSequence: -1, isTransactional: true, isControl: true, now: 1_700_000_000_000 });
}

async function append(log: PartitionLog, batch: Buffer, origin: 'client' | 'coordinator' = 'client') {
  return log.append(batch, { leaderEpoch: 0, assignOffsets: true, origin });
}

/** pid 1 data [0,1], pid 2 data [2,3], pid 1 abort at 4, pid 2 commit at 5, pid 3 data [6,7], abort at 8. */
async function writeTxns(log: PartitionLog): Promise<void> {
  await append(log, await data(1, 0));
  await append(log, await data(2, 0));
  await append(log, await marker(1, CONTROL_TYPE_ABORT), 'coordinator');
  await append(log, await marker(2, CONTROL_TYPE_COMMIT), 'coordinator');
  await append(log, await data(3, 0));
  await append(log, await marker(3, CONTROL_TYPE_ABORT), 'coordinator');
}

test('aborts are indexed with the LSO after them and found by range', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await writeTxns(log);
  assert.deepEqual(log.abortedTransactions(0, 9), [
    { producerId: 1, firstOffset: 0, lastOffset: 4, lastStableOffset: 2 },
    { producerId: 3, firstOffset: 6, lastOffset: 8, lastStableOffset: 9 },
  ]);
  assert.deepEqual(log.abortedTransactions(5, 6), [], 'no abort overlaps [5, 6)');
  assert.deepEqual(log.abortedTransactions(7, 9).map((e) => e.producerId), [3]);
  await log.close();
  const reopened = await openLog({ dir });
  assert.deepEqual(reopened.abortedTransactions(0, 9).map((e) => e.producerId), [1, 3]);
  await reopened.close();
});

test('a lost .txnindex is rebuilt by the replay after a crash; truncation drops later aborts', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await writeTxns(log);
  await log.flush();
  await fs.rm(txnIndexPath(path.join(dir, 'topic-0'), 0));
  for (const f of await fs.readdir(path.join(dir, 'topic-0'))) if (f.endsWith('.snapshot')) await fs.rm(path.join(dir, 'topic-0', f));
  const recovered = await openLog({ dir, needsRecovery: true });
  assert.deepEqual(recovered.abortedTransactions(0, 9).map((e) => [e.producerId, e.lastOffset]), [[1, 4], [3, 8]]);
  await recovered.truncateTo(6);
  assert.deepEqual(recovered.abortedTransactions(0, 9).map((e) => e.producerId), [1]);
  await recovered.close();
  await log.close().catch(() => {});
});
