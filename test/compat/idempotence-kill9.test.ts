/**
 * kill -9 between a lost Produce response and its retry (kafkajs idempotent producer,
 * broker as a child process behind the dropping proxy; after the kill no snapshot covers
 * the log end, so the producer state is rebuilt by replaying the log): the retry after
 * the restart is still recognised as a duplicate.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import { KafkajsReader } from './helpers/kafkajs-reader.ts';
import { SubprocessBroker } from './helpers/subprocess-broker.ts';
import { DroppingProxy } from './idempotence-proxy.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 90_000;
const PARTITIONS = 2;
const TOPIC = 'idem-kill9';
const { Kafka, logLevel } = kafkajs;

let proxy: DroppingProxy;
let broker: SubprocessBroker;
let kafka: KafkaClient;
let producer: Producer;

before(async () => {
  proxy = await DroppingProxy.start();
  broker = await SubprocessBroker.start({
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
    'num.partitions': String(PARTITIONS),
  });
  proxy.upstreamPort = broker.port;
  kafka = new Kafka({ brokers: [`127.0.0.1:${proxy.port}`], clientId: 'compat-idempotent-kill9', logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
  await producer.connect();
});

after(async () => {
  await producer?.disconnect();
  await broker?.destroy();
  await proxy?.close();
});

async function send(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 10) {
    await producer.send({ topic: TOPIC, acks: -1, messages: Array.from({ length: 10 }, (_, j) => ({ partition: (i + j) % PARTITIONS, value: `k9-${i + j}-${'x'.repeat(40)}` })) });
  }
}

test('kill -9 between a lost response and the retry: still answered as a duplicate', { timeout: TEST_TIMEOUT_MS }, async () => {
  await send(0, 200);
  const cut = proxy.dropNextProduceResponse();
  const restarted = cut.then(async () => {
    proxy.hold();
    await broker.kill9();
    await broker.restart();
    proxy.release();
  });
  await send(200, 10);
  await restarted;
  await send(210, 40);
  const reader = new KafkajsReader(`127.0.0.1:${proxy.port}`);
  await reader.connect();
  const values: string[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const messages = await reader.readAll(TOPIC, p);
    assert.deepEqual(messages.map((m) => Number(m.offset)), messages.map((_, i) => i), `partition ${p} offsets`);
    values.push(...messages.map((m) => m.value!.toString().split('-')[1]));
  }
  await reader.disconnect();
  assert.deepEqual(values.map(Number).sort((a, b) => a - b), Array.from({ length: 250 }, (_, i) => i));
});
