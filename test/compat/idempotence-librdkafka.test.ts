/**
 * librdkafka's idempotent producer (confluent-kafka-python, enable.idempotence=True:
 * InitProducerId, up to 5 pipelined Produce requests, acks=all) against Gregor through a
 * proxy that can lose a Produce response (idempotence-proxy.ts). The script checks that
 * every partition holds exactly what was sent, in order, without gaps, and that each
 * delivery report carries the offset the record really has.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';
import { DroppingProxy, freePort } from './idempotence-proxy.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 90_000;
const PARTITIONS = 4;
const RECORDS = 2_000;

let proxy: DroppingProxy;
let broker: RunningBroker;

before(async () => {
  proxy = await DroppingProxy.start();
  const brokerPort = await freePort();
  proxy.upstreamPort = brokerPort;
  broker = await startCompatBroker({
    listeners: `PLAINTEXT://127.0.0.1:${brokerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${proxy.port}`,
    'num.partitions': String(PARTITIONS),
  });
});

after(async () => {
  await broker?.stop();
  await proxy?.close();
});

function produce(topic: string): Promise<Record<string, unknown>> {
  return runPython('idempotence_produce.py', [`127.0.0.1:${proxy.port}`, topic, topic, String(RECORDS), String(PARTITIONS)], { timeoutMs: TEST_TIMEOUT_MS });
}

test('librdkafka idempotent producer: exactly once, in order, no gaps over several partitions', { timeout: TEST_TIMEOUT_MS }, async () => {
  assert.equal((await produce('py-idem-plain')).delivered, RECORDS);
});

test('librdkafka: a Produce response lost after the append is retried and answered as a duplicate', { timeout: TEST_TIMEOUT_MS }, async () => {
  const cut = proxy.dropNextProduceResponse();
  const summary = await produce('py-idem-cut');
  await cut;
  assert.equal(summary.delivered, RECORDS);
});
