import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { EmbeddedMetadataStore, METADATA_DIR_NAME, METADATA_LOG_FILE_NAME } from '../../src/cluster/embedded-store.ts';
import type { MetadataChange } from '../../src/cluster/metadata-store.ts';
import { ZERO_UUID } from '../../src/cluster/uuid.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { brokerConfig, openStore, rejectsWith, tempDir } from './helpers.ts';

const spec = (name: string, extra: object = {}) => ({ name, numPartitions: 3, replicationFactor: 1, configs: {}, ...extra });

test('registers itself as the only broker and controller', async () => {
  const store = await openStore(await tempDir(), { 'node.id': '7', 'broker.rack': 'r1' });
  const image = store.image();
  assert.deepEqual(image.brokerIds(), [7]);
  assert.equal(image.controllerId, 7);
  assert.deepEqual(image.broker(7), {
    nodeId: 7,
    host: 'localhost',
    port: 9092,
    rack: 'r1',
    endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }],
  });
  assert.equal(image.clusterId.length, 22);
  await store.close();
});

test('createTopic: leader = first replica, epoch 0, isr = replicas, random id', async () => {
  const store = await openStore(await tempDir());
  const topic = await store.createTopic(spec('orders', { configs: { 'cleanup.policy': 'compact' } }));
  assert.equal(topic.partitions.length, 3);
  assert.equal(topic.topicId.length, 22);
  assert.notEqual(topic.topicId, ZERO_UUID);
  assert.equal(topic.isInternal, false);
  assert.deepEqual(topic.configs, { 'cleanup.policy': 'compact' });
  topic.partitions.forEach((p, i) => {
    assert.deepEqual(p, { partition: i, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1], isr: [1], offlineReplicas: [] });
  });
  assert.equal(store.image().topicById(topic.topicId), store.image().topic('orders'));
  await store.close();
});

test('createTopic: -1 means the broker defaults', async () => {
  const store = await openStore(await tempDir(), { 'num.partitions': '4' });
  const topic = await store.createTopic(spec('t', { numPartitions: -1, replicationFactor: -1 }));
  assert.equal(topic.partitions.length, 4);
  assert.deepEqual(topic.partitions[0].replicas, [1]);
  await store.close();
});

test('createTopic: internal topics are flagged', async () => {
  const store = await openStore(await tempDir());
  assert.equal((await store.createTopic(spec('__consumer_offsets'))).isInternal, true);
  await store.close();
});

test('createTopic errors carry Kafka codes', async () => {
  const store = await openStore(await tempDir());
  await store.createTopic(spec('a.b'));
  await rejectsWith(store.createTopic(spec('a.b')), ErrorCode.TOPIC_ALREADY_EXISTS);
  await rejectsWith(store.createTopic(spec('a_b')), ErrorCode.INVALID_TOPIC_EXCEPTION, /collides/);
  await rejectsWith(store.createTopic(spec('bad name')), ErrorCode.INVALID_TOPIC_EXCEPTION);
  await rejectsWith(store.createTopic(spec('..')), ErrorCode.INVALID_TOPIC_EXCEPTION);
  await rejectsWith(store.createTopic(spec('t', { numPartitions: 0 })), ErrorCode.INVALID_PARTITIONS);
  await rejectsWith(store.createTopic(spec('t', { numPartitions: -2 })), ErrorCode.INVALID_PARTITIONS);
  await rejectsWith(store.createTopic(spec('t', { numPartitions: 10_001 })), ErrorCode.POLICY_VIOLATION);
  await rejectsWith(store.createTopic(spec('t', { replicationFactor: 0 })), ErrorCode.INVALID_REPLICATION_FACTOR);
  await rejectsWith(store.createTopic(spec('t', { replicationFactor: 2 })), ErrorCode.INVALID_REPLICATION_FACTOR, /only 1 broker/);
  await rejectsWith(store.createTopic(spec('t', { configs: { 'retention.ms': 'x' } })), ErrorCode.INVALID_CONFIG, /retention\.ms/);
  await rejectsWith(store.createTopic(spec('t', { configs: { nope: '1' } })), ErrorCode.INVALID_CONFIG, /nope/);
  assert.equal(store.image().topic('t'), undefined);
  await store.close();
});

test('createTopic with manual assignments', async () => {
  const store = await openStore(await tempDir());
  const manual = (assignments: number[][], extra: object = {}) =>
    spec('m', { numPartitions: -1, replicationFactor: -1, assignments, ...extra });
  await rejectsWith(store.createTopic(manual([[1]], { numPartitions: 1 })), ErrorCode.INVALID_REQUEST, /numPartitions/);
  await rejectsWith(store.createTopic(manual([[1]], { replicationFactor: 1 })), ErrorCode.INVALID_REQUEST, /replication factor/);
  await rejectsWith(store.createTopic(manual([[2]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT, /broker 2, but no such broker is registered/);
  await rejectsWith(store.createTopic(manual([[1, 1]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT, /broker 1 more than once/);
  await rejectsWith(store.createTopic(manual([[]])), ErrorCode.INVALID_REPLICA_ASSIGNMENT, /empty replica list/);
  await rejectsWith(store.createTopic(manual([])), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  const topic = await store.createTopic(manual([[1], [1]]));
  assert.deepEqual(topic.partitions.map((p) => p.replicas), [[1], [1]]);
  await store.close();
});

test('validateOnly changes nothing (the answer still carries a fresh id, as in Kafka)', async () => {
  const store = await openStore(await tempDir());
  const version = store.image().version;
  const topic = await store.createTopic(spec('v', { validateOnly: true }));
  assert.notEqual(topic.topicId, ZERO_UUID);
  assert.equal(store.image().topicById(topic.topicId), undefined);
  assert.equal(topic.partitions.length, 3);
  assert.equal(store.image().topic('v'), undefined);
  assert.equal(store.image().version, version);
  await store.createTopic(spec('v'));
  await rejectsWith(store.createTopic(spec('v', { validateOnly: true })), ErrorCode.TOPIC_ALREADY_EXISTS);
  assert.equal((await store.createPartitions('v', 5, undefined, true)).partitions.length, 5);
  assert.equal(store.image().topic('v')!.partitions.length, 3);
  await store.alterTopicConfigs('v', { 'retention.ms': '5' }, true);
  assert.deepEqual(store.image().topic('v')!.configs, {});
  await store.close();
});

test('deleteTopic / deleteTopicById', async () => {
  const store = await openStore(await tempDir());
  const a = await store.createTopic(spec('a'));
  const b = await store.createTopic(spec('b'));
  assert.equal((await store.deleteTopic('a')).topicId, a.topicId);
  assert.equal(store.image().topic('a'), undefined);
  assert.equal(store.image().topicById(a.topicId), undefined);
  await rejectsWith(store.deleteTopic('a'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal((await store.deleteTopicById(b.topicId)).name, 'b');
  await rejectsWith(store.deleteTopicById(b.topicId), ErrorCode.UNKNOWN_TOPIC_ID);
  await store.createTopic(spec('a'));
  await store.close();
});

test('deleteTopic is refused when delete.topic.enable=false', async () => {
  const store = await openStore(await tempDir(), { 'delete.topic.enable': 'false' });
  const t = await store.createTopic(spec('a'));
  await rejectsWith(store.deleteTopic('a'), ErrorCode.TOPIC_DELETION_DISABLED);
  await rejectsWith(store.deleteTopicById(t.topicId), ErrorCode.TOPIC_DELETION_DISABLED);
  assert.ok(store.image().topic('a'));
  await store.close();
});

test('createPartitions', async () => {
  const store = await openStore(await tempDir());
  await store.createTopic(spec('p'));
  await rejectsWith(store.createPartitions('nope', 4), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  await rejectsWith(store.createPartitions('p', 2), ErrorCode.INVALID_PARTITIONS, /higher than/);
  await rejectsWith(store.createPartitions('p', 3), ErrorCode.INVALID_PARTITIONS, /already has 3 partition\(s\)/);
  await rejectsWith(store.createPartitions('p', 5, [[1]]), ErrorCode.INVALID_REPLICA_ASSIGNMENT, /only 1/);
  await rejectsWith(store.createPartitions('p', 4, [[9]]), ErrorCode.INVALID_REPLICA_ASSIGNMENT, /no such broker is registered/);
  await rejectsWith(store.createPartitions('p', 4, [[1, 1]]), ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  const grown = await store.createPartitions('p', 5);
  assert.deepEqual(grown.partitions.map((p) => p.partition), [0, 1, 2, 3, 4]);
  assert.deepEqual(grown.partitions[4], { partition: 4, leader: 1, leaderEpoch: 0, partitionEpoch: 0, replicas: [1], isr: [1], offlineReplicas: [] });
  assert.equal((await store.createPartitions('p', 6, [[1]])).partitions.length, 6);
  await store.close();
});

test('alterTopicConfigs replaces the override set and validates it', async () => {
  const store = await openStore(await tempDir());
  await store.createTopic(spec('c', { configs: { 'retention.ms': '1' } }));
  await rejectsWith(store.alterTopicConfigs('nope', {}), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  await rejectsWith(store.alterTopicConfigs('c', { 'segment.bytes': '1' }), ErrorCode.INVALID_CONFIG, /segment\.bytes/);
  const t = await store.alterTopicConfigs('c', { 'cleanup.policy': 'compact' });
  assert.deepEqual(t.configs, { 'cleanup.policy': 'compact' });
  assert.deepEqual(store.image().topic('c')!.configs, { 'cleanup.policy': 'compact' });
  await store.close();
});

test('listeners see each applied change with the new image', async () => {
  const store = await openStore(await tempDir());
  const seen: MetadataChange['kind'][] = [];
  const unsubscribe = store.onChange((image, change) => {
    seen.push(change.kind);
    if (change.kind === 'topic-created') assert.ok(image.topic(change.topic.name));
    if (change.kind === 'partitions-created') assert.equal(change.firstNewPartition, 3);
  });
  await store.createTopic(spec('l'));
  await store.createPartitions('l', 4);
  await store.alterTopicConfigs('l', { 'retention.ms': '9' });
  await store.deleteTopic('l');
  await rejectsWith(store.deleteTopic('l'), ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  unsubscribe();
  await store.createTopic(spec('m'));
  assert.deepEqual(seen, ['topic-created', 'partitions-created', 'topic-configs', 'topic-deleted']);
  await store.close();
});

test('concurrent creates of the same name: exactly one wins', async () => {
  const store = await openStore(await tempDir());
  const results = await Promise.allSettled([store.createTopic(spec('race')), store.createTopic(spec('race'))]);
  assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
  await store.close();
});

test('state survives reopen', async () => {
  const dir = await tempDir();
  const store = await openStore(dir);
  const kept = await store.createTopic(spec('kept', { configs: { 'retention.ms': '100' } }));
  await store.createTopic(spec('gone'));
  await store.createPartitions('kept', 5);
  await store.alterTopicConfigs('kept', { 'retention.ms': '200' });
  await store.deleteTopic('gone');
  const clusterId = store.image().clusterId;
  await store.close();

  const reopened = await openStore(dir);
  const image = reopened.image();
  assert.equal(image.clusterId, clusterId);
  assert.deepEqual(image.topic('kept'), { ...kept, partitions: image.topic('kept')!.partitions, configs: { 'retention.ms': '200' } });
  assert.equal(image.topic('kept')!.partitions.length, 5);
  assert.equal(image.topic('gone'), undefined);
  assert.deepEqual(image.brokerIds(), [1]);
  await reopened.close();
});

test('a torn last metadata record is ignored at replay', async () => {
  const dir = await tempDir();
  const store = await openStore(dir);
  await store.createTopic(spec('first'));
  await store.close();
  const path = join(dir, METADATA_DIR_NAME, METADATA_LOG_FILE_NAME);
  const before = await readFile(path, 'utf8');
  await appendFile(path, '1234abcd {"type":"topic","topic":{"name":"half');
  const reopened = await openStore(dir);
  assert.ok(reopened.image().topic('first'));
  assert.equal(reopened.image().topicsByName.size, 1);
  assert.equal(await readFile(path, 'utf8'), before);
  await reopened.createTopic(spec('second'));
  await reopened.close();
  const third = await openStore(dir);
  assert.deepEqual([...third.image().topicsByName.keys()].sort(), ['first', 'second']);
  await third.close();
});

test('re-registration with changed listeners updates the broker', async () => {
  const dir = await tempDir();
  await (await openStore(dir)).close();
  const store = await openStore(dir, { 'advertised.listeners': 'PLAINTEXT://otherhost:9092' });
  assert.equal(store.image().broker(1)!.host, 'otherhost');
  await store.close();
});

test('operations after close fail', async () => {
  const store = await openStore(await tempDir());
  await store.close();
  await rejectsWith(store.createTopic(spec('late')), ErrorCode.UNKNOWN_SERVER_ERROR, /closed/);
});

test('a throwing listener does not break the store or other listeners', async () => {
  const store = await openStore(await tempDir());
  let calls = 0;
  store.onChange(() => {
    throw new Error('listener bug');
  });
  store.onChange(() => {
    calls++;
  });
  await store.createTopic(spec('x'));
  assert.equal(calls, 1);
  assert.ok(store.image().topic('x'));
  await store.close();
});

test('a metadata log of another cluster is refused', async () => {
  const dir = await tempDir();
  await (await openStore(dir)).close();
  const path = join(dir, METADATA_DIR_NAME, METADATA_LOG_FILE_NAME);
  const text = await readFile(path, 'utf8');
  const otherDir = await tempDir();
  await (await openStore(otherDir)).close();
  await writeFile(join(otherDir, METADATA_DIR_NAME, METADATA_LOG_FILE_NAME), text);
  await assert.rejects(openStore(otherDir), /belongs to cluster/);
});

test('a log with many superseded records is compacted at start-up, keeping the state', async () => {
  const dir = await tempDir();
  const store = await openStore(dir);
  for (const name of ['a', 'b', 'c', 'd']) await store.createTopic(spec(name));
  for (const name of ['a', 'b', 'c']) await store.deleteTopic(name);
  await store.alterTopicConfigs('d', { 'retention.ms': '5' });
  await store.close();
  const path = join(dir, METADATA_DIR_NAME, METADATA_LOG_FILE_NAME);
  const lines = (text: string) => text.split('\n').filter((l) => l !== '').length;
  assert.equal(lines(await readFile(path, 'utf8')), 10);

  const compacted = await EmbeddedMetadataStore.open({ config: brokerConfig(dir), compactionSlackRecords: 2 });
  assert.equal(lines(await readFile(path, 'utf8')), 3); // header, broker, topic d
  assert.deepEqual(compacted.image().topic('d')!.configs, { 'retention.ms': '5' });
  await compacted.createTopic(spec('e'));
  await compacted.close();

  const reopened = await openStore(dir);
  assert.deepEqual([...reopened.image().topicsByName.keys()].sort(), ['d', 'e']);
  await reopened.close();
});
