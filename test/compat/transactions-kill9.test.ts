/**
 * kill -9 of a Gregor broker (child process) around a transaction's end, kafkajs as the
 * transactional producer, restart on the same log dir:
 *  - killed right after EndTxn(commit) answered, while markers are being written to 24
 *    partitions: the restarted coordinator finds PrepareCommit in __transaction_state
 *    and finishes it, so a read_committed consumer sees the records of every partition;
 *  - killed with a transaction open: after the restart the coordinator aborts it when
 *    its transaction.timeout.ms passes; read_committed readers never see it and are not
 *    held back by it (a later committed transaction is readable).
 * Either way the transaction ends committed or aborted on every partition, never half.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient } from 'kafkajs';
import { SubprocessBroker } from './helpers/subprocess-broker.ts';
import { readCommittedValues } from './helpers/kafkajs-group-read.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 90_000;
const PARTITIONS = 24;
const { Kafka, logLevel } = kafkajs;

let broker: SubprocessBroker;
let kafka: KafkaClient;

before(async () => {
  broker = await SubprocessBroker.start({
    'num.partitions': String(PARTITIONS),
    'offsets.topic.num.partitions': '2',
    'transaction.state.log.num.partitions': '2',
    'group.initial.rebalance.delay.ms': '0',
    'transaction.abort.timed.out.transaction.cleanup.interval.ms': '200',
  });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-txn-kill9', logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'k9-commit', numPartitions: PARTITIONS }, { topic: 'k9-open', numPartitions: 2 }], waitForLeaders: true });
  await admin.disconnect();
});

after(async () => {
  await broker?.destroy();
});

function readCommitted(topic: string, expected: number): Promise<string[]> {
  return readCommittedValues(kafka, `k9-reader-${topic}`, topic, expected);
}

test('kill -9 in the middle of a commit: committed on every partition after the restart', { timeout: TEST_TIMEOUT_MS }, async () => {
  const producer = kafka.producer({ transactionalId: 'k9-committer', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  const txn = await producer.transaction();
  await txn.send({ topic: 'k9-commit', messages: Array.from({ length: PARTITIONS }, (_, p) => ({ partition: p, value: `c-${p}` })) });
  await txn.commit();
  await broker.kill9();
  await producer.disconnect().catch(() => {});
  await broker.restart();
  const values = await readCommitted('k9-commit', PARTITIONS);
  assert.deepEqual(values.sort(), Array.from({ length: PARTITIONS }, (_, p) => `c-${p}`).sort());
});

test('kill -9 with a transaction open: aborted after its timeout, never read, LSO not stuck', { timeout: TEST_TIMEOUT_MS }, async () => {
  const zombie = kafka.producer({ transactionalId: 'k9-open', maxInFlightRequests: 1, idempotent: true, transactionTimeout: 2_000 });
  await zombie.connect();
  const open = await zombie.transaction();
  await open.send({ topic: 'k9-open', messages: [{ partition: 0, value: 'open-0' }, { partition: 1, value: 'open-1' }] });
  await broker.kill9();
  await zombie.disconnect().catch(() => {});
  await broker.restart();
  const producer = kafka.producer({ transactionalId: 'k9-later', maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  const later = await producer.transaction();
  await later.send({ topic: 'k9-open', messages: [{ partition: 0, value: 'later-0' }, { partition: 1, value: 'later-1' }] });
  await later.commit();
  await producer.disconnect();
  const values = await readCommitted('k9-open', 2);
  assert.deepEqual(values.sort(), ['later-0', 'later-1']);
});
