/**
 * kafkajs 2.2.4 transactions (InitProducerId v1, AddPartitionsToTxn v1, AddOffsetsToTxn
 * v1, TxnOffsetCommit v1, EndTxn v1) against Gregor:
 *  - a committed transaction with sendOffsets: its records are read by a read_committed
 *    consumer and the group's offsets become visible; an aborted one: neither;
 *  - a second producer with the same transactionalId fences the first, whose next
 *    transaction fails.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { readCommittedValues } from './helpers/kafkajs-group-read.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const { Kafka, logLevel } = kafkajs;

let broker: RunningBroker;
let kafka: KafkaClient;
let admin: Admin;

before(async () => {
  broker = await startCompatBroker({
    'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': '3',
  });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-txn', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 50 } });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'kjs-txn', numPartitions: 2 }, { topic: 'kjs-src', numPartitions: 1 }], waitForLeaders: true });
});

after(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

function readCommitted(topic: string, expected: number): Promise<string[]> {
  return readCommittedValues(kafka, `reader-${topic}-${Date.now()}`, topic, expected);
}

test('commit with sendOffsets is visible; abort is not', { timeout: TEST_TIMEOUT_MS }, async () => {
  const producer = kafka.producer({ transactionalId: 'kjs-app', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  const committed = await producer.transaction();
  await committed.send({ topic: 'kjs-txn', messages: [{ value: 'c1', partition: 0 }, { value: 'c2', partition: 1 }] });
  await committed.sendOffsets({ consumerGroupId: 'kjs-group', topics: [{ topic: 'kjs-src', partitions: [{ partition: 0, offset: '5' }] }] });
  await committed.commit();
  const aborted = await producer.transaction();
  await aborted.send({ topic: 'kjs-txn', messages: [{ value: 'a1', partition: 0 }] });
  await aborted.sendOffsets({ consumerGroupId: 'kjs-group', topics: [{ topic: 'kjs-src', partitions: [{ partition: 0, offset: '9' }] }] });
  await aborted.abort();
  const last = await producer.transaction();
  await last.send({ topic: 'kjs-txn', messages: [{ value: 'c3', partition: 0 }] });
  await last.commit();
  await producer.disconnect();
  assert.deepEqual((await readCommitted('kjs-txn', 3)).sort(), ['c1', 'c2', 'c3']);
  const offsets = await admin.fetchOffsets({ groupId: 'kjs-group', topics: ['kjs-src'] });
  assert.equal(offsets[0].partitions[0].offset, '5');
});

test('a second producer with the same transactionalId fences the first', { timeout: TEST_TIMEOUT_MS }, async () => {
  const first = kafka.producer({ transactionalId: 'kjs-fenced', maxInFlightRequests: 1, idempotent: true, retry: { retries: 1, initialRetryTime: 50 } });
  await first.connect();
  const open = await first.transaction();
  await open.send({ topic: 'kjs-txn', messages: [{ value: 'zombie', partition: 1 }] });
  const second = kafka.producer({ transactionalId: 'kjs-fenced', maxInFlightRequests: 1, idempotent: true });
  await second.connect();
  // kafkajs initialises the transactional id on its first transaction: that fences `first`.
  const txn = await second.transaction();
  await assert.rejects(open.commit(), (err: Error & { type?: string }) => ['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH'].includes(err.type ?? ''));
  await txn.send({ topic: 'kjs-txn', messages: [{ value: 'winner', partition: 1 }] });
  await txn.commit();
  await Promise.all([first.disconnect(), second.disconnect()]);
  const values = await readCommitted('kjs-txn', 4);
  assert.ok(values.includes('winner'));
  assert.ok(!values.includes('zombie'));
});
