// Cross-check of flexible versions (compact encodings, tagged fields) against an
// independent implementation: @platformatic/kafka's per-version request builders must
// produce our bytes, and its response parsers must read what we encode.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader as PlatformaticReader, apiVersionsV4, fetchV17, metadataV12 } from '@platformatic/kafka';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { decodeMetadataRequest, encodeMetadataRequest, encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { decodeFetchRequest, encodeFetchRequest } from '../../src/protocol/generated/fetch.ts';
import { encodeApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';

const TOPIC_ID_HEX = '00112233-4455-6677-8899-aabbccddeeff';
const TOPIC_ID = Buffer.from(TOPIC_ID_HEX.replaceAll('-', ''), 'hex').toString('base64url');

function ours(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  write(w);
  return w.toBuffer();
}

test('Metadata v12 request: same bytes as @platformatic/kafka', () => {
  const expected = metadataV12.createRequest(['a', 'b'], false, false).buffer;
  const actual = ours((w) =>
    encodeMetadataRequest(w, 12, { topics: [{ name: 'a' }, { name: 'b' }], allowAutoTopicCreation: false }),
  );
  assert.deepEqual(actual, expected);
  assert.deepEqual(decodeMetadataRequest(new Reader(expected), 12).topics?.map((t) => t.name), ['a', 'b']);
});

test('Fetch v17 request with a tagged ReplicaDirectoryId: same bytes as @platformatic/kafka', () => {
  const partition = { partition: 1, currentLeaderEpoch: 2, fetchOffset: 10n, lastFetchedEpoch: 1, partitionMaxBytes: 1024 };
  const expected = fetchV17.createRequest(500, 1, 1 << 20, 0, 0, -1, [
    { topicId: TOPIC_ID_HEX, partitions: [{ ...partition, replicaDirectoryId: TOPIC_ID_HEX }] },
  ], [], '').buffer;
  const actual = ours((w) =>
    encodeFetchRequest(w, 17, {
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{ topicId: TOPIC_ID, partitions: [{ partition: 1, currentLeaderEpoch: 2, fetchOffset: 10, lastFetchedEpoch: 1, partitionMaxBytes: 1024, replicaDirectoryId: TOPIC_ID }] }],
      rackId: '',
    }),
  );
  assert.deepEqual(actual, expected);
  const decoded = decodeFetchRequest(new Reader(expected), 17).topics[0];
  assert.equal(decoded.topicId, TOPIC_ID);
  assert.equal(decoded.partitions[0].replicaDirectoryId, TOPIC_ID);
});

test('@platformatic/kafka parses our ApiVersions v4 and Metadata v12 responses', () => {
  const versions = apiVersionsV4.parseResponse(
    1,
    18,
    4,
    PlatformaticReader.from(ours((w) => encodeApiVersionsResponse(w, 4, { apiKeys: [{ apiKey: 3, minVersion: 0, maxVersion: 12 }] }))),
  );
  assert.deepEqual(versions.apiKeys.map((k) => [k.apiKey, k.minVersion, k.maxVersion]), [[3, 0, 12]]);

  const metadata = metadataV12.parseResponse(
    1,
    3,
    12,
    PlatformaticReader.from(
      ours((w) =>
        encodeMetadataResponse(w, 12, {
          brokers: [{ nodeId: 1, host: 'h', port: 9092, rack: 'r' }],
          clusterId: 'c',
          controllerId: 1,
          topics: [{ name: 't', topicId: TOPIC_ID, partitions: [{ partitionIndex: 0, leaderId: 1, leaderEpoch: 3, replicaNodes: [1], isrNodes: [1] }] }],
        }),
      ),
    ),
  );
  assert.equal(metadata.brokers[0].rack, 'r');
  assert.equal(metadata.topics[0].topicId, TOPIC_ID_HEX);
  assert.equal(metadata.topics[0].partitions[0].leaderEpoch, 3);
});
