/**
 * @platformatic/kafka's idempotent producer (`idempotent: true`: InitProducerId, then
 * sequenced batches) against Gregor through the dropping proxy: a Produce response lost
 * after the append is retried by the client and answered as a duplicate, so every
 * partition holds each record once, without gaps (read back with kafkajs's fetch path).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Producer, ProduceAcks, stringSerializers } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { KafkajsReader } from './helpers/kafkajs-reader.ts';
import { DroppingProxy, freePort } from './idempotence-proxy.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const PARTITIONS = 3;
const TOPIC = 'idem-platformatic';

let proxy: DroppingProxy;
let broker: RunningBroker;
let producer: Producer<string, string, string, string>;

before(async () => {
  proxy = await DroppingProxy.start();
  const brokerPort = await freePort();
  proxy.upstreamPort = brokerPort;
  broker = await startCompatBroker({
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
    'num.partitions': String(PARTITIONS),
  });
  producer = new Producer({
    clientId: 'compat-platformatic-idempotent', bootstrapBrokers: [`127.0.0.1:${proxy.port}`], idempotent: true,
    acks: ProduceAcks.ALL, retries: 10, retryDelay: 100, autocreateTopics: true, serializers: stringSerializers,
  });
});

after(async () => {
  await producer?.close();
  await broker?.stop();
  await proxy?.close();
});

async function send(from: number, count: number): Promise<void> {
  for (let i = from; i < from + count; i += 10) {
    await producer.send({ messages: Array.from({ length: 10 }, (_, j) => ({ topic: TOPIC, partition: (i + j) % PARTITIONS, value: `pf-${i + j}` })) });
  }
}

test('platformatic idempotent producer: a lost Produce response is retried as a duplicate', { timeout: TEST_TIMEOUT_MS }, async () => {
  await send(0, 50);
  const cut = proxy.dropNextProduceResponse();
  await send(50, 10);
  await cut;
  await send(60, 40);
  const reader = new KafkajsReader(`127.0.0.1:${proxy.port}`);
  await reader.connect();
  const values: number[] = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const messages = await reader.readAll(TOPIC, p);
    assert.deepEqual(messages.map((m) => Number(m.offset)), messages.map((_, i) => i), `partition ${p} offsets`);
    values.push(...messages.map((m) => Number(m.value!.toString().slice(3))));
  }
  await reader.disconnect();
  assert.deepEqual(values.sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
});
