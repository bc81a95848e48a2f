/**
 * Regressions found by running librdkafka's own integration tests against Gregor
 * (tools/run-librdkafka-tests.sh, docs/COMPATIBILITY.md), each reproduced here through
 * real clients so `npm test` keeps them fixed without the librdkafka source tree:
 *
 * - 0053_stats: records produced without a timestamp (-1) come in batches whose header
 *   maxTimestamp librdkafka writes as 0; Gregor stored that 0, and the next retention pass
 *   deleted the fresh records as 7 days old. Kafka's LogValidator rewrites the header to the
 *   records' largest timestamp (-1 here), so retention falls back to the file time.
 * - 0081_admin: AlterConfigs on a BROKER resource with sasl.kerberos.min.time.before.relogin
 *   (a listener config Kafka changes at run time) was refused: Gregor did not know the SASL
 *   keys at all.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin, Consumer } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat, runPython } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const FETCH_MAX_BYTES = 1024 * 1024;

let broker: RunningBroker;
let admin: Admin;
let consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;

before(async () => {
  broker = await startCompatBroker();
  const base = { clientId: 'compat-librdkafka-suite', bootstrapBrokers: [broker.bootstrap], retries: 2 };
  admin = new Admin(base);
  consumer = new Consumer({ ...base, groupId: 'compat-librdkafka-suite-unused', maxWaitTime: 200 });
});

after(async () => {
  await Promise.all([admin?.close(), consumer?.close()]);
  await broker?.stop();
});

/** The stored batches of partition 0 from offset 0, as @platformatic/kafka decodes them. */
async function storedBatches(topic: string): Promise<{ maxTimestamp: bigint; timestamps: bigint[] }[]> {
  const md = await consumer.metadata({ topics: [topic], forceUpdate: true });
  const t = md.topics.get(topic);
  assert.ok(t !== undefined);
  const res = await consumer.fetch({
    node: t.partitions[0].leader,
    maxBytes: FETCH_MAX_BYTES,
    topics: [{ topicId: t.id, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: FETCH_MAX_BYTES, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }] }],
  });
  const p = res.responses[0]?.partitions[0];
  assert.equal(p?.errorCode, 0);
  return (p.records ?? []).map((b) => ({ maxTimestamp: b.maxTimestamp, timestamps: b.records.map((r) => b.firstTimestamp + r.timestampDelta) }));
}

test('0053: records produced without a timestamp are stored with maxTimestamp -1, not librdkafka\'s 0', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'librdkafka-unstamped';
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  const count = 10;
  assert.deepEqual(await runPython('produce_unstamped.py', [broker.bootstrap, topic, String(count)]), { delivered: count });

  const batches = await storedBatches(topic);
  assert.equal(batches.flatMap((b) => b.timestamps).length, count);
  for (const b of batches) {
    assert.deepEqual(new Set(b.timestamps), new Set([-1n]));
    assert.equal(b.maxTimestamp, -1n);
  }
  const read = (await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%o %T\n'])).toString('utf8');
  assert.deepEqual(read.trim().split('\n'), Array.from({ length: count }, (_, i) => `${i} -1`));
});

test('0081: a broker\'s SASL listener config is altered dynamically and described back', { timeout: TEST_TIMEOUT_MS }, async () => {
  assert.deepEqual(await runPython('broker_sasl_config.py', [broker.bootstrap, String(broker.config.nodeId)]), { value: '58000' });
});
