/**
 * kafkajs 2.2.4 admin against Gregor for the log-lifecycle APIs: alterConfigs
 * (AlterConfigs) and describeConfigs on topics and brokers, topic configs taking effect
 * without a restart (max.message.bytes, compression.type, message.timestamp.type,
 * message.timestamp.before/after.max.ms),
 * deleteTopicRecords (DeleteRecords) with fetchTopicOffsets showing the new log start and
 * Fetch below it answering OFFSET_OUT_OF_RANGE, and retention driven by a manual clock.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Admin, Kafka as KafkaClient, Producer } from 'kafkajs';
import { startBroker, type RunningBroker } from '../../src/broker.ts';
import { ManualClock } from '../../src/clock.ts';
import { createLogger } from '../../src/logger.ts';
import { KafkajsReader } from './helpers/kafkajs-reader.ts';

const { Kafka, ConfigResourceTypes, logLevel, Partitioners } = kafkajs;
const CONFIG_SOURCE_TOPIC = 1;
const CONFIG_SOURCE_DYNAMIC_BROKER = 2;
/** Byte offset of the attributes field in a v2 record batch; codec in its low 3 bits. */
const ATTRIBUTES_OFFSET = 21;
const GZIP = 1;

let broker: RunningBroker;
let clock: ManualClock;
let kafka: KafkaClient;
let admin: Admin;
let producer: Producer;
let reader: KafkajsReader;

before(async () => {
  clock = new ManualClock(Date.now());
  broker = await startBroker({
    config: { listeners: 'PLAINTEXT://127.0.0.1:0', 'log.retention.check.interval.ms': '1000' },
    logger: createLogger({ level: 'warn', destination: process.stderr }),
    clock,
  });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-log-admin', logLevel: logLevel.NOTHING, retry: { retries: 2 } });
  admin = kafka.admin();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  reader = new KafkajsReader(broker.bootstrap);
  await Promise.all([admin.connect(), producer.connect(), reader.connect()]);
});

after(async () => {
  await Promise.all([admin?.disconnect(), producer?.disconnect(), reader?.disconnect()]);
  await broker?.stop();
});

async function setTopicConfigs(topic: string, entries: Record<string, string>): Promise<void> {
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: Object.entries(entries).map(([name, value]) => ({ name, value })) }],
  });
}

async function topicConfig(topic: string, name: string): Promise<{ configValue: string; configSource: number }> {
  const res = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }] });
  return res.resources[0].configEntries[0] as unknown as { configValue: string; configSource: number };
}

test('alterConfigs on a topic takes effect at once: max.message.bytes, compression.type, message.timestamp.type', async () => {
  const topic = 'kjs-alter';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  await setTopicConfigs(topic, { 'max.message.bytes': '2000' });
  const maxBytes = await topicConfig(topic, 'max.message.bytes');
  assert.deepEqual([maxBytes.configValue, maxBytes.configSource], ['2000', CONFIG_SOURCE_TOPIC]);
  await assert.rejects(producer.send({ topic, acks: 1, messages: [{ value: Buffer.alloc(5000, 1) }] }), (err: Error & { type?: string }) => {
    assert.equal(err.type ?? (err as { cause?: { type?: string } }).cause?.type, 'MESSAGE_TOO_LARGE', String(err));
    return true;
  });
  // AlterConfigs replaces the whole set: max.message.bytes goes back to the default.
  await setTopicConfigs(topic, { 'compression.type': 'gzip', 'message.timestamp.type': 'LogAppendTime' });
  await producer.send({ topic, acks: 1, messages: [{ value: Buffer.alloc(5000, 1), timestamp: '1000' }] });
  const [message] = await reader.readAll(topic, 0);
  assert.equal(Number(message.timestamp), clock.now(), 'LogAppendTime: the broker clock');
  const read = await broker.services.logs.getLog(topic, 0)!.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 1, minOneBatch: true });
  assert.equal(read.kind, 'records');
  if (read.kind === 'records') assert.equal(read.records.readInt16BE(ATTRIBUTES_OFFSET) & 7, GZIP, 'recompressed with the topic codec');
});

test('message.timestamp.before.max.ms / after.max.ms set with alterConfigs bound CreateTime at once', async () => {
  const topic = 'kjs-timestamps';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
  const send = (timestamp: number) => producer.send({ topic, acks: 1, messages: [{ value: 'x', timestamp: String(timestamp) }] });
  await send(clock.now() - 3_600_000);
  await setTopicConfigs(topic, { 'message.timestamp.before.max.ms': '60000', 'message.timestamp.after.max.ms': '60000' });
  const invalidTimestamp = (err: Error & { type?: string }) => err.type === 'INVALID_TIMESTAMP';
  await assert.rejects(send(clock.now() - 3_600_000), invalidTimestamp);
  await assert.rejects(send(clock.now() + 3_600_000), invalidTimestamp);
  await send(clock.now() - 30_000);
});

test('describeConfigs on a broker reflects a dynamic broker config set with alterConfigs', async () => {
  // kafkajs refuses the empty resource name of the cluster-wide default itself.
  await admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [{ name: 'log.retention.bytes', value: '1073741824' }] }],
  });
  const res = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configNames: ['log.retention.bytes'] }] });
  const entry = res.resources[0].configEntries[0] as unknown as { configValue: string; configSource: number; readOnly: boolean };
  assert.deepEqual([entry.configValue, entry.configSource, entry.readOnly], ['1073741824', CONFIG_SOURCE_DYNAMIC_BROKER, false]);
  const topic = (await topicConfig('kjs-alter', 'retention.bytes'));
  assert.deepEqual([topic.configValue, topic.configSource], ['1073741824', CONFIG_SOURCE_DYNAMIC_BROKER]);
  assert.equal(broker.services.logs.getLog('kjs-alter', 0)!.config.retentionBytes, 1073741824);
  await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [] }] });
  assert.equal(broker.services.logs.getLog('kjs-alter', 0)!.config.retentionBytes, -1);
  await assert.rejects(admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.BROKER, name: '1', configEntries: [{ name: 'num.partitions', value: '5' }] }],
  }), (err: Error & { type?: string }) => err.type === 'INVALID_REQUEST'); // kafkajs drops the broker's message
});

test('deleteTopicRecords moves the log start: fetchTopicOffsets low, Fetch below it is OFFSET_OUT_OF_RANGE', async () => {
  const topic = 'kjs-delete-records';
  await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
  await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ partition: 0, value: `v${i}` })) });
  // kafkajs looks the leaders up in its cached metadata before refreshing it.
  assert.equal((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)?.low, '0');
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '6' }] });
  const offsets = await admin.fetchTopicOffsets(topic);
  assert.deepEqual(offsets.find((o) => o.partition === 0), { partition: 0, offset: '10', high: '10', low: '6' });
  await assert.rejects(reader.fetchOnce(topic, 0, 2), (err: Error & { type?: string }) => err.type === 'OFFSET_OUT_OF_RANGE');
  const rest = await reader.readAll(topic, 0, 6);
  assert.deepEqual(rest.map((m) => [Number(m.offset), m.value?.toString()]), [[6, 'v6'], [7, 'v7'], [8, 'v8'], [9, 'v9']]);
  await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '-1' }] });
  assert.equal((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 0)?.low, '10');
});

test('retention.ms: after expiry the topic shrinks to its active segment and the log start moves to the end', async () => {
  const topic = 'kjs-retention';
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'segment.ms', value: '1000' }, { name: 'retention.ms', value: '60000' }] }] });
  const start = clock.now();
  // One batch per send; 10 s apart in record time, so each one rolls a new segment.
  for (let i = 0; i < 5; i++) await producer.send({ topic, acks: 1, messages: [{ value: `r${i}`, timestamp: String(start + i * 10_000) }] });
  const log = broker.services.logs.getLog(topic, 0)!;
  assert.equal(log.segmentCount, 5);
  clock.advance(45_000);
  await broker.services.logs.tick();
  assert.equal(log.segmentCount, 5, 'nothing is older than retention.ms yet');
  clock.advance(30_000); // now start + 75 s: the batches of start and start + 10 s are past 60 s
  await broker.services.logs.tick();
  assert.deepEqual((await admin.fetchTopicOffsets(topic))[0], { partition: 0, offset: '5', high: '5', low: '2' });
  clock.advance(60_000);
  await broker.services.logs.tick();
  assert.deepEqual([log.segmentCount, log.size], [1, 0], 'only the (empty, rolled) active segment is left');
  assert.deepEqual((await admin.fetchTopicOffsets(topic))[0], { partition: 0, offset: '5', high: '5', low: '5' });
  await producer.send({ topic, acks: 1, messages: [{ value: 'after' }] });
  assert.deepEqual((await reader.readAll(topic, 0, 5)).map((m) => m.value?.toString()), ['after']);
});
