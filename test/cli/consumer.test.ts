/**
 * PartitionConsumer against a scripted fake broker: a fetch that starts inside a batch
 * drops the records before the position; a retriable partition error
 * (NOT_LEADER_OR_FOLLOWER) skips the partition for one round and the next poll looks
 * the leader up again; a non-retriable one (OFFSET_OUT_OF_RANGE) is thrown with its name.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeFetchRequest, encodeFetchResponse } from '../../src/protocol/generated/fetch.ts';
import { encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { PartitionConsumer, recordsOf } from '../../src/cli/client/consumer.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { answeredApiVersions, closeFakeBrokers, reply, startFakeBroker } from './fake-broker.ts';

after(closeFakeBrokers);

const RANGES = [
  { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 },
  { apiKey: ApiKey.Fetch, minVersion: 4, maxVersion: 12 },
];

/** Topic "t", one partition led by this server; the n-th Fetch answers fetchErrors[n] (then NONE). */
async function cluster(fetchErrors: number[]): Promise<{ client: KafkaClient; seen: { metadata: number; fetchOffsets: number[] } }> {
  const seen = { metadata: 0, fetchOffsets: [] as number[] };
  const batch = await buildRecordBatch({ baseOffset: 10, records: ['a', 'b', 'c'].map((value) => ({ value })) });
  const port = await startFakeBroker((request) => {
    if (answeredApiVersions(request, RANGES)) return;
    const version = request.header.apiVersion;
    if (request.header.apiKey === ApiKey.Metadata) {
      seen.metadata += 1;
      reply(request, (w) => encodeMetadataResponse(w, version, {
        brokers: [{ nodeId: 1, host: '127.0.0.1', port }],
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
      }));
      return;
    }
    const fetchOffset = decodeFetchRequest(request.body, version).topics[0].partitions[0].fetchOffset;
    const errorCode = fetchErrors[seen.fetchOffsets.length] ?? ErrorCode.NONE;
    seen.fetchOffsets.push(fetchOffset);
    reply(request, (w) => encodeFetchResponse(w, version, {
      responses: [{ topic: 't', partitions: [{ partitionIndex: 0, errorCode, highWatermark: 13,
        records: errorCode === ErrorCode.NONE && fetchOffset < 13 ? batch : null }] }],
    }));
  });
  const client = new KafkaClient({ bootstrapServers: [`127.0.0.1:${port}`] });
  await client.metadata(['t']);
  return { client, seen };
}

async function consumerAt(client: KafkaClient, offset: number): Promise<PartitionConsumer> {
  const topic = (await client.metadata(['t'])).topics[0];
  return new PartitionConsumer(client, topic, new Map([[0, offset]]), { retryBackoffMs: 1 });
}

describe('PartitionConsumer', () => {
  it('drops the records before its position and advances past the batch', async () => {
    const { client, seen } = await cluster([]);
    const consumer = await consumerAt(client, 11);
    const batches = await consumer.poll();
    const records = (await Promise.all(batches.map(recordsOf))).flat();
    assert.deepEqual(records.map((r) => [r.offset, r.value?.toString()]), [[11, 'b'], [12, 'c']]);
    assert.equal(consumer.position(0), 13);
    assert.deepEqual(await consumer.poll(), []);
    assert.deepEqual(seen.fetchOffsets, [11, 13]);
    await client.close();
  });

  it('refreshes the leader after a retriable error and then reads on', async () => {
    const { client, seen } = await cluster([ErrorCode.NOT_LEADER_OR_FOLLOWER]);
    const consumer = await consumerAt(client, 10);
    const metadataBefore = seen.metadata;
    assert.deepEqual(await consumer.poll(), []);
    const batches = await consumer.poll();
    assert.equal(seen.metadata, metadataBefore + 1);
    assert.deepEqual((await recordsOf(batches[0])).map((r) => r.offset), [10, 11, 12]);
    await client.close();
  });

  it('throws a non-retriable partition error with its name', async () => {
    const { client } = await cluster([ErrorCode.OFFSET_OUT_OF_RANGE]);
    const consumer = await consumerAt(client, 99);
    await assert.rejects(consumer.poll(), /fetch t-0 at offset 99: OFFSET_OUT_OF_RANGE/);
    await client.close();
  });
});
