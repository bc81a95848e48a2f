/**
 * Records written by one client must read back identically in another, for every codec:
 * the broker stores what the producer wrote (kafkajs sends xerial-framed snappy as the
 * Java client does, librdkafka raw snappy), so each consumer must decode the other's
 * batches. Also topic configs that change what is stored: compression.type (the broker
 * recompresses) and message.timestamp.type=LogAppendTime (the broker stamps its time).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Consumer } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { Admin, Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { registerKafkajsCodecs } from './helpers/kafkajs-codecs.ts';
import { KafkajsReader } from './helpers/kafkajs-reader.ts';
import { kcat } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const { Kafka, CompressionTypes, logLevel, Partitioners } = kafkajs;
const CODECS = [
  ['none', CompressionTypes.None, 0],
  ['gzip', CompressionTypes.GZIP, 1],
  ['snappy', CompressionTypes.Snappy, 2],
  ['lz4', CompressionTypes.LZ4, 3],
  ['zstd', CompressionTypes.ZSTD, 4],
] as const;
const RECORDS = 30;

let broker: RunningBroker;
let admin: Admin;
let producer: Producer;
let reader: KafkajsReader;
let consumer: Consumer<Buffer, Buffer, Buffer, Buffer>;

before(async () => {
  registerKafkajsCodecs();
  broker = await startCompatBroker();
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-cross', logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  reader = new KafkajsReader(broker.bootstrap);
  consumer = new Consumer({ clientId: 'compat-cross', bootstrapBrokers: [broker.bootstrap], groupId: 'unused', maxWaitTime: 200 });
  await Promise.all([admin.connect(), producer.connect(), reader.connect()]);
});

after(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect(), reader?.disconnect(), consumer?.close()]);
  await broker?.stop();
});

interface KV {
  key: string;
  value: string;
}

const records = (tag: string): KV[] =>
  Array.from({ length: RECORDS }, (_, i) => ({ key: `${tag}-k${i}`, value: `${tag}-v${i}-${'z'.repeat(i * 7)}` }));

async function createTopic(topic: string, configEntries: { name: string; value: string }[] = []): Promise<void> {
  assert.equal(await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries }] }), true);
}

async function kcatRead(topic: string): Promise<(KV & { ts: number; tstype: string })[]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-J', '-q']);
  return out.toString('utf8').split('\n').filter((l) => l !== '').map((l) => {
    const r = JSON.parse(l) as { key: string; payload: string; ts: number; tstype: string };
    return { key: r.key, value: r.payload, ts: r.ts, tstype: r.tstype };
  });
}

async function kafkajsRead(topic: string): Promise<KV[]> {
  return (await reader.readAll(topic, 0)).map((m) => ({ key: String(m.key), value: String(m.value) }));
}

/** Batches of partition 0 as stored, read with platformatic's Fetch v17 (exposes attributes). */
async function platformaticBatches(topic: string): Promise<{ codec: number; timestampType: number; records: KV[]; maxTimestamp: bigint }[]> {
  const md = await consumer.metadata({ topics: [topic], forceUpdate: true });
  const t = md.topics.get(topic);
  assert.ok(t !== undefined);
  const res = await consumer.fetch({
    node: t.partitions[0].leader,
    topics: [{ topicId: t.id, partitions: [{ partition: 0, fetchOffset: 0n, partitionMaxBytes: 4 << 20, currentLeaderEpoch: -1, lastFetchedEpoch: -1 }] }],
  });
  const p = res.responses[0].partitions[0];
  assert.equal(p.errorCode, 0);
  return (p.records ?? []).map((b) => ({
    codec: b.attributes & 7,
    timestampType: (b.attributes >> 3) & 1,
    maxTimestamp: b.maxTimestamp,
    records: b.records.map((r) => ({ key: String(r.key), value: String(r.value) })),
  }));
}

for (const [name, kafkajsCodec, id] of CODECS) {
  test(`${name}: kafkajs-written batches read back in kcat and platformatic, kcat-written in kafkajs`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const fromKafkajs = `cross-kafkajs-${name}`;
    await createTopic(fromKafkajs);
    const sent = records(fromKafkajs);
    await producer.send({ topic: fromKafkajs, compression: kafkajsCodec, messages: sent.map((r) => ({ ...r, partition: 0 })) });
    assert.deepEqual((await kcatRead(fromKafkajs)).map(({ key, value }) => ({ key, value })), sent, 'kcat reads kafkajs batches');
    const batches = await platformaticBatches(fromKafkajs);
    assert.deepEqual(batches.flatMap((b) => b.records), sent, 'platformatic reads kafkajs batches');
    assert.ok(batches.every((b) => b.codec === id), 'stored with the producer\'s codec');

    const fromKcat = `cross-kcat-${name}`;
    const sentByKcat = records(fromKcat);
    await kcat(['-P', '-b', broker.bootstrap, '-t', fromKcat, '-p', '0', '-K', '\t', '-z', name], {
      input: sentByKcat.map((r) => `${r.key}\t${r.value}\n`).join(''),
    });
    assert.deepEqual(await kafkajsRead(fromKcat), sentByKcat, 'kafkajs reads kcat batches');
  });
}

test('topic compression.type=gzip: batches sent with lz4 are stored gzip and read back intact', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'cross-recompress';
  await createTopic(topic, [{ name: 'compression.type', value: 'gzip' }]);
  const sent = records(topic);
  await producer.send({ topic, compression: CompressionTypes.LZ4, messages: sent.map((r) => ({ ...r, partition: 0 })) });
  const batches = await platformaticBatches(topic);
  assert.ok(batches.length > 0 && batches.every((b) => b.codec === 1), `stored codecs ${batches.map((b) => b.codec).join(',')}`);
  assert.deepEqual(batches.flatMap((b) => b.records), sent);
  assert.deepEqual((await kcatRead(topic)).map(({ key, value }) => ({ key, value })), sent);
});

test('message.timestamp.type=LogAppendTime: the broker stamps its own time', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'cross-log-append-time';
  await createTopic(topic, [{ name: 'message.timestamp.type', value: 'LogAppendTime' }]);
  const sent = records(topic).slice(0, 5);
  const old = Date.now() - 86_400_000;
  const before = Date.now();
  await producer.send({ topic, messages: sent.map((r) => ({ ...r, partition: 0, timestamp: String(old) })) });
  const after = Date.now();
  const got = await kcatRead(topic);
  assert.deepEqual(got.map(({ key, value }) => ({ key, value })), sent);
  for (const r of got) {
    assert.equal(r.tstype, 'logappend');
    assert.ok(r.ts >= before && r.ts <= after, `log append time ${r.ts} within the produce call [${before}, ${after}]`);
  }
  const batches = await platformaticBatches(topic);
  assert.ok(batches.every((b) => b.timestampType === 1), 'batch timestamp type bit set');
});
