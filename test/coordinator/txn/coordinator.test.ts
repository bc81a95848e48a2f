/**
 * Transaction coordinator state machine on a real log (ManualScheduler for time):
 * InitProducerId epochs, AddPartitions + verification of transactional appends, EndTxn
 * with markers on every partition, fencing of a previous instance, timeouts aborting
 * with an epoch bump, and state replayed after a reload.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { frameAt } from '../../../src/protocol/records/framing.ts';
import { readEndTxnMarker } from '../../../src/storage/producer-state/end-txn-marker.ts';
import { canTransition, TxnState } from '../../../src/coordinator/txn/txn-state.ts';
import { txnFixture, type TxnFixture } from './helpers.ts';

const TIMEOUT = 60_000;

async function lastBatch(fx: TxnFixture, partition: number): Promise<RecordBatchView> {
  const p = fx.f.replicas.getPartition('t', partition)!;
  const read = await p.read({ fetchOffset: p.logStartOffset, maxBytes: 1 << 20, minOneBatch: true, isolation: 'replica' });
  let last: RecordBatchView | null = null;
  for (let pos = 0; pos < read.records.length;) {
    const frame = frameAt(read.records, pos);
    if (frame.kind !== 'entry') break;
    last = new RecordBatchView(read.records.subarray(frame.start, frame.end));
    pos = frame.end;
  }
  assert.ok(last !== null, 'partition has batches');
  return last;
}

test('transition table: only Kafka\'s transitions are allowed', () => {
  assert.ok(canTransition(TxnState.ONGOING, TxnState.PREPARE_COMMIT));
  assert.ok(canTransition(TxnState.PREPARE_EPOCH_FENCE, TxnState.PREPARE_ABORT));
  assert.ok(!canTransition(TxnState.EMPTY, TxnState.PREPARE_COMMIT));
  assert.ok(!canTransition(TxnState.PREPARE_COMMIT, TxnState.COMPLETE_ABORT));
  assert.ok(!canTransition(TxnState.ONGOING, TxnState.EMPTY));
});

test('InitProducerId: same producer id, epoch bumped; bad timeouts refused', async () => {
  const fx = await txnFixture();
  try {
    const first = await fx.txns.initProducerId('app', TIMEOUT, null);
    assert.equal(first.errorCode, ErrorCode.NONE);
    assert.equal(first.producerEpoch, 0);
    const second = await fx.txns.initProducerId('app', TIMEOUT, null);
    assert.deepEqual([second.producerId, second.producerEpoch], [first.producerId, 1]);
    assert.equal((await fx.txns.initProducerId('app', 900_001, null)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    assert.equal((await fx.txns.initProducerId('app', 0, null)).errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    assert.equal((await fx.txns.initProducerId('app', TIMEOUT, { producerId: first.producerId, producerEpoch: 7 })).errorCode, ErrorCode.PRODUCER_FENCED);
  } finally {
    await fx.close();
  }
});

test('commit: only added partitions take transactional data; markers land on each, then CompleteCommit', async () => {
  const fx = await txnFixture();
  try {
    const { producerId: pid, producerEpoch: epoch } = await fx.txns.initProducerId('app', TIMEOUT, null);
    assert.equal((await fx.produce(0, pid, epoch, 0)).ok, false, 'not added yet');
    assert.equal(await fx.txns.addPartitions('app', pid, epoch, ['t:0', 't:1']), ErrorCode.NONE);
    assert.equal(fx.txns.describe('app').txn?.state, TxnState.ONGOING);
    assert.ok((await fx.produce(0, pid, epoch, 0)).ok);
    assert.ok((await fx.produce(1, pid, epoch, 0)).ok);
    const refused = await fx.produce(2, pid, epoch, 0);
    assert.equal(refused.ok ? ErrorCode.NONE : refused.failure.error, ErrorCode.INVALID_TXN_STATE);
    assert.equal(fx.f.replicas.getPartition('t', 0)!.lastStableOffset, 0, 'open transaction holds the LSO');
    assert.equal(await fx.txns.endTxn('app', pid, epoch, true), ErrorCode.NONE);
    await fx.settle();
    for (const p of [0, 1]) {
      const marker = await lastBatch(fx, p);
      assert.ok(marker.isControl);
      assert.equal(readEndTxnMarker(marker)?.isAbort, false);
    }
    assert.equal(fx.f.replicas.getPartition('t', 0)!.lastStableOffset, 2);
    assert.equal(fx.txns.describe('app').txn?.state, TxnState.COMPLETE_COMMIT);
    assert.equal(await fx.txns.endTxn('app', pid, epoch, true), ErrorCode.NONE, 'a retried commit');
    assert.equal(await fx.txns.endTxn('app', pid, epoch, false), ErrorCode.INVALID_TXN_STATE);
    assert.equal(await fx.txns.endTxn('app', pid + 1, epoch, false), ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  } finally {
    await fx.close();
  }
});

test('a new instance fences the old one: its transaction is aborted with a bumped epoch', async () => {
  const fx = await txnFixture();
  try {
    const old = await fx.txns.initProducerId('app', TIMEOUT, null);
    await fx.txns.addPartitions('app', old.producerId, old.producerEpoch, ['t:0']);
    assert.ok((await fx.produce(0, old.producerId, old.producerEpoch, 0)).ok);
    assert.equal((await fx.txns.initProducerId('app', TIMEOUT, null)).errorCode, ErrorCode.CONCURRENT_TRANSACTIONS);
    await fx.settle();
    const marker = await lastBatch(fx, 0);
    assert.equal(readEndTxnMarker(marker)?.isAbort, true);
    assert.equal(marker.producerEpoch, old.producerEpoch + 1);
    const fresh = await fx.txns.initProducerId('app', TIMEOUT, null);
    assert.deepEqual([fresh.errorCode, fresh.producerId, fresh.producerEpoch], [ErrorCode.NONE, old.producerId, old.producerEpoch + 2]);
    assert.equal(await fx.txns.endTxn('app', old.producerId, old.producerEpoch, true), ErrorCode.PRODUCER_FENCED);
    assert.equal(await fx.txns.addPartitions('app', old.producerId, old.producerEpoch, ['t:1']), ErrorCode.PRODUCER_FENCED);
    const late = await fx.produce(0, old.producerId, old.producerEpoch, 1);
    assert.equal(late.ok ? ErrorCode.NONE : late.failure.error, ErrorCode.INVALID_PRODUCER_EPOCH);
  } finally {
    await fx.close();
  }
});

test('transaction.timeout.ms: the coordinator aborts an expired transaction and bumps the epoch', async () => {
  const fx = await txnFixture();
  try {
    const { producerId: pid, producerEpoch: epoch } = await fx.txns.initProducerId('slow', 1_000, null);
    await fx.txns.addPartitions('slow', pid, epoch, ['t:2']);
    fx.scheduler.advance(500);
    await fx.settle();
    assert.equal(fx.txns.describe('slow').txn?.state, TxnState.ONGOING, 'not yet expired');
    fx.scheduler.advance(1_000);
    await fx.settle();
    const txn = fx.txns.describe('slow').txn!;
    assert.equal(txn.state, TxnState.COMPLETE_ABORT);
    assert.equal(txn.producerEpoch, epoch + 1);
    assert.equal(await fx.txns.endTxn('slow', pid, epoch, true), ErrorCode.PRODUCER_FENCED);
  } finally {
    await fx.close();
  }
});

test('state is replayed from __transaction_state after a reload', async () => {
  const fx = await txnFixture();
  try {
    const a = await fx.txns.initProducerId('a', TIMEOUT, null);
    await fx.txns.addPartitions('a', a.producerId, a.producerEpoch, ['t:0', 't:1']);
    const b = await fx.txns.initProducerId('b', TIMEOUT, null);
    await fx.txns.addPartitions('b', b.producerId, b.producerEpoch, ['t:2']);
    await fx.txns.endTxn('b', b.producerId, b.producerEpoch, false);
    await fx.settle();
    const txns = await fx.reload();
    const ra = txns.describe('a').txn!;
    assert.equal(ra.state, TxnState.ONGOING);
    assert.deepEqual(ra.partitions.map((p) => `${p.topic}:${p.partition}`).sort(), ['t:0', 't:1']);
    assert.equal(txns.describe('b').txn?.state, TxnState.COMPLETE_ABORT);
    assert.equal(txns.describe('nope').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const again = await txns.initProducerId('a', TIMEOUT, null);
    assert.equal(again.errorCode, ErrorCode.CONCURRENT_TRANSACTIONS, 'the reloaded ongoing transaction is aborted first');
  } finally {
    await fx.close();
  }
});

test('epoch exhaustion: the next InitProducerId gets a new producer id at epoch 0', async () => {
  const fx = await txnFixture();
  try {
    const first = await fx.txns.initProducerId('old', TIMEOUT, null);
    const found = fx.txns.runtime.shardFor('old');
    assert.ok(found.ok);
    found.shard.get('old')!.producerEpoch = 0x7fff - 1;
    const next = await fx.txns.initProducerId('old', TIMEOUT, null);
    assert.equal(next.errorCode, ErrorCode.NONE);
    assert.notEqual(next.producerId, first.producerId);
    assert.equal(next.producerEpoch, 0);
    const retried = await fx.txns.initProducerId('old', TIMEOUT, { producerId: next.producerId, producerEpoch: 0 });
    assert.deepEqual([retried.producerId, retried.producerEpoch], [next.producerId, 1]);
  } finally {
    await fx.close();
  }
});

test('transactional.id.expiration.ms: an idle id is tombstoned and forgotten, also after a reload', async () => {
  const fx = await txnFixture({ 'transactional.id.expiration.ms': '10000', 'transaction.remove.expired.transaction.cleanup.interval.ms': '1000' });
  try {
    await fx.txns.initProducerId('idle', TIMEOUT, null);
    const busy = await fx.txns.initProducerId('busy', TIMEOUT, null);
    await fx.txns.addPartitions('busy', busy.producerId, busy.producerEpoch, ['t:0']);
    fx.scheduler.advance(11_000);
    await fx.settle();
    assert.equal(fx.txns.describe('idle').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const txns = await fx.reload();
    assert.equal(txns.describe('idle').errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    assert.equal(txns.describe('busy').errorCode, ErrorCode.NONE);
  } finally {
    await fx.close();
  }
});

test('transaction.partition.verification.enable=false: transactional appends are not verified', async () => {
  const fx = await txnFixture({ 'transaction.partition.verification.enable': 'false' });
  try {
    const { producerId, producerEpoch } = await fx.txns.initProducerId('unverified', TIMEOUT, null);
    assert.ok((await fx.produce(2, producerId, producerEpoch, 0)).ok);
  } finally {
    await fx.close();
  }
});
