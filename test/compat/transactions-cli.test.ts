/**
 * `gregor transactions list|describe` against a broker where kafkajs left one
 * transaction open and committed another.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { runCli } from '../cli/run-cli.ts';
import { startCompatBroker } from './helpers/broker.ts';

const TEST_TIMEOUT_MS = 60_000;
const { Kafka, logLevel } = kafkajs;

let broker: RunningBroker;
const producers: Producer[] = [];

before(async () => {
  broker = await startCompatBroker({ 'transaction.state.log.num.partitions': '2' });
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-txn-cli', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'cli-txn', numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
  for (const id of ['cli-open', 'cli-done']) {
    const producer = kafka.producer({ transactionalId: id, maxInFlightRequests: 1, idempotent: true });
    await producer.connect();
    producers.push(producer);
    const txn = await producer.transaction();
    await txn.send({ topic: 'cli-txn', messages: [{ partition: 1, value: id }] });
    if (id === 'cli-done') await txn.commit();
  }
});

after(async () => {
  for (const p of producers) await p.disconnect().catch(() => {});
  await broker?.stop();
});

const cli = (...args: string[]) => runCli(['transactions', ...args, '--bootstrap-server', broker.bootstrap]);

test('list: every transactional id with its state', { timeout: TEST_TIMEOUT_MS }, async () => {
  const out = await cli('list');
  assert.equal(out.code, 0, out.stderr);
  const rows = out.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows[0], ['TransactionalId', 'Coordinator', 'ProducerId', 'TransactionState']);
  assert.deepEqual(rows.slice(1).map((r) => [r[0], r[3]]), [['cli-done', 'CompleteCommit'], ['cli-open', 'Ongoing']]);
});

test('describe: the open transaction\'s partitions; an unknown id fails', { timeout: TEST_TIMEOUT_MS }, async () => {
  const out = await cli('describe', 'cli-open');
  assert.equal(out.code, 0, out.stderr);
  const [header, row] = out.stdout.trim().split('\n').map((l) => l.trim().split(/\s+/));
  assert.equal(row[header.indexOf('TransactionState')], 'Ongoing');
  assert.equal(row[header.indexOf('TopicPartitions')], 'cli-txn-1');
  const missing = await cli('describe', 'nobody');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /TRANSACTIONAL_ID_NOT_FOUND|does not exist/);
});
