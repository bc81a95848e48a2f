/**
 * kafkajs 2.2.4 against a Gregor broker: admin topic operations, produce + read back with
 * every codec (snappy/lz4/zstd through test codec plugins), headers, null keys and values,
 * records near message.max.bytes, ListOffsets (earliest/latest/by timestamp), reading from
 * an offset, and topic auto-creation on produce. kafkajs's consumer needs a group, so
 * records are read with kafkajs's own Fetch path without one (helpers/kafkajs-reader.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient, Message, Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { registerKafkajsCodecs } from './helpers/kafkajs-codecs.ts';
import { KafkajsReader, type KafkajsMessage } from './helpers/kafkajs-reader.ts';
import {
  assertPartitionContents, expectedByPartition, groupHeaders, recordSet, seen, TIMESTAMP_STEP_MS,
  type SeenRecord, type SentRecord,
} from './helpers/records.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const { Kafka, CompressionTypes, ConfigResourceTypes, logLevel, Partitioners } = kafkajs;
const PARTITIONS = 4;
const RECORDS = 40;
const MAX_MESSAGE_BYTES = 1_048_588; // Kafka's default message.max.bytes

let kafka: KafkaClient;
let admin: Admin;
let producer: Producer;
let reader: KafkajsReader;
let broker: RunningBroker;

before(async () => {
  registerKafkajsCodecs();
  broker = await startCompatBroker();
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-kafkajs', logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  reader = new KafkajsReader(broker.bootstrap);
  await Promise.all([admin.connect(), producer.connect(), reader.connect()]);
});

after(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect(), reader?.disconnect()]);
  await broker?.stop();
});

function toMessage(r: SentRecord): Message {
  const headers: Record<string, Buffer[]> = {};
  for (const [k, v] of r.headers) (headers[k] ??= []).push(v as Buffer);
  return { partition: r.partition, key: r.key, value: r.value, headers, timestamp: String(r.timestamp) };
}

function fromKafkajs(partition: number, m: KafkajsMessage): SeenRecord {
  const headers = Object.entries(m.headers).flatMap(([k, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, Buffer | null | undefined] => [k, x]));
  return seen({ partition, offset: Number(m.offset), timestamp: Number(m.timestamp), key: m.key, value: m.value, headers });
}

async function readPartitions(topic: string, partitions: number, from = 0): Promise<SeenRecord[][]> {
  const out: SeenRecord[][] = [];
  for (let p = 0; p < partitions; p++) out.push((await reader.readAll(topic, p, from)).map((m) => fromKafkajs(p, m)));
  return out;
}

/** kafkajs exposes headers as an object, so only per-key order survives. */
function kafkajsView(parts: SeenRecord[][]): SeenRecord[][] {
  return parts.map((list) => list.map((r) => ({ ...r, headers: groupHeaders(r.headers) })));
}

async function createTopic(topic: string, numPartitions = PARTITIONS, configEntries: { name: string; value: string }[] = []): Promise<void> {
  const created = await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true });
  assert.equal(created, true, `createTopics ${topic}`);
}

test('admin: create, list, describe metadata and configs, delete', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-admin';
  await createTopic(topic, 3, [{ name: 'retention.ms', value: '3600000' }]);
  assert.ok((await admin.listTopics()).includes(topic));
  assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }), false, 'creating an existing topic reports false');

  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(topics.length, 1);
  assert.deepEqual(topics[0].partitions.map((p) => p.partitionId).sort(), [0, 1, 2]);
  for (const p of topics[0].partitions) {
    assert.equal(p.partitionErrorCode, 0);
    assert.ok(p.leader >= 0, 'every partition has a leader');
    assert.deepEqual(p.replicas, [p.leader]);
    assert.deepEqual(p.isr, [p.leader]);
  }

  const described = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }], includeSynonyms: false });
  const entries = new Map(described.resources[0].configEntries.map((e) => [e.configName, e]));
  assert.equal(described.resources[0].errorCode, 0);
  assert.equal(entries.get('retention.ms')?.configValue, '3600000');
  assert.equal(entries.get('retention.ms')?.isDefault, false);
  assert.equal(entries.get('cleanup.policy')?.configValue, 'delete');
  assert.equal(entries.get('cleanup.policy')?.isDefault, true);
  assert.ok(entries.has('max.message.bytes'), 'every topic config is described');

  await admin.deleteTopics({ topics: [topic] });
  assert.ok(!(await admin.listTopics()).includes(topic));
});

const CODECS = [
  ['none', CompressionTypes.None],
  ['gzip', CompressionTypes.GZIP],
  ['snappy', CompressionTypes.Snappy],
  ['lz4', CompressionTypes.LZ4],
  ['zstd', CompressionTypes.ZSTD],
] as const;

for (const [name, compression] of CODECS) {
  test(`produce and read back with compression ${name}: keys, nulls, headers, order, offsets`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const topic = `kafkajs-codec-${name}`;
    await createTopic(topic);
    // kafkajs cannot send a null header value (its encoder calls Buffer.from on it).
    const sent = recordSet(topic, PARTITIONS, RECORDS, { repeatedHeaderKeys: true, emptyBytes: true });
    // Two sends so each partition holds more than one batch.
    const half = RECORDS / 2;
    const results = [
      ...(await producer.send({ topic, compression, messages: sent.slice(0, half).map(toMessage) })),
      ...(await producer.send({ topic, compression, messages: sent.slice(half).map(toMessage) })),
    ];
    for (const r of results) assert.equal(r.errorCode, 0);
    const firstBatch = results.slice(0, PARTITIONS).sort((a, b) => a.partition - b.partition);
    assert.deepEqual(firstBatch.map((r) => r.baseOffset), ['0', '0', '0', '0'], 'first batch of each partition at offset 0');

    const expected = expectedByPartition(sent, PARTITIONS);
    assertPartitionContents(kafkajsView(await readPartitions(topic, PARTITIONS)), kafkajsView(expected), `kafkajs ${name}`);
    // Reading from an offset inside a batch returns exactly the records from there on.
    assertPartitionContents(kafkajsView(await readPartitions(topic, PARTITIONS, 3)), kafkajsView(expected.map((l) => l.slice(3))), `kafkajs ${name} from offset 3`);
  });
}

test('ListOffsets: earliest, latest and by timestamp', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-list-offsets';
  await createTopic(topic);
  const base = Date.now() - 3_600_000;
  const sent = recordSet(topic, PARTITIONS, RECORDS, { baseTimestamp: base });
  await producer.send({ topic, messages: sent.map(toMessage) });
  const perPartition = RECORDS / PARTITIONS;

  const ends = await admin.fetchTopicOffsets(topic);
  for (const o of ends) {
    assert.equal(o.low, '0');
    assert.equal(o.high, String(perPartition));
  }
  // Partition p's records have timestamps base, base+step, ... so the first record at or
  // after base + 2.5 steps is offset 3.
  const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, base + 2.5 * TIMESTAMP_STEP_MS);
  assert.deepEqual(byTime.map((o) => [o.partition, o.offset]).sort(), [[0, '3'], [1, '3'], [2, '3'], [3, '3']]);
  const exact = await admin.fetchTopicOffsetsByTimestamp(topic, base + 4 * TIMESTAMP_STEP_MS);
  assert.ok(exact.every((o) => o.offset === '4'), 'an exact timestamp match returns that record');
  const early = await admin.fetchTopicOffsetsByTimestamp(topic, base - 1);
  assert.ok(early.every((o) => o.offset === '0'));
  // No record that late: Kafka answers -1, which kafkajs replaces with the high watermark.
  const late = await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() + 3_600_000);
  assert.ok(late.every((o) => o.offset === String(perPartition)));
});

test('keyed records without a partition go where the client partitioner says', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-keyed';
  await createTopic(topic);
  const keys = Array.from({ length: 24 }, (_, i) => `user-${i}`);
  const send = async (round: number): Promise<void> => {
    await producer.send({ topic, messages: keys.map((k) => ({ key: k, value: `${k}-r${round}` })) });
  };
  await send(1);
  await send(2);
  const parts = await Promise.all(Array.from({ length: PARTITIONS }, (_, p) => reader.readAll(topic, p)));
  const partitionOfKey = new Map<string, Set<number>>();
  parts.forEach((msgs, p) => {
    for (const m of msgs) {
      const key = String(m.key);
      partitionOfKey.set(key, (partitionOfKey.get(key) ?? new Set()).add(p));
    }
    const rounds = msgs.map((m) => String(m.value).split('-r')[1]);
    assert.deepEqual(rounds, [...rounds].sort(), `partition ${p}: round 1 before round 2`);
  });
  assert.equal(parts.flat().length, keys.length * 2);
  for (const k of keys) assert.equal(partitionOfKey.get(k)?.size, 1, `${k} always on one partition`);
  assert.ok(parts.filter((m) => m.length > 0).length > 1, 'keys spread over several partitions');
});

test('a ~1 MB record is accepted and read back; one over message.max.bytes is rejected with MESSAGE_TOO_LARGE', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-large';
  await createTopic(topic, 1);
  const big = randomBytes(1_000_000);
  const [ok] = await producer.send({ topic, messages: [{ key: 'big', value: big }] });
  assert.equal(ok.baseOffset, '0');

  const tooBig = randomBytes(MAX_MESSAGE_BYTES + 100);
  await assert.rejects(
    producer.send({ topic, messages: [{ key: 'too-big', value: tooBig }] }),
    (e: Error & { type?: string; cause?: { type?: string } }) => {
      assert.match(`${e.type ?? ''} ${e.cause?.type ?? ''} ${e.message}`, /MESSAGE_TOO_LARGE|larger than the max/);
      return true;
    },
  );
  const [after] = await producer.send({ topic, messages: [{ key: 'after', value: 'small' }] });
  assert.equal(after.baseOffset, '1', 'the rejected record took no offset');

  const msgs = await reader.readAll(topic, 0);
  assert.equal(msgs.length, 2);
  assert.ok(msgs[0].value?.equals(big), '1 MB value intact');
  // KIP-74: a first batch larger than the fetch's max bytes is still returned whole.
  const small = await reader.fetchOnce(topic, 0, 0, 1000);
  assert.ok(small.messages[0]?.value?.equals(big), 'oversized first batch returned despite maxBytes=1000');
  assert.equal(String(msgs[1].key), 'after');
});

test('producing to an unknown topic auto-creates it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-auto-created';
  assert.ok(!(await admin.listTopics()).includes(topic));
  const [r] = await producer.send({ topic, messages: [{ key: 'k', value: 'first' }] });
  assert.equal(r.errorCode, 0);
  assert.ok((await admin.listTopics()).includes(topic));
  const msgs = await reader.readAll(topic, r.partition);
  assert.deepEqual(msgs.map((m) => [String(m.key), String(m.value)]), [['k', 'first']]);
});

test('a topic-level max.message.bytes is enforced', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-small-max';
  await createTopic(topic, 1, [{ name: 'max.message.bytes', value: '2000' }]);
  const [ok] = await producer.send({ topic, messages: [{ value: Buffer.alloc(1000, 'a') }] });
  assert.equal(ok.baseOffset, '0');
  await assert.rejects(producer.send({ topic, messages: [{ value: randomBytes(3000) }] }), (e: Error & { type?: string }) => {
    assert.match(`${e.type ?? ''} ${e.message}`, /MESSAGE_TOO_LARGE|larger than the max/);
    return true;
  });
});

test('acks=0 records are written in order before a later acknowledged record', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-acks0';
  await createTopic(topic, 1);
  for (let i = 0; i < 5; i++) await producer.send({ topic, acks: 0, messages: [{ partition: 0, value: `fire-${i}` }] });
  // Same connection: the broker handles requests in order, so the acked one comes last.
  const [last] = await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'acked' }] });
  assert.equal(last.baseOffset, '5');
  const msgs = await reader.readAll(topic, 0);
  assert.deepEqual(msgs.map((m) => String(m.value)), ['fire-0', 'fire-1', 'fire-2', 'fire-3', 'fire-4', 'acked']);
});

test('reading past the end gets OFFSET_OUT_OF_RANGE', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-out-of-range';
  await createTopic(topic, 1);
  await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }] });
  assert.equal((await reader.fetchOnce(topic, 0, 2)).errorCode, 0, 'the log end offset itself is in range');
  // kafkajs turns the partition error into an exception.
  const outOfRange = (e: Error & { type?: string }): boolean => e.type === 'OFFSET_OUT_OF_RANGE';
  await assert.rejects(reader.fetchOnce(topic, 0, 3), outOfRange);
  await assert.rejects(reader.fetchOnce(topic, 0, -5), outOfRange);
});

test('a deleted topic recreated under the same name starts empty', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-recreated';
  await createTopic(topic, 2);
  await producer.send({ topic, messages: [{ partition: 0, value: 'old-0' }, { partition: 1, value: 'old-1' }] });
  await admin.deleteTopics({ topics: [topic] });
  await createTopic(topic, 2);
  const [r] = await producer.send({ topic, messages: [{ partition: 1, value: 'new-1' }] });
  assert.equal(r.baseOffset, '0');
  assert.deepEqual((await reader.readAll(topic, 0)).map((m) => String(m.value)), []);
  assert.deepEqual((await reader.readAll(topic, 1)).map((m) => String(m.value)), ['new-1']);
});

test('createPartitions adds partitions that take records', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-more-partitions';
  await createTopic(topic, 2);
  await admin.createPartitions({ topicPartitions: [{ topic, count: 5 }] });
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.deepEqual(topics[0].partitions.map((p) => p.partitionId).sort(), [0, 1, 2, 3, 4]);
  const [r] = await producer.send({ topic, messages: [{ partition: 4, value: 'in-new-partition' }] });
  assert.equal(r.partition, 4);
  assert.deepEqual((await reader.readAll(topic, 4)).map((m) => String(m.value)), ['in-new-partition']);
  await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] }), /INVALID_PARTITIONS|partitions/i);
});
