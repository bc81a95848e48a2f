/**
 * /metrics after a kafkajs producer and a kafkajs fetch: the produce and fetch counters
 * (bytes in, messages in, bytes out, requests per API and version) match what the clients
 * did; log gauges match the partition; latency histograms and Node metrics are present.
 * Two brokers in one process keep separate registries.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { TestBroker } from '../helpers/broker.ts';
import { startTestBroker } from '../helpers/broker.ts';
import { KafkajsReader } from '../compat/helpers/kafkajs-reader.ts';
import { scrape } from './scrape.ts';

let broker: TestBroker;
let other: TestBroker;

before(async () => {
  broker = await startTestBroker({ 'http.listener': '127.0.0.1:0' });
  other = await startTestBroker({ 'http.listener': '127.0.0.1:0' });
});
after(async () => {
  await broker.stopAndRemove();
  await other.stopAndRemove();
});

it('counts what a kafkajs producer and fetcher did', async () => {
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'metered', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const batches = 3;
  const perBatch = 5;
  for (let i = 0; i < batches; i++) {
    await producer.send({ topic: 'metered', messages: Array.from({ length: perBatch }, (_, j) => ({ value: `record-${i}-${j}` })) });
  }
  await producer.disconnect();
  const reader = new KafkajsReader(broker.bootstrap);
  await reader.connect();
  const read = await reader.readAll('metered', 0);
  await reader.disconnect();
  assert.equal(read.length, batches * perBatch);

  const m = await scrape(broker.httpUrl);
  const logSize = m.get('kafka_log_log_size{topic="metered",partition="0"}');
  assert.ok(logSize !== undefined && logSize > 0);
  assert.equal(m.get('kafka_server_brokertopicmetrics_messagesin_total{topic="metered"}'), batches * perBatch);
  // Every produced batch is stored as-is, so bytes in = the log's size, and one full read = bytes out.
  assert.equal(m.get('kafka_server_brokertopicmetrics_bytesin_total{topic="metered"}'), logSize);
  assert.equal(m.get('kafka_server_brokertopicmetrics_bytesout_total{topic="metered"}'), logSize);
  assert.equal(m.get('kafka_log_log_logendoffset{topic="metered",partition="0"}'), batches * perBatch);
  assert.equal(m.get('kafka_network_requestmetrics_requests_total{request="Produce",version="7"}'), batches);
  assert.ok((m.get('kafka_network_requestmetrics_requests_total{request="Fetch",version="11"}') ?? 0) >= 1);
  assert.equal(m.get('kafka_network_requestmetrics_totaltimems_count{request="Produce"}'), batches);
  assert.equal(m.get('kafka_network_requestmetrics_localtimems_bucket{request="Produce",le="+Inf"}'), batches);
  assert.equal(m.get('kafka_server_delayedoperationpurgatory_purgatorysize{delayedOperation="Fetch"}'), 0);
  assert.equal(m.get('kafka_server_replicamanager_underreplicatedpartitions'), 0);
  assert.equal(m.get('kafka_server_socket_server_metrics_failed_authentication_total'), 0);
  assert.ok(m.has('nodejs_eventloop_lag_p99_seconds'));
  assert.ok(m.has('nodejs_heap_size_used_bytes'));

  const untouched = await scrape(other.httpUrl);
  assert.equal(untouched.get('kafka_server_brokertopicmetrics_messagesin_total{topic="metered"}'), undefined);
});
