/**
 * @platformatic/kafka 2.12 against a Gregor broker: Admin create/list/metadata/describe
 * configs/delete; produce with every codec (keys, null keys and values, empty bytes,
 * headers incl. a repeated key and a null value, explicit timestamps) and read back with
 * Consumer.fetch (Fetch v17 by topic id, no group: consume() would need a coordinator)
 * from the beginning and from an offset; listOffsets (earliest/latest/by timestamp);
 * records near message.max.bytes; auto-creation on produce.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  Admin, ConfigResourceTypes, ConfigSources, Consumer, ProduceAcks, Producer,
  type CompressionAlgorithmValue, type MessageToProduce,
} from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import {
  assertPartitionContents, expectedByPartition, recordSet, seen, TIMESTAMP_STEP_MS,
  type SeenRecord, type SentRecord,
} from './helpers/records.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const PARTITIONS = 4;
const RECORDS = 40;
const MAX_MESSAGE_BYTES = 1_048_588; // Kafka's default message.max.bytes
const FETCH_MAX_BYTES = 8 * 1024 * 1024;
const FETCH_ROUNDS_MAX = 1000;

let broker: RunningBroker;
let admin: Admin;
let producer: Producer<Buffer, Buffer, Buffer, Buffer>;
let consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;

before(async () => {
  broker = await startCompatBroker();
  const base = { clientId: 'compat-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 2, autocreateTopics: false };
  admin = new Admin(base);
  producer = new Producer({ ...base, acks: ProduceAcks.ALL });
  consumer = new Consumer({ ...base, groupId: 'compat-platformatic-unused', maxWaitTime: 200 });
});

after(async () => {
  await Promise.all([admin?.close(), producer?.close(), consumer?.close()]);
  await broker?.stop();
});

function toMessage(topic: string, r: SentRecord): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  // Buffer keys compare by identity, so a Map can carry a repeated header name.
  const headers = new Map<Buffer, Buffer>(r.headers.map(([k, v]) => [Buffer.from(k), v as Buffer]));
  return {
    topic, partition: r.partition, key: r.key as Buffer, value: r.value as Buffer, headers, timestamp: BigInt(r.timestamp),
  };
}

async function topicInfo(topic: string): Promise<{ id: string; leaders: number[] }> {
  const md = await consumer.metadata({ topics: [topic], forceUpdate: true });
  const t = md.topics.get(topic);
  assert.ok(t !== undefined, `metadata for ${topic}`);
  return { id: t.id, leaders: t.partitions.map((p) => p.leader) };
}

/** Every record of one partition from `from` up to the high watermark, via Consumer.fetch. */
async function readPartition(topic: string, partition: number, from = 0): Promise<SeenRecord[]> {
  const { id, leaders } = await topicInfo(topic);
  const out: SeenRecord[] = [];
  let next = BigInt(from);
  for (let round = 0; round < FETCH_ROUNDS_MAX; round++) {
    const res = await consumer.fetch({
      node: leaders[partition],
      maxBytes: FETCH_MAX_BYTES,
      topics: [{ topicId: id, partitions: [{ partition, fetchOffset: next, partitionMaxBytes: FETCH_MAX_BYTES, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }] }],
    });
    const p = res.responses[0]?.partitions.find((x) => x.partitionIndex === partition);
    assert.ok(p !== undefined, `fetch response for ${topic}-${partition}`);
    assert.equal(p.errorCode, 0, `fetch ${topic}-${partition}@${next}`);
    const before = next;
    for (const batch of p.records ?? []) {
      for (const r of batch.records) {
        const offset = batch.firstOffset + BigInt(r.offsetDelta);
        if (offset < next) continue;
        out.push(seen({
          partition, offset: Number(offset), timestamp: Number(batch.firstTimestamp + r.timestampDelta), key: r.key, value: r.value,
          headers: r.headers.map(([k, v]): [string, Buffer | null] => [String(k), v]),
        }));
        next = offset + 1n;
      }
    }
    if (next >= p.highWatermark) return out;
    assert.notEqual(next, before, `fetch ${topic}-${partition}@${next} made no progress below ${p.highWatermark}`);
  }
  throw new Error('too many fetch rounds');
}

/** The Kafka error names (platformatic ProtocolError `apiId`) inside a nested client error. */
function protocolErrorIds(e: unknown): string[] {
  const err = e as { apiId?: string; errors?: unknown[] };
  return [...(err.apiId === undefined ? [] : [err.apiId]), ...(err.errors ?? []).flatMap(protocolErrorIds)];
}

async function readAll(topic: string, partitions: number, from = 0): Promise<SeenRecord[][]> {
  const out: SeenRecord[][] = [];
  for (let p = 0; p < partitions; p++) out.push(await readPartition(topic, p, from));
  return out;
}

async function createTopic(topic: string, partitions = PARTITIONS): Promise<void> {
  const [created] = await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  assert.equal(created.name, topic);
  assert.equal(created.partitions, partitions);
}

test('Admin: create, list, metadata, describe configs, delete', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'platformatic-admin';
  const [created] = await admin.createTopics({ topics: [topic], partitions: 3, replicas: 1, configs: [{ name: 'retention.ms', value: '3600000' }] });
  assert.equal(created.partitions, 3);
  assert.equal(created.replicas, 1);
  // platformatic prints the 16-byte topic id as a UUID string; it must not be the zero id.
  assert.match(created.id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(created.id, '00000000-0000-0000-0000-000000000000');
  assert.ok((await admin.listTopics()).includes(topic));
  await assert.rejects(admin.createTopics({ topics: [topic], partitions: 3, replicas: 1 }), /already exists/i);

  const md = await admin.metadata({ topics: [topic] });
  const t = md.topics.get(topic);
  assert.equal(t?.id, created.id);
  assert.equal(t?.partitionsCount, 3);
  for (const p of t?.partitions ?? []) {
    assert.ok(md.brokers.has(p.leader), 'leader is a listed broker');
    assert.deepEqual(p.replicas, [p.leader]);
    assert.deepEqual(p.isr, [p.leader]);
  }

  const [described] = await admin.describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic }] });
  const configs = new Map(described.configs.map((c) => [c.name, c]));
  assert.equal(configs.get('retention.ms')?.value, '3600000');
  assert.equal(configs.get('retention.ms')?.configSource, ConfigSources.DYNAMIC_TOPIC_CONFIG);
  assert.equal(configs.get('cleanup.policy')?.value, 'delete');
  assert.equal(configs.get('cleanup.policy')?.configSource, ConfigSources.DEFAULT_CONFIG);

  await admin.deleteTopics({ topics: [topic] });
  assert.ok(!(await admin.listTopics()).includes(topic));
});

const CODECS: CompressionAlgorithmValue[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

for (const compression of CODECS) {
  test(`produce and fetch with compression ${compression}: keys, nulls, headers, timestamps, order, offsets`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const topic = `platformatic-codec-${compression}`;
    await createTopic(topic);
    const sent = recordSet(topic, PARTITIONS, RECORDS, { repeatedHeaderKeys: true, nullHeaderValues: true, emptyBytes: true });
    const half = RECORDS / 2;
    for (const part of [sent.slice(0, half), sent.slice(half)]) {
      const res = await producer.send({ messages: part.map((r) => toMessage(topic, r)), compression });
      assert.equal(res.offsets?.length, PARTITIONS, 'one result per partition');
    }
    const expected = expectedByPartition(sent, PARTITIONS);
    assertPartitionContents(await readAll(topic, PARTITIONS), expected, `platformatic ${compression}`);
    assertPartitionContents(await readAll(topic, PARTITIONS, 3), expected.map((l) => l.slice(3)), `platformatic ${compression} from offset 3`);
  });
}

test('listOffsets: earliest, latest and by timestamp', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'platformatic-list-offsets';
  await createTopic(topic);
  const base = Date.now() - 3_600_000;
  await producer.send({ messages: recordSet(topic, PARTITIONS, RECORDS, { baseTimestamp: base }).map((r) => toMessage(topic, r)) });
  const perPartition = BigInt(RECORDS / PARTITIONS);
  const at = async (timestamp: bigint): Promise<bigint[]> => (await consumer.listOffsets({ topics: [topic], timestamp })).get(topic) ?? [];
  assert.deepEqual(await at(-2n), [0n, 0n, 0n, 0n], 'earliest');
  assert.deepEqual(await at(-1n), Array(PARTITIONS).fill(perPartition), 'latest');
  assert.deepEqual(await at(BigInt(base + 2.5 * TIMESTAMP_STEP_MS)), [3n, 3n, 3n, 3n], 'first record at or after the timestamp');
  assert.deepEqual(await at(BigInt(base + 4 * TIMESTAMP_STEP_MS)), [4n, 4n, 4n, 4n], 'exact timestamp');
  assert.deepEqual(await at(BigInt(Date.now() + 3_600_000)), [-1n, -1n, -1n, -1n], 'no record that late: -1');

  const listed = await admin.listOffsets({
    topics: [{ name: topic, partitions: [{ partitionIndex: 1, timestamp: BigInt(base + 2 * TIMESTAMP_STEP_MS) }] }],
  });
  const p1 = listed[0].partitions[0];
  assert.equal(p1.offset, 2n);
  assert.equal(p1.timestamp, BigInt(base + 2 * TIMESTAMP_STEP_MS), 'the found record\'s timestamp');
});

test('a ~1 MB record is accepted and read back; one over message.max.bytes is rejected with MESSAGE_TOO_LARGE', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'platformatic-large';
  await createTopic(topic, 1);
  const big = randomBytes(1_000_000);
  const first = await producer.send({ messages: [{ topic, partition: 0, key: Buffer.from('big'), value: big }] });
  assert.equal(first.offsets?.[0].offset, 0n);
  await assert.rejects(
    producer.send({ messages: [{ topic, partition: 0, key: Buffer.from('too-big'), value: randomBytes(MAX_MESSAGE_BYTES + 100) }] }),
    (e: Error) => {
      assert.deepEqual(protocolErrorIds(e), ['MESSAGE_TOO_LARGE']);
      return true;
    },
  );
  const after = await producer.send({ messages: [{ topic, partition: 0, key: Buffer.from('after'), value: Buffer.from('small') }] });
  assert.equal(after.offsets?.[0].offset, 1n, 'the rejected record took no offset');
  const got = await readPartition(topic, 0);
  assert.equal(got.length, 2);
  assert.equal(got[0].value, big.toString('hex'));
});

test('producing to an unknown topic auto-creates it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'platformatic-auto-created';
  assert.ok(!(await admin.listTopics()).includes(topic));
  const res = await producer.send({ messages: [{ topic, key: Buffer.from('k'), value: Buffer.from('first') }], autocreateTopics: true });
  const partition = res.offsets?.[0].partition ?? -1;
  assert.equal(res.offsets?.[0].offset, 0n);
  assert.ok((await admin.listTopics()).includes(topic));
  const got = await readPartition(topic, partition);
  assert.deepEqual(got.map((r) => [r.key, r.value]), [[Buffer.from('k').toString('hex'), Buffer.from('first').toString('hex')]]);
});
