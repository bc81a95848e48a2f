// Codecs against byte layouts written out by hand from the Kafka protocol guide, so the
// generated code is not only checked against itself.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { decodeApiVersionsResponse, encodeApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';
import { decodeMetadataRequest, encodeMetadataRequest } from '../../src/protocol/generated/metadata.ts';
import { decodeFetchResponse, encodeFetchResponse } from '../../src/protocol/generated/fetch.ts';
import { decodeProduceRequest, encodeProduceRequest } from '../../src/protocol/generated/produce.ts';
import {
  decodeRequestHeader,
  encodeRequestHeader,
  encodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../../src/protocol/headers.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';

function hex(text: string): Buffer {
  return Buffer.from(text.replace(/\s+/g, ''), 'hex');
}

function written(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  write(w);
  return w.toBuffer();
}

test('ApiVersions v0 response: int16 error, int32-counted array of (key, min, max)', () => {
  const bytes = hex('0000 00000001 0012 0000 0003');
  const m = { errorCode: 0, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] };
  assert.deepEqual(written((w) => encodeApiVersionsResponse(w, 0, m)), bytes);
  const decoded = decodeApiVersionsResponse(new Reader(bytes), 0);
  assert.deepEqual(decoded.apiKeys, m.apiKeys);
  assert.equal(decoded.throttleTimeMs, 0);
});

test('ApiVersions v3 response: compact array, per-struct tags, tagged FinalizedFeaturesEpoch', () => {
  const bytes = hex(
    '0000' + // error code
      '02' + // compact array: 1 element
      '0012 0000 0004 00' + // ApiVersions 0-4, no tagged fields
      '00000064' + // throttle time 100
      '01' + // one tagged field
      '01 08 0000000000000005', // tag 1 (FinalizedFeaturesEpoch), 8 bytes, value 5
  );
  const m = { apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 100, finalizedFeaturesEpoch: 5 };
  assert.deepEqual(written((w) => encodeApiVersionsResponse(w, 3, m)), bytes);
  const decoded = decodeApiVersionsResponse(new Reader(bytes), 3);
  assert.equal(decoded.finalizedFeaturesEpoch, 5);
  assert.deepEqual(decoded.supportedFeatures, []);
  assert.equal(decoded.zkMigrationReady, false);
});

test('unknown tagged fields are skipped', () => {
  const bytes = hex('0000 01 00000000 02 07 02 abcd 01 08 0000000000000009');
  const decoded = decodeApiVersionsResponse(new Reader(bytes), 3);
  assert.equal(decoded.finalizedFeaturesEpoch, 9);
});

test('Metadata v1 request: int32 count + int16-length names; null means all topics', () => {
  const one = hex('00000001 0003 666f6f');
  assert.deepEqual(written((w) => encodeMetadataRequest(w, 1, { topics: [{ name: 'foo' }] })), one);
  assert.deepEqual(decodeMetadataRequest(new Reader(one), 1).topics, [{ name: 'foo', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }]);
  const all = hex('ffffffff');
  assert.deepEqual(written((w) => encodeMetadataRequest(w, 1, { topics: null })), all);
  assert.equal(decodeMetadataRequest(new Reader(all), 1).topics, null);
  assert.equal(decodeMetadataRequest(new Reader(all), 1).allowAutoTopicCreation, true, 'schema default');
});

test('Fetch v4 response: records as int32-length bytes, nullable aborted transactions', () => {
  const records = Buffer.from('0102030405', 'hex');
  const bytes = hex(
    '00000000' + // throttle
      '00000001 0001 74' + // one topic "t"
      '00000001' + // one partition
      '00000002 0000 000000000000000a 0000000000000008' + // index 2, no error, hw 10, lso 8
      'ffffffff' + // aborted transactions: null
      '00000005 0102030405', // records
  );
  const m = {
    responses: [{ topic: 't', partitions: [{ partitionIndex: 2, highWatermark: 10, lastStableOffset: 8, abortedTransactions: null, records }] }],
  };
  assert.deepEqual(written((w) => encodeFetchResponse(w, 4, m)), bytes);
  const p = decodeFetchResponse(new Reader(bytes), 4).responses[0].partitions[0];
  assert.equal(p.abortedTransactions, null);
  assert.deepEqual(p.records, records);
  assert.equal(p.logStartOffset, -1, 'absent in v4: schema default');
});

test('Fetch v12 response: tagged CurrentLeader written only when not default', () => {
  const encode = (leader: { leaderId: number; leaderEpoch: number } | undefined): Buffer =>
    written((w) =>
      encodeFetchResponse(w, 12, { responses: [{ topic: 't', partitions: [{ currentLeader: leader, records: null }] }] }),
    );
  const plain = encode(undefined);
  assert.deepEqual(encode({ leaderId: -1, leaderEpoch: -1 }), plain);
  const tagged = encode({ leaderId: 1, leaderEpoch: 7 });
  // one tag (01), tag 1, size 9: leaderId int32, leaderEpoch int32, empty struct tags
  assert.ok(tagged.includes(hex('01 01 09 00000001 00000007 00')));
  const p = decodeFetchResponse(new Reader(tagged), 12).responses[0].partitions[0];
  assert.deepEqual(p.currentLeader, { leaderId: 1, leaderEpoch: 7 });
  assert.equal(p.records, null);
});

test('request header v2: key, version, correlation id, int16 client id, empty tags', () => {
  const bytes = hex('0003 0009 00000007 0003 636c69 00');
  assert.equal(requestHeaderVersion(ApiKey.Metadata, 9), 2);
  const header = { apiKey: 3, apiVersion: 9, correlationId: 7, clientId: 'cli' };
  assert.deepEqual(written((w) => encodeRequestHeader(w, header)), bytes);
  const r = new Reader(Buffer.concat([bytes, hex('ff')]));
  assert.deepEqual(decodeRequestHeader(r), header);
  assert.equal(r.remaining(), 1, 'body starts right after the header');
});

test('header versions follow flexibility, with Kafka’s two exceptions', () => {
  assert.equal(requestHeaderVersion(ApiKey.Metadata, 8), 1);
  assert.equal(requestHeaderVersion(ApiKey.ControlledShutdown, 0), 0);
  assert.equal(requestHeaderVersion(999, 0), 1);
  assert.equal(responseHeaderVersion(ApiKey.ApiVersions, 3), 0);
  assert.equal(responseHeaderVersion(ApiKey.Fetch, 12), 1);
  assert.equal(responseHeaderVersion(ApiKey.Fetch, 11), 0);
  assert.deepEqual(written((w) => encodeResponseHeader(w, 1, 5)), hex('00000005 00'));
  const v0 = new Reader(hex('0007 0000 0000000b'));
  assert.deepEqual(decodeRequestHeader(v0), { apiKey: 7, apiVersion: 0, correlationId: 11, clientId: null });
});

test('Produce v9 request: records given as chunks are written by reference, in order', () => {
  const first = Buffer.alloc(2048, 1);
  const second = Buffer.alloc(3000, 2);
  const w = new Writer();
  encodeProduceRequest(w, 9, {
    acks: -1,
    timeoutMs: 30000,
    topicData: [{ name: 'a', partitionData: [{ index: 0, records: [first, second] }] }],
  });
  const chunks = w.toChunks();
  assert.ok(chunks.includes(first) && chunks.includes(second), 'no copy of the record chunks');
  const decoded = decodeProduceRequest(new Reader(w.toBuffer()), 9);
  const records = decoded.topicData[0].partitionData[0].records;
  assert.deepEqual(records, Buffer.concat([first, second]));
  assert.equal(decoded.transactionalId, null);
});
