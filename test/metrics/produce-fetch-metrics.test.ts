/**
 * /metrics after a kafkajs producer and a kafkajs fetch: the produce and fetch counters
 * (bytes in, messages in, bytes out, requests per API and version) match what the clients
 * did; log gauges match the partition; latency histograms and Node metrics are present.
 * Then a kafkajs consumer group: the counters and kafka_consumergroup_lag match what it
 * read and committed.
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
  broker = await startTestBroker({ 'http.listener': '127.0.0.1:0', 'group.initial.rebalance.delay.ms': '0' });
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

it('counts what a kafkajs producer and consumer group did, and the group\'s lag', async () => {
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: 'consumed', numPartitions: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const sends = 2;
  const perSend = 6;
  for (let i = 0; i < sends; i++) {
    await producer.send({ topic: 'consumed', messages: Array.from({ length: perSend }, (_, j) => ({ key: `k${j}`, value: `value-${i}-${j}` })) });
  }
  await producer.disconnect();
  // The consumer reads everything but commits only the first `committed` records.
  const committed = 4;
  const consumer = kafka.consumer({ groupId: 'metered-group' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'consumed', fromBeginning: true });
  let seen = 0;
  const allSeen = Promise.withResolvers<void>();
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      const next = Number(message.offset) + 1;
      if (next <= committed) await consumer.commitOffsets([{ topic, partition, offset: String(next) }]);
      if (++seen === sends * perSend) allSeen.resolve();
    },
  });
  await allSeen.promise;
  await consumer.disconnect();

  const m = await scrape(broker.httpUrl);
  const logSize = m.get('kafka_log_log_size{topic="consumed",partition="0"}');
  assert.ok(logSize !== undefined && logSize > 0);
  assert.equal(m.get('kafka_server_brokertopicmetrics_messagesin_total{topic="consumed"}'), sends * perSend);
  assert.equal(m.get('kafka_server_brokertopicmetrics_bytesin_total{topic="consumed"}'), logSize);
  // The consumer fetched the whole log once (later fetches found nothing new).
  assert.equal(m.get('kafka_server_brokertopicmetrics_bytesout_total{topic="consumed"}'), logSize);
  assert.equal(m.get('kafka_consumergroup_lag{group="metered-group",topic="consumed",partition="0"}'), sends * perSend - committed);
  const requests = (api: string): number =>
    [...m].filter(([k]) => k.startsWith(`kafka_network_requestmetrics_requests_total{request="${api}",`)).reduce((n, [, v]) => n + v, 0);
  assert.equal(requests('OffsetCommit'), committed);
  assert.ok(requests('JoinGroup') >= 1 && requests('SyncGroup') >= 1);
});
