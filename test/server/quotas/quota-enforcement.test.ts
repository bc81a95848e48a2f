/**
 * Client quotas end to end on raw connections: quotas set through AlterClientQuotas apply
 * to the next request; the throttle_time_ms returned is Kafka's (the broker runs on a
 * manual clock, so with a 1000 B/s quota and the first 10 s window a request of S bytes is
 * throttled exactly S - 10 000 ms); the connection then serves nothing for that long.
 *
 * request_percentage throttles are capped at one quota window (1 s), so a quota no request
 * can meet gives exactly 1000 ms.
 *
 * The mute is checked as a lower bound only (a pipelined request's response comes at
 * least the throttle time after the throttled one, less a few ms of timer granularity):
 * slowness can only make it later.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { ManualClock } from '../../../src/clock.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { FetchRequest, FetchResponse } from '../../../src/protocol/generated/fetch.ts';
import type { MetadataResponse } from '../../../src/protocol/generated/metadata.ts';
import type { ProduceResponse } from '../../../src/protocol/generated/produce.ts';
import { startTestBroker, type TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';
import { oneRecordBatch, produceRequest, quotaMetric, requestSizeBytes, setQuota } from './helpers.ts';

const TOPIC = 'quota-topic';
const PRODUCE_VERSION = 9;
const FETCH_VERSION = 12;
/** A 1000 B/s quota allows 10 000 bytes in the first (padded) 10 s window. */
const RATE = 1000;
const WINDOW_BYTES = 10_000;
/** quota.window.size.seconds (default 1): the cap on a request_percentage throttle. */
const WINDOW_MS = 1000;
/** Timer granularity allowed on the mute's lower bound. */
const TIMER_SLACK_MS = 20;
/** Fetch response bytes besides the records (data-path-quotas.ts): 14 + 42 per partition. */
const FETCH_FIXED_BYTES = 56;

async function withQuotaBroker(fn: (broker: TestBroker, admin: KafkaTestClient) => Promise<void>): Promise<void> {
  const broker = await startTestBroker({}, { clock: new ManualClock() });
  const admin = await KafkaTestClient.connect(broker.port);
  try {
    await broker.services.metadata.createTopic({ name: TOPIC, numPartitions: 1, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
    await fn(broker, admin);
  } finally {
    admin.close();
    await broker.stopAndRemove();
  }
}

/** Sends `first` and, pipelined behind it, an ApiVersions request; resolves both with their arrival times. */
async function pipelined<T>(client: KafkaTestClient, first: () => Promise<T>): Promise<{ first: T; muteMs: number }> {
  const a = first().then((r) => ({ r, at: performance.now() }));
  const b = client.request(ApiKey.ApiVersions, 0, {}).then(() => performance.now());
  const [{ r, at }, bAt] = await Promise.all([a, b]);
  return { first: r, muteMs: bAt - at };
}

test('producer_byte_rate: throttle_time_ms as Kafka computes it, then the connection is muted', async () => {
  await withQuotaBroker(async (broker, admin) => {
    await setQuota(admin, { 'client-id': null }, 'producer_byte_rate', RATE);
    const producer = await KafkaTestClient.connect(broker.port);
    try {
      const body = produceRequest(TOPIC, await oneRecordBatch(10_150));
      const throttleMs = requestSizeBytes(ApiKey.Produce, PRODUCE_VERSION, body, 'p1') - WINDOW_BYTES;
      assert.ok(throttleMs > 0 && throttleMs < 1000, `request sized for a short throttle (${throttleMs} ms)`);
      const { first, muteMs } = await pipelined(producer, () => producer.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, body, 'p1'));
      assert.equal(first.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
      assert.equal(first.throttleTimeMs, throttleMs);
      assert.ok(muteMs >= throttleMs - TIMER_SLACK_MS, `next response ${muteMs.toFixed(1)} ms later, throttled ${throttleMs} ms`);
      assert.equal(await quotaMetric(broker, 'kafka_server_produce_throttle_time', 'p1'), throttleMs);
      // Within the quota: not throttled (another client id, its own bucket under the default).
      const small = await producer.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, produceRequest(TOPIC, await oneRecordBatch(100)), 'p2');
      assert.equal(small.throttleTimeMs, 0);
    } finally {
      producer.close();
    }
  });
});

test('producer_byte_rate with acks=0: no response, but the connection is muted all the same', async () => {
  await withQuotaBroker(async (broker, admin) => {
    await setQuota(admin, { 'client-id': 'p0' }, 'producer_byte_rate', RATE);
    const producer = await KafkaTestClient.connect(broker.port);
    try {
      const body = produceRequest(TOPIC, await oneRecordBatch(10_150), 0);
      const throttleMs = requestSizeBytes(ApiKey.Produce, PRODUCE_VERSION, body, 'p0') - WINDOW_BYTES;
      const sentAt = performance.now();
      // acks=0 has no response: the client's pending entry is dropped when it closes.
      producer.request(ApiKey.Produce, PRODUCE_VERSION, body, 'p0').catch(() => {});
      await producer.request(ApiKey.ApiVersions, 0, {}, 'p0');
      assert.ok(performance.now() - sentAt >= throttleMs - TIMER_SLACK_MS);
      assert.equal(await quotaMetric(broker, 'kafka_server_produce_throttle_time', 'p0'), throttleMs);
    } finally {
      producer.close();
    }
  });
});

test('a user quota (ANONYMOUS without authentication) outranks a client-id quota and is shared by its client ids', async () => {
  await withQuotaBroker(async (broker, admin) => {
    await setQuota(admin, { 'client-id': 'u1' }, 'producer_byte_rate', 1e9);
    await setQuota(admin, { user: 'ANONYMOUS' }, 'producer_byte_rate', RATE);
    const producer = await KafkaTestClient.connect(broker.port);
    try {
      const half = produceRequest(TOPIC, await oneRecordBatch(5000));
      const first = await producer.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, half, 'u1');
      assert.equal(first.throttleTimeMs, 0);
      const sizes = requestSizeBytes(ApiKey.Produce, PRODUCE_VERSION, half, 'u1') + requestSizeBytes(ApiKey.Produce, PRODUCE_VERSION, half, 'u2');
      const second = await producer.request<ProduceResponse>(ApiKey.Produce, PRODUCE_VERSION, half, 'u2');
      assert.ok(sizes > WINDOW_BYTES);
      assert.equal(second.throttleTimeMs, sizes - WINDOW_BYTES);
      assert.ok((await quotaMetric(broker, 'kafka_server_produce_byte_rate', '', 'ANONYMOUS'))! > RATE);
    } finally {
      producer.close();
    }
  });
});

function fetchRequest(maxBytes = 1 << 20): FetchRequest {
  return {
    replicaId: -1, replicaState: { replicaId: -1, replicaEpoch: -1 }, maxWaitMs: 0, minBytes: 1, maxBytes, isolationLevel: 0,
    sessionId: 0, sessionEpoch: -1, rackId: '', clusterId: null, forgottenTopicsData: [],
    topics: [{
      topic: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
      partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    }],
  };
}

test('consumer_byte_rate: a throttled Fetch returns no data, mutes the connection, and a removed quota applies at once', async () => {
  await withQuotaBroker(async (broker, admin) => {
    const batch = await oneRecordBatch(10_100);
    await admin.request(ApiKey.Produce, PRODUCE_VERSION, produceRequest(TOPIC, batch), 'seed');
    await setQuota(admin, { 'client-id': 'c1' }, 'consumer_byte_rate', RATE);
    const consumer = await KafkaTestClient.connect(broker.port);
    try {
      const fetch = () => consumer.request<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, fetchRequest(), 'c1');
      const throttleMs = FETCH_FIXED_BYTES + batch.length - WINDOW_BYTES;
      const { first, muteMs } = await pipelined(consumer, fetch);
      assert.equal(first.throttleTimeMs, throttleMs);
      assert.equal(first.errorCode, ErrorCode.NONE);
      assert.deepEqual(first.responses, []);
      assert.ok(muteMs >= throttleMs - TIMER_SLACK_MS, `next response ${muteMs.toFixed(1)} ms later, throttled ${throttleMs} ms`);
      await setQuota(admin, { 'client-id': 'c1' }, 'consumer_byte_rate', null);
      const unthrottled = await fetch();
      assert.equal(unthrottled.throttleTimeMs, 0);
      assert.equal(unthrottled.responses[0].partitions[0].records?.length, batch.length);
    } finally {
      consumer.close();
    }
  });
});

test('consumer_byte_rate caps a Fetch at the bytes the quota window allows (Kafka KAFKA-9677)', async () => {
  await withQuotaBroker(async (broker, admin) => {
    const batch = await oneRecordBatch(6000);
    for (let i = 0; i < 2; i++) await admin.request(ApiKey.Produce, PRODUCE_VERSION, produceRequest(TOPIC, batch), 'seed');
    const consumer = await KafkaTestClient.connect(broker.port);
    try {
      const fetch = () => consumer.request<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, fetchRequest(), 'c2');
      assert.equal((await fetch()).responses[0].partitions[0].records?.length, 2 * batch.length);
      await setQuota(admin, { 'client-id': 'c2' }, 'consumer_byte_rate', RATE);
      const capped = await fetch();
      assert.equal(capped.throttleTimeMs, 0);
      assert.equal(capped.responses[0].partitions[0].records?.length, batch.length);
    } finally {
      consumer.close();
    }
  });
});

test('request_percentage: over it a response carries the throttle time, capped at one window, and a consumer Fetch comes back empty', async () => {
  await withQuotaBroker(async (broker, admin) => {
    await admin.request(ApiKey.Produce, PRODUCE_VERSION, produceRequest(TOPIC, await oneRecordBatch(100)), 'seed');
    // A quota no request can stay under (1e-6 % of a thread), so every request is throttled the most Kafka allows.
    for (const clientId of ['r1', 'r2']) await setQuota(admin, { 'client-id': clientId }, 'request_percentage', 1e-6);
    const [metadataClient, fetchClient] = await Promise.all([KafkaTestClient.connect(broker.port), KafkaTestClient.connect(broker.port)]);
    try {
      const metadata = pipelined(metadataClient, () => metadataClient.request<MetadataResponse>(ApiKey.Metadata, 9, {
        topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false,
      }, 'r1'));
      const fetch = pipelined(fetchClient, () => fetchClient.request<FetchResponse>(ApiKey.Fetch, FETCH_VERSION, fetchRequest(), 'r2'));
      const [m, f] = await Promise.all([metadata, fetch]);
      assert.equal(m.first.throttleTimeMs, WINDOW_MS);
      assert.ok(m.muteMs >= WINDOW_MS - TIMER_SLACK_MS, `next response ${m.muteMs.toFixed(1)} ms later`);
      assert.equal(f.first.throttleTimeMs, WINDOW_MS);
      assert.deepEqual(f.first.responses, []);
      assert.ok((await quotaMetric(broker, 'kafka_server_request_throttle_time', 'r1'))! > 0);
      // Others are not affected.
      const other = await admin.request<MetadataResponse>(ApiKey.Metadata, 9, {
        topics: [], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false,
      }, 'other');
      assert.equal(other.throttleTimeMs, 0);
    } finally {
      metadataClient.close();
      fetchClient.close();
    }
  });
});
