/**
 * metrics.enabled=false: a kafkajs producer and fetcher work as usual, but the request and
 * topic traffic hooks count nothing (the series the overhead bench switches off), while the
 * scrape-time gauges read from the broker's state still answer.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { withTestBroker } from '../helpers/broker.ts';
import { KafkajsReader } from '../compat/helpers/kafkajs-reader.ts';
import { scrape } from './scrape.ts';

it('with metrics.enabled=false produce and fetch are not counted; log gauges still are', () =>
  withTestBroker({ 'http.listener': '127.0.0.1:0', 'metrics.enabled': 'false' }, async (broker) => {
    const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'unmetered', numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'unmetered', messages: [{ value: 'a' }, { value: 'b' }] });
    await producer.disconnect();
    const reader = new KafkajsReader(broker.bootstrap);
    await reader.connect();
    assert.equal((await reader.readAll('unmetered', 0)).length, 2);
    await reader.disconnect();

    const m = await scrape(broker.httpUrl);
    assert.equal(m.get('kafka_log_log_logendoffset{topic="unmetered",partition="0"}'), 2);
    assert.equal(m.get('kafka_server_brokertopicmetrics_messagesin_total{topic="unmetered"}') ?? 0, 0);
    assert.equal(m.get('kafka_server_brokertopicmetrics_bytesin_total{topic="unmetered"}') ?? 0, 0);
    assert.equal(m.get('kafka_server_brokertopicmetrics_bytesout_total{topic="unmetered"}') ?? 0, 0);
    const requestSeries = [...m.keys()].filter((k) => k.startsWith('kafka_network_requestmetrics_'));
    assert.ok(requestSeries.every((k) => m.get(k) === 0), `request series counted: ${requestSeries.join(', ')}`);
    assert.equal(m.get('kafka_server_socket_server_metrics_connection_creation_total') !== undefined, true);
  }));
