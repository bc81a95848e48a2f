/**
 * kafkajs 2.2.4 idempotent producer (`idempotent: true`, InitProducerId v1, Produce v7)
 * against Gregor, through a proxy that can lose a Produce response:
 *  - records to several partitions with acks=all arrive exactly once, without gaps;
 *  - a response lost after the broker appended: kafkajs retries the same batch (same
 *    sequence), the broker answers it as a duplicate, nothing is written twice;
 *  - the same with a broker restart between the lost response and the retry: the
 *    producer state comes back from the snapshot written at shutdown.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import kafkajs from 'kafkajs';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { KafkajsReader } from './helpers/kafkajs-reader.ts';
import { DroppingProxy, freePort } from './idempotence-proxy.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const PARTITIONS = 3;
const { Kafka, logLevel } = kafkajs;

let proxy: DroppingProxy;
let broker: RunningBroker;
let brokerConfig: Record<string, string>;
let logDir: string;
let kafka: KafkaClient;
let producer: Producer;

before(async () => {
  proxy = await DroppingProxy.start();
  const brokerPort = await freePort();
  proxy.upstreamPort = brokerPort;
  logDir = await mkdtemp(join(tmpdir(), 'gregor-idem-'));
  brokerConfig = {
    'log.dirs': logDir,
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
  };
  broker = await startCompatBroker(brokerConfig);
  kafka = new Kafka({ brokers: [`127.0.0.1:${proxy.port}`], clientId: 'compat-idempotent', logLevel: logLevel.NOTHING, retry: { retries: 10, initialRetryTime: 100 } });
  producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const admin = kafka.admin();
  await admin.connect();
  for (const topic of ['idem-plain', 'idem-cut', 'idem-restart']) {
    assert.ok(await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }));
  }
  await admin.disconnect();
});

after(async () => {
  await producer?.disconnect();
  await broker?.stop();
  await proxy?.close();
  await rm(logDir, { recursive: true, force: true });
});

/** Sends `count` values "<tag>-<i>" spread over the partitions, in sends of `perSend`. */
async function sendValues(topic: string, tag: string, from: number, count: number, perSend: number): Promise<void> {
  for (let i = from; i < from + count; i += perSend) {
    const messages = Array.from({ length: Math.min(perSend, from + count - i) }, (_, j) => ({ partition: (i + j) % PARTITIONS, value: `${tag}-${i + j}` }));
    await producer.send({ topic, acks: -1, messages });
  }
}

/** Every partition's values in offset order; asserts offsets run 0, 1, 2, ... without gaps. */
async function readValues(topic: string): Promise<string[]> {
  const reader = new KafkajsReader(`127.0.0.1:${proxy.port}`);
  await reader.connect();
  try {
    const values: string[] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const messages = await reader.readAll(topic, p);
      assert.deepEqual(messages.map((m) => Number(m.offset)), messages.map((_, i) => i), `partition ${p} offsets`);
      values.push(...messages.map((m) => m.value!.toString()));
    }
    return values;
  } finally {
    await reader.disconnect();
  }
}

function expected(tag: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${tag}-${i}`);
}

test('idempotent producer: every record exactly once, no gaps, over several partitions', { timeout: TEST_TIMEOUT_MS }, async () => {
  await sendValues('idem-plain', 'plain', 0, 300, 25);
  assert.deepEqual((await readValues('idem-plain')).sort(), expected('plain', 300).sort());
});

test('a Produce response lost after the append: the retry is answered as a duplicate', { timeout: TEST_TIMEOUT_MS }, async () => {
  await sendValues('idem-cut', 'cut', 0, 30, 10);
  const cut = proxy.dropNextProduceResponse();
  await sendValues('idem-cut', 'cut', 30, 10, 10);
  await cut;
  await sendValues('idem-cut', 'cut', 40, 20, 10);
  assert.deepEqual((await readValues('idem-cut')).sort(), expected('cut', 60).sort());
});

test('a broker restart between the lost response and the retry keeps deduplicating', { timeout: TEST_TIMEOUT_MS }, async () => {
  await sendValues('idem-restart', 'restart', 0, 30, 10);
  const cut = proxy.dropNextProduceResponse();
  const restarted = cut.then(async () => {
    proxy.hold();
    await broker.stop();
    broker = await startCompatBroker(brokerConfig);
    proxy.release();
  });
  await sendValues('idem-restart', 'restart', 30, 10, 10);
  await restarted;
  await sendValues('idem-restart', 'restart', 40, 20, 10);
  assert.deepEqual((await readValues('idem-restart')).sort(), expected('restart', 60).sort());
});
