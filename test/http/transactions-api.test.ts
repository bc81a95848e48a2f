/**
 * /api/transactions and /api/producers against a kafkajs transactional producer: the open
 * transaction with its partitions and start time, its producer on each partition with the
 * transaction's first offset; after the commit the id is CompleteCommit with no partitions
 * and the producers have no open transaction. An unknown id is a 404.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { ProducersResponse, TransactionSummary, TransactionsResponse } from '../../src/http/api/types.ts';
import { withTestBroker } from '../helpers/broker.ts';

it('shows an open transaction, its producers, and the committed state', () => withTestBroker({
  'http.listener': '127.0.0.1:0', 'transaction.state.log.num.partitions': '1', 'transaction.state.log.replication.factor': '1',
}, async (broker) => {
  const get = async <T>(path: string): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${broker.httpUrl}${path}`);
    return { status: res.status, json: (await res.json()) as T };
  };
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'payments', numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer({ transactionalId: 'payments-tx', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  try {
    const txn = await producer.transaction();
    await txn.send({ topic: 'payments', messages: [{ value: 'a', partition: 0 }, { value: 'b', partition: 1 }] });

    const open = await get<TransactionsResponse>('/api/transactions');
    assert.equal(open.status, 200);
    assert.equal(open.json.transactions.length, 1);
    const t = open.json.transactions[0];
    assert.equal(t.transactionalId, 'payments-tx');
    assert.equal(t.state, 'Ongoing');
    assert.ok(t.producerId >= 0 && t.producerEpoch >= 0);
    assert.ok(t.startedAtMs !== null && t.startedAtMs <= open.json.now);
    assert.deepEqual(t.partitions.map((p) => `${p.topic}-${p.partition}`).sort(), ['payments-0', 'payments-1']);
    const producers = await get<ProducersResponse>('/api/producers');
    const onPayments = producers.json.producers.filter((p) => p.topic === 'payments');
    assert.deepEqual(onPayments.map((p) => [p.partition, p.producerId, p.currentTxnStartOffset]), [[0, t.producerId, 0], [1, t.producerId, 0]]);
    assert.equal(producers.json.truncated, false);

    await txn.commit();
    // EndTxn answers once PrepareCommit is written; the markers and CompleteCommit follow.
    await broker.services.transactions.whenIdle();
    const done = await get<TransactionSummary>('/api/transactions/payments-tx');
    assert.equal(done.status, 200);
    assert.equal(done.json.state, 'CompleteCommit');
    assert.deepEqual(done.json.partitions, []);
    assert.equal(done.json.startedAtMs, null);
    const after = await get<ProducersResponse>('/api/producers');
    assert.ok(after.json.producers.filter((p) => p.topic === 'payments').every((p) => p.currentTxnStartOffset === null));
  } finally {
    await producer.disconnect();
  }
  const missing = await get<{ error: string }>('/api/transactions/nobody');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error, 'NOT_FOUND');
}));
