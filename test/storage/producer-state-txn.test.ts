/**
 * The transaction part of producer state (what the transaction coordinator builds on):
 * transactional batches open a transaction per producer (its first offset bounds the
 * LSO), markers end it, stale coordinator epochs are fenced, and open transactions
 * survive a clean close (snapshot) and a kill (replay).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { CONTROL_TYPE_ABORT, CONTROL_TYPE_COMMIT } from '../../src/storage/producer-state/end-txn-marker.ts';
import { ProducerStateError } from '../../src/storage/producer-state/producer-state-error.ts';
import { openLog, tempDir } from './helpers.ts';

function data(pid: number, seq: number, isTransactional = true): Promise<Buffer> {
  return buildRecordBatch({ records: [{ value: `p${pid}-${seq}` }, { value: 'x' }], producerId: pid, producerEpoch: 0, baseSequence: seq, isTransactional, now: 1_700_000_000_000 });
}

function marker(pid: number, type: number, coordinatorEpoch: number): Promise<Buffer> {
  const key = Buffer.alloc(4);
  key.writeInt16BE(type, 2);
  const value = Buffer.alloc(6);
  value.writeInt32BE(coordinatorEpoch, 2);
  return buildRecordBatch({ records: [{ key, value }], producerId: pid, producerEpoch: 0, baseSequence: -1, isTransactional: true, isControl: true, now: 1_700_000_000_000 });
}

async function append(log: PartitionLog, batch: Buffer, origin: 'client' | 'coordinator' = 'client') {
  return log.append(batch, { leaderEpoch: 0, assignOffsets: true, origin });
}

async function refusal(log: PartitionLog, batch: Buffer, origin: 'client' | 'coordinator' = 'client'): Promise<number> {
  const err = await append(log, batch, origin).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ProducerStateError, `expected a ProducerStateError, got ${String(err)}`);
  return err.code;
}

test('transactional batches open a transaction; markers end it; the oldest open one is the first unstable offset', async () => {
  const log = await openLog({ dir: await tempDir() });
  await append(log, await data(1, 0));
  await append(log, await data(2, 0));
  await append(log, await data(1, 2));
  const state = log.producerState;
  assert.deepEqual([...state.ongoingTxns()], [[1, 0], [2, 2]]);
  assert.equal(state.firstUnstableOffset(), 0);
  assert.equal(await refusal(log, await data(1, 4, false)), ErrorCode.INVALID_TXN_STATE);
  await append(log, await marker(1, CONTROL_TYPE_COMMIT, 5), 'coordinator');
  assert.equal(state.firstUnstableOffset(), 2);
  assert.deepEqual([state.lastEntry(1)?.currentTxnFirstOffset, state.lastEntry(1)?.coordinatorEpoch], [-1, 5]);
  assert.equal(await refusal(log, await marker(1, CONTROL_TYPE_ABORT, 4), 'coordinator'), ErrorCode.TRANSACTION_COORDINATOR_FENCED);
  await append(log, await marker(2, CONTROL_TYPE_ABORT, 5), 'coordinator');
  assert.equal(state.firstUnstableOffset(), null);
  await log.close();
});

test('open transactions come back after a clean close (snapshot) and after a kill (replay)', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await append(log, await data(1, 0));
  await append(log, await data(2, 0));
  await append(log, await marker(1, CONTROL_TYPE_COMMIT, 1), 'coordinator');
  await log.close();
  const reopened = await openLog({ dir });
  assert.deepEqual([...reopened.producerState.ongoingTxns()], [[2, 2]]);
  await append(reopened, await data(3, 0));
  await reopened.flush();
  const recovered = await openLog({ dir, needsRecovery: true });
  assert.deepEqual(new Map(recovered.producerState.ongoingTxns()), new Map([[2, 2], [3, 5]]));
  assert.equal(recovered.producerState.firstUnstableOffset(), 2);
  await recovered.close();
  await reopened.close().catch(() => {});
});
