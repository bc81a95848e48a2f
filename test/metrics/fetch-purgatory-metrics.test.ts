/**
 * A fetch that parks in the purgatory (minBytes not reached): the purgatory-size gauge
 * shows it while it waits, and once new data completes it, bytes out counts what the
 * response carried (its second read), not the first read as well.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import type { FetchResponse } from '../../src/protocol/generated/fetch.ts';
import { withTestBroker } from '../helpers/broker.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';

async function metric(httpUrl: string, series: string): Promise<number | undefined> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

it('shows a parked fetch and counts only the bytes it answered with', () => withTestBroker({ 'http.listener': '127.0.0.1:0' }, async (broker) => {
  const http = broker.httpUrl as string;
  await fetch(`${http}/api/topics`, { method: 'POST', body: JSON.stringify({ name: 'parked', partitions: 1 }) });
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'parked', messages: [{ value: 'first' }] });
  const firstBytes = broker.services.replicas.getPartition('parked', 0)?.log.size ?? 0;
  assert.ok(firstBytes > 0);

  const client = await KafkaTestClient.connect(broker.port);
  const partition = { partition: 0, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 };
  const body = { replicaId: -1, maxWaitMs: 600_000, minBytes: firstBytes + 1, maxBytes: 1 << 20, topics: [{ topic: 'parked', partitions: [partition] }] };
  const fetched = client.request<FetchResponse>(ApiKey.Fetch, 11, body);
  while (broker.services.replicas.delayed.pendingCount === 0) await new Promise(setImmediate);
  assert.equal(await metric(http, 'kafka_server_delayedoperationpurgatory_purgatorysize{delayedOperation="Fetch"}'), 1);

  await producer.send({ topic: 'parked', messages: [{ value: 'second' }] });
  const response = await fetched;
  await producer.disconnect();
  client.close();
  const sentBytes = response.responses[0].partitions[0].records?.length ?? 0;
  assert.ok(sentBytes > firstBytes);
  assert.equal(await metric(http, 'kafka_server_brokertopicmetrics_bytesout_total{topic="parked"}'), sentBytes);
  assert.equal(await metric(http, 'kafka_server_delayedoperationpurgatory_purgatorysize{delayedOperation="Fetch"}'), 0);
  assert.equal(await metric(http, 'kafka_network_requestmetrics_remotetimems_count{request="Fetch"}'), 1);
}));
