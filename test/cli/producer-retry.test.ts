/**
 * Producer error handling against a scripted fake broker: a retriable error
 * (NOT_LEADER_OR_FOLLOWER) makes the producer refresh metadata and send the batch
 * again; a non-retriable one (MESSAGE_TOO_LARGE) fails the batch at once, reported
 * with Kafka's error name.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { encodeProduceResponse } from '../../src/protocol/generated/produce.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { Producer } from '../../src/cli/client/producer.ts';
import type { BatchFailure } from '../../src/cli/client/producer.ts';
import { answeredApiVersions, closeFakeBrokers, reply, startFakeBroker } from './fake-broker.ts';
import type { FakeRequest } from './fake-broker.ts';

after(closeFakeBrokers);

const RANGES = [
  { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 },
  { apiKey: ApiKey.Produce, minVersion: 3, maxVersion: 11 },
];

/** A one-broker cluster holding topic "t" (one partition, led by node 1 = this server). */
async function cluster(produceErrors: number[]): Promise<{ port: number; seen: { metadata: number; produce: number } }> {
  const seen = { metadata: 0, produce: 0 };
  const port = await startFakeBroker((request: FakeRequest) => {
    if (answeredApiVersions(request, RANGES)) return;
    const version = request.header.apiVersion;
    if (request.header.apiKey === ApiKey.Metadata) {
      seen.metadata += 1;
      reply(request, (w) => encodeMetadataResponse(w, version, {
        brokers: [{ nodeId: 1, host: '127.0.0.1', port }],
        controllerId: 1,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
      }));
    } else if (request.header.apiKey === ApiKey.Produce) {
      const errorCode = produceErrors[seen.produce] ?? ErrorCode.NONE;
      seen.produce += 1;
      reply(request, (w) => encodeProduceResponse(w, version, {
        responses: [{ name: 't', partitionResponses: [{ index: 0, errorCode, baseOffset: errorCode === 0 ? 0 : -1 }] }],
      }));
    }
  });
  return { port, seen };
}

async function produceOne(port: number): Promise<{ summary: { recordsSent: number; recordsFailed: number }; failures: BatchFailure[] }> {
  const client = new KafkaClient({ bootstrapServers: [`127.0.0.1:${port}`] });
  const failures: BatchFailure[] = [];
  try {
    const producer = await Producer.create(client, { topic: 't', retryBackoffMs: 1, onBatchError: (f) => failures.push(f) });
    await producer.send({ key: 'k', value: 'v' });
    return { summary: await producer.flush(), failures };
  } finally {
    await client.close();
  }
}

describe('Producer errors', () => {
  it('retries a retriable error with fresh metadata', async () => {
    const { port, seen } = await cluster([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.NOT_LEADER_OR_FOLLOWER]);
    const { summary, failures } = await produceOne(port);
    assert.deepEqual(summary, { recordsSent: 1, recordsFailed: 0 });
    assert.deepEqual(failures, []);
    assert.equal(seen.produce, 3);
    assert.equal(seen.metadata, 3, 'one lookup at start, one before each retry');
  });

  it('fails a batch at once on a non-retriable error, with Kafka\'s error name', async () => {
    const { port, seen } = await cluster([ErrorCode.MESSAGE_TOO_LARGE]);
    const { summary, failures } = await produceOne(port);
    assert.deepEqual(summary, { recordsSent: 0, recordsFailed: 1 });
    assert.equal(seen.produce, 1);
    assert.equal(failures.length, 1);
    assert.match(failures[0].error.message, /^produce to t-0: MESSAGE_TOO_LARGE: /);
  });
});
