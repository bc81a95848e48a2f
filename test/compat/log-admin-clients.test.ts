/**
 * librdkafka clients against a partition whose log start was moved by DeleteRecords:
 * kcat 1.7.1 reading below the log start follows auto.offset.reset (earliest: the new log
 * start; latest: nothing old) and reads from the new start with -o beginning; then
 * confluent-kafka-python 1.7 (log_admin_configs.py) checks its consumer's reset, its
 * AdminClient alter_configs / describe_configs on topics and brokers.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import { deleteRecords } from '../../src/cli/client/config-admin.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat, runPython } from './helpers/processes.ts';

const TOPIC = 'librdkafka-log-admin';
const LOG_START = 6;

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker();
  await broker.services.metadata.createTopic({ name: TOPIC, numPartitions: 2, replicationFactor: 1, configs: {} });
  await broker.services.metadataApplied();
  const lines = Array.from({ length: 10 }, (_, i) => `v${i}`).join('\n');
  await kcat(['-P', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0'], { input: `${lines}\n` });
  const client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
  try {
    assert.equal(await deleteRecords(client, TOPIC, 0, LOG_START), LOG_START);
  } finally {
    await client.close();
  }
});

after(() => broker?.stop());

async function consume(...args: string[]): Promise<string[]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-e', '-f', '%o %s\\n', ...args]);
  return out.toString('utf8').split('\n').filter((l) => l !== '');
}

test('kcat below the log start: earliest resets to it, latest skips everything old, -o beginning starts there', async () => {
  assert.deepEqual(await consume('-o', '2', '-X', 'auto.offset.reset=earliest'), ['6 v6', '7 v7', '8 v8', '9 v9']);
  assert.deepEqual(await consume('-o', '2', '-X', 'auto.offset.reset=latest'), []);
  assert.deepEqual(await consume('-o', 'beginning'), ['6 v6', '7 v7', '8 v8', '9 v9']);
});

test('confluent-kafka-python: auto.offset.reset below the log start, alter_configs and describe_configs', async () => {
  const summary = await runPython('log_admin_configs.py', [broker.bootstrap, TOPIC, String(LOG_START)]);
  assert.deepEqual(summary, { ok: true });
});
