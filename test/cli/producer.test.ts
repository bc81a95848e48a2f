/**
 * The client's Producer and PartitionConsumer in-process against a test broker: batches
 * close at the record limit, the byte limit, or when flushed; keyless records stick to a
 * partition for one batch and then move; every record comes back in order per
 * partition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { createTopic } from '../../src/cli/client/admin.ts';
import type { TopicMetadata } from '../../src/cli/client/cluster-metadata.ts';
import { PartitionConsumer, recordsOf } from '../../src/cli/client/consumer.ts';
import type { FetchedBatch } from '../../src/cli/client/consumer.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { Producer } from '../../src/cli/client/producer.ts';
import type { ProducerOptions } from '../../src/cli/client/producer.ts';

/** Long enough that only the limits under test (or flush) close a batch. */
const NO_LINGER_MS = 600_000;

describe('Producer and PartitionConsumer', () => {
  let broker: TestBroker;
  let client: KafkaClient;

  before(async () => {
    broker = await startTestBroker();
    client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
  });
  after(async () => {
    await client.close();
    await broker.stopAndRemove();
  });

  async function topicWith(name: string, partitions: number): Promise<TopicMetadata> {
    await createTopic(client, { name, numPartitions: partitions, replicationFactor: 1, configs: {} });
    return (await client.metadata([name])).topics[0];
  }

  /** Every batch of the topic from offset 0, polling until `records` records arrived. */
  async function fetchBatches(topic: TopicMetadata, records: number): Promise<FetchedBatch[]> {
    const consumer = new PartitionConsumer(client, topic, new Map(topic.partitions.map((p) => [p.partition, 0])));
    const batches: FetchedBatch[] = [];
    while (batches.reduce((n, b) => n + b.view.recordCount, 0) < records) batches.push(...await consumer.poll());
    return batches;
  }

  /** Sends `values`; returns the most bytes the producer held after any send. */
  async function produce(opts: ProducerOptions, values: { key?: string; value: string }[]): Promise<number> {
    const producer = await Producer.create(client, { lingerMs: NO_LINGER_MS, ...opts });
    let bufferedMax = 0;
    for (const { key, value } of values) {
      await producer.send({ key: key ?? null, value });
      bufferedMax = Math.max(bufferedMax, producer.bufferedBytes);
    }
    const summary = await producer.flush();
    assert.deepEqual(summary, { recordsSent: values.length, recordsFailed: 0 });
    return bufferedMax;
  }

  it('closes a batch at batchRecordsMax records and sends the rest on flush', async () => {
    const topic = await topicWith('by-count', 1);
    const values = Array.from({ length: 25 }, (_, i) => ({ value: `v${i}` }));
    await produce({ topic: 'by-count', batchRecordsMax: 10 }, values);
    const batches = await fetchBatches(topic, 25);
    assert.deepEqual(batches.map((b) => b.view.recordCount), [10, 10, 5]);
    const records = (await Promise.all(batches.map(recordsOf))).flat();
    assert.deepEqual(records.map((r) => r.value?.toString()), values.map((v) => v.value));
    assert.deepEqual(records.map((r) => r.offset), values.map((_, i) => i));
  });

  it('closes a batch before it would pass batchBytesMax', async () => {
    const topic = await topicWith('by-bytes', 1);
    const values = Array.from({ length: 6 }, (_, i) => ({ value: `${i}`.padEnd(100, '.') }));
    // Each record counts about 121 bytes: two fit under 300, a third does not.
    await produce({ topic: 'by-bytes', batchBytesMax: 300 }, values);
    assert.deepEqual((await fetchBatches(topic, 6)).map((b) => b.view.recordCount), [2, 2, 2]);
  });

  it('moves keyless records to another partition after each batch', async () => {
    const topic = await topicWith('sticky', 4);
    await produce({ topic: 'sticky', batchRecordsMax: 5 }, Array.from({ length: 20 }, (_, i) => ({ value: `${i}` })));
    const batches = await fetchBatches(topic, 20);
    assert.deepEqual(batches.map((b) => b.view.recordCount), [5, 5, 5, 5]);
    // Batches come back grouped by partition; order them by their first value to get send order.
    const sendOrder = await Promise.all(batches.map(async (b) => ({
      partition: b.partition, first: Number((await recordsOf(b))[0].value?.toString()),
    })));
    sendOrder.sort((a, b) => a.first - b.first);
    for (let i = 1; i < sendOrder.length; i++) assert.notEqual(sendOrder[i].partition, sendOrder[i - 1].partition);
  });

  // A regression here deadlocks, so the test has a timeout instead of hanging the suite.
  it('waits for buffer space instead of collecting more than bufferedBytesMax', { timeout: 60_000 }, async () => {
    const topic = await topicWith('bounded', 2);
    const values = Array.from({ length: 200 }, (_, i) => ({ key: `k${i % 7}`, value: `${i}`.padEnd(500, '#') }));
    // Open batches alone could fill the buffer (2 x 4000 > 4096): a full buffer must send them.
    const bufferedMax = await produce({ topic: 'bounded', bufferedBytesMax: 4096, batchBytesMax: 4000 }, values);
    assert.ok(bufferedMax <= 4096, `held ${bufferedMax} bytes`);
    const batches = await fetchBatches(topic, 200);
    const records = (await Promise.all(batches.map(recordsOf))).flat();
    assert.deepEqual(records.map((r) => r.value?.toString()).sort(), values.map((v) => v.value).sort());
  });
});
