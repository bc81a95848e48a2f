// Cross-check against an independent implementation: kafkajs's own request encoders
// must produce exactly our bytes, and its response decoders must read what we encode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { decodeMetadataRequest, encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { decodeFetchRequest, encodeFetchRequest } from '../../src/protocol/generated/fetch.ts';
import { encodeJoinGroupRequest } from '../../src/protocol/generated/join-group.ts';
import { encodeApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';

const require = createRequire(import.meta.url);
const REQUESTS = 'kafkajs/src/protocol/requests';

interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }>;
}
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
interface ResponseCodec {
  decode(raw: Buffer): Promise<Record<string, unknown>>;
}

async function kafkajsBytes(path: string, args: Record<string, unknown>): Promise<Buffer> {
  const factory = require(`${REQUESTS}/${path}/request`) as RequestFactory;
  return (await factory(args).encode()).buffer;
}

function ours(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  write(w);
  return w.toBuffer();
}

test('Metadata v6 request bytes from kafkajs decode as ours', async () => {
  const bytes = await kafkajsBytes('metadata/v6', { topics: ['a', 'bb'], allowAutoTopicCreation: false });
  const m = decodeMetadataRequest(new Reader(bytes), 6);
  assert.deepEqual(m.topics?.map((t) => t.name), ['a', 'bb']);
  assert.equal(m.allowAutoTopicCreation, false);
});

test('Fetch v11 request: same bytes as kafkajs', async () => {
  const args = {
    replicaId: -1,
    maxWaitTime: 500,
    minBytes: 1,
    maxBytes: 1048576,
    isolationLevel: 1,
    sessionId: 0,
    sessionEpoch: -1,
    rackId: 'r1',
    topics: [{ topic: 'orders', partitions: [{ partition: 3, currentLeaderEpoch: 4, fetchOffset: 2 ** 40, logStartOffset: -1, maxBytes: 1000 }] }],
  };
  const expected = await kafkajsBytes('fetch/v11', args);
  const actual = ours((w) =>
    encodeFetchRequest(w, 11, {
      replicaId: -1,
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1048576,
      isolationLevel: 1,
      sessionId: 0,
      sessionEpoch: -1,
      rackId: 'r1',
      topics: [{ topic: 'orders', partitions: [{ partition: 3, currentLeaderEpoch: 4, fetchOffset: 2 ** 40, logStartOffset: -1, partitionMaxBytes: 1000 }] }],
    }),
  );
  assert.deepEqual(actual, expected);
  assert.equal(decodeFetchRequest(new Reader(expected), 11).topics[0].partitions[0].fetchOffset, 2 ** 40);
});

test('JoinGroup v5 request: same bytes as kafkajs', async () => {
  const metadata = Buffer.from([0, 1, 2]);
  const expected = await kafkajsBytes('joinGroup/v5', {
    groupId: 'g',
    sessionTimeout: 30000,
    rebalanceTimeout: 60000,
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    groupProtocols: [{ name: 'range', metadata }],
  });
  const actual = ours((w) =>
    encodeJoinGroupRequest(w, 5, {
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata }],
    }),
  );
  assert.deepEqual(actual, expected);
});

test('kafkajs decodes our Metadata v6 and ApiVersions v2 responses', async () => {
  const metadataCodec = require(`${REQUESTS}/metadata/v6/response`) as ResponseCodec;
  const metadata = await metadataCodec.decode(
    ours((w) =>
      encodeMetadataResponse(w, 6, {
        brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
        clusterId: 'c1',
        controllerId: 1,
        topics: [{ name: 't', partitions: [{ partitionIndex: 0, leaderId: 1, replicaNodes: [1], isrNodes: [1] }] }],
      }),
    ),
  );
  assert.deepEqual(metadata.brokers, [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }]);
  assert.equal(metadata.clusterId, 'c1');
  const topics = metadata.topicMetadata as { topic: string; partitionMetadata: { leader: number; isr: number[] }[] }[];
  assert.equal(topics[0].topic, 't');
  assert.equal(topics[0].partitionMetadata[0].leader, 1);
  assert.deepEqual(topics[0].partitionMetadata[0].isr, [1]);

  const apiVersionsCodec = require(`${REQUESTS}/apiVersions/v2/response`) as ResponseCodec;
  const versions = await apiVersionsCodec.decode(
    ours((w) => encodeApiVersionsResponse(w, 2, { apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 11 }], throttleTimeMs: 0 })),
  );
  assert.deepEqual(versions.apiVersions, [{ apiKey: 0, minVersion: 0, maxVersion: 11 }]);
});
