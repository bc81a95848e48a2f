/**
 * confluent-kafka-python (librdkafka) transactions against a Gregor broker:
 * consume-transform-produce over 10,000 records, 200 per transaction, every 10th
 * transaction aborted; a read_committed consumer sees each committed record exactly once
 * and nothing aborted, a read_uncommitted one sees the aborted records too, and the
 * group's offsets (sent with send_offsets_to_transaction) reach the input's end. The
 * script (python/txn_ctp.py) checks the clients' side itself.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 120_000;
const RECORDS = 10_000;
const PER_TRANSACTION = 200;

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker({
    'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3', 'transaction.state.log.num.partitions': '3',
  });
});

after(async () => {
  await broker?.stop();
});

test('consume-transform-produce: committed records exactly once, aborted ones only for read_uncommitted', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('txn_ctp.py', [broker.bootstrap, String(RECORDS), String(PER_TRANSACTION)]);
  assert.equal(summary.committed_records, RECORDS);
  assert.ok((summary.aborted as number) >= 5, JSON.stringify(summary));
  assert.ok((summary.uncommitted_records as number) > RECORDS, JSON.stringify(summary));
});
