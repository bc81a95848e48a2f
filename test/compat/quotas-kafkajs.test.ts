/**
 * Client quotas with kafkajs 2.2.4 (Produce v7, Fetch v11: both past KIP-219, so kafkajs
 * holds its own requests for the throttle time it is given). Quotas of 1000 B/s are set
 * through AlterClientQuotas; a producer and a consumer go over them. What kafkajs was told
 * is read from its own log ("Client side throttling in effect for N ms", written when a
 * response carries throttle_time_ms), and must equal what the broker recorded
 * (kafka_server_{produce,fetch}_throttle_time); both clients keep working afterwards.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { logCreator } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';
import { quotaMetric, setQuota } from '../server/quotas/helpers.ts';
import { startCompatBroker } from './helpers/broker.ts';

const { Kafka, logLevel } = kafkajs;
/** Guards against a hung client; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const RATE = 1000;
/** Over the 10 000 bytes a 1000 B/s quota allows in its first (padded) 10 s window. */
const BIG_VALUE_BYTES = 10_300;

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

/** A kafkajs client whose throttle log lines are collected in `throttles` (ms). */
function throttledKafka(clientId: string): { kafka: InstanceType<typeof Kafka>; throttles: number[] } {
  const throttles: number[] = [];
  const creator: logCreator = () => ({ log }) => {
    const match = /Client side throttling in effect for (\d+)ms/.exec(log.message);
    if (match !== null) throttles.push(Number(match[1]));
  };
  return { kafka: new Kafka({ brokers: [broker.bootstrap], clientId, logLevel: logLevel.DEBUG, logCreator: creator }), throttles };
}

test('kafkajs producer over producer_byte_rate is throttled by the broker and keeps producing', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'quota-kafkajs-produce';
  await setQuota(admin, { 'client-id': 'kjs-producer' }, 'producer_byte_rate', RATE);
  const { kafka, throttles } = throttledKafka('kjs-producer');
  const kafkaAdmin = kafka.admin();
  const producer = kafka.producer();
  await Promise.all([kafkaAdmin.connect(), producer.connect()]);
  try {
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.send({ topic, messages: [{ value: Buffer.alloc(BIG_VALUE_BYTES, 0x61) }] });
    assert.equal(throttles.length, 1, 'one throttled Produce response');
    assert.ok(throttles[0] > 0);
    assert.equal(await quotaMetric(broker, 'kafka_server_produce_throttle_time', 'kjs-producer'), throttles[0]);
    const [next] = await producer.send({ topic, messages: [{ value: 'after the throttle' }] });
    assert.equal(next.errorCode, 0);
  } finally {
    await Promise.all([kafkaAdmin.disconnect(), producer.disconnect()]);
  }
});

test('kafkajs consumer over consumer_byte_rate gets throttled fetches and still reads everything', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'quota-kafkajs-fetch';
  const seed = new Kafka({ brokers: [broker.bootstrap], clientId: 'kjs-seed', logLevel: logLevel.NOTHING });
  const seedAdmin = seed.admin();
  const producer = seed.producer();
  await Promise.all([seedAdmin.connect(), producer.connect()]);
  await seedAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  // Two batches that fit the fetch cap (10 000 bytes) one at a time but not together.
  for (const bytes of [5000, 5500]) await producer.send({ topic, messages: [{ value: Buffer.alloc(bytes, 0x62) }] });
  await Promise.all([seedAdmin.disconnect(), producer.disconnect()]);

  await setQuota(admin, { 'client-id': 'kjs-consumer' }, 'consumer_byte_rate', RATE);
  const { kafka, throttles } = throttledKafka('kjs-consumer');
  const consumer = kafka.consumer({ groupId: 'quota-kafkajs' });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const sizes: number[] = [];
    await new Promise<void>((resolve, reject) => {
      consumer.run({
        eachMessage: async ({ message }) => {
          sizes.push(message.value?.length ?? -1);
          if (sizes.length === 2) resolve();
        },
      }).catch(reject);
    });
    assert.deepEqual(sizes, [5000, 5500]);
    assert.ok(throttles.length > 0 && throttles.every((ms) => ms > 0), `throttles seen by kafkajs: ${throttles.join(', ')}`);
    const recorded = await quotaMetric(broker, 'kafka_server_fetch_throttle_time', 'kjs-consumer');
    assert.equal(recorded, throttles.reduce((a, b) => a + b, 0) / throttles.length, 'the average of what the broker returned');
  } finally {
    await consumer.disconnect();
  }
});
