/**
 * Client quotas with librdkafka (confluent-kafka-python, python/quota_throttle.py): a
 * producer over producer_byte_rate and a consumer over consumer_byte_rate (1000 B/s each,
 * set through AlterClientQuotas) report through throttle_cb what the broker returned in
 * throttle_time_ms; it must match what the broker recorded
 * (kafka_server_{produce,fetch}_throttle_time), and both clients keep working.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';
import { oneRecordBatch, produceRequest, quotaMetric, setQuota } from '../server/quotas/helpers.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';

const RATE = 1000;
/** Over the 10 000 bytes a 1000 B/s quota allows in its first (padded) 10 s window. */
const BIG_VALUE_BYTES = 10_300;
/** Two batches that fit the consumer's fetch cap (10 000 bytes) one at a time, not together. */
const FETCH_VALUE_BYTES = [5000, 5500];

let broker: RunningBroker;
let admin: KafkaTestClient;

before(async () => {
  broker = await startCompatBroker({ 'group.initial.rebalance.delay.ms': '0' });
  admin = await KafkaTestClient.connect(broker.port);
});

after(async () => {
  admin?.close();
  await broker?.stop();
});

test('librdkafka producer and consumer over their quotas get throttle_cb with the broker\'s throttle times', async () => {
  for (const name of ['quota-rdk-produce', 'quota-rdk-fetch']) {
    await broker.services.metadata.createTopic({ name, numPartitions: 1, replicationFactor: 1, configs: {} });
  }
  await broker.services.metadataApplied();
  for (const bytes of FETCH_VALUE_BYTES) await admin.request(ApiKey.Produce, 9, produceRequest('quota-rdk-fetch', await oneRecordBatch(bytes)), 'seed');
  await setQuota(admin, { 'client-id': 'rdk-producer' }, 'producer_byte_rate', RATE);
  await setQuota(admin, { 'client-id': 'rdk-consumer' }, 'consumer_byte_rate', RATE);

  const result = await runPython('quota_throttle.py', [
    broker.bootstrap, 'quota-rdk-produce', 'quota-rdk-fetch', String(BIG_VALUE_BYTES), String(FETCH_VALUE_BYTES.length),
  ]);

  // librdkafka also reports the first unthrottled response after a throttle (as 0). The
  // small second message may be throttled too: Kafka's rate keeps the first burst for the
  // whole 10 s window (Rate.windowSize).
  const produced = (result.producer_throttles_ms as number[]).filter((ms) => ms > 0);
  assert.ok(produced.length > 0, `producer throttles: ${JSON.stringify(result.producer_throttles_ms)}`);
  assert.equal(await quotaMetric(broker, 'kafka_server_produce_throttle_time', 'rdk-producer'), mean(produced));

  assert.deepEqual(result.consumed_sizes, FETCH_VALUE_BYTES);
  const fetched = (result.consumer_throttles_ms as number[]).filter((ms) => ms > 0);
  assert.ok(fetched.length > 0, `consumer throttles: ${JSON.stringify(result.consumer_throttles_ms)}`);
  const recorded = (await quotaMetric(broker, 'kafka_server_fetch_throttle_time', 'rdk-consumer'))!;
  assert.ok(recorded >= Math.min(...fetched) && recorded <= Math.max(...fetched), `broker average ${recorded}, librdkafka saw ${fetched.join(', ')}`);
});

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
