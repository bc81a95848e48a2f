/**
 * kafkajs 2.2.4's admin client against a real broker: topic lifecycle, metadata,
 * configs and partitions, at the versions kafkajs uses (Metadata 6, CreateTopics 3,
 * DeleteTopics 1, DescribeConfigs 2, CreatePartitions 1).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';

/** kafkajs ConfigResourceTypes.TOPIC / BROKER. */
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;

describe('kafkajs admin', () => {
  let broker: TestBroker;
  let admin: Admin;

  before(async () => {
    broker = await startTestBroker({ 'num.partitions': '2' });
    const kafka = new Kafka({ clientId: 'gregor-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });
    admin = kafka.admin();
    await admin.connect();
  });

  after(async () => {
    await admin.disconnect();
    await broker.stopAndRemove();
  });

  test('createTopics, listTopics, fetchTopicMetadata', async () => {
    const created = await admin.createTopics({
      topics: [
        { topic: 'kjs-orders', numPartitions: 3, configEntries: [{ name: 'retention.ms', value: '60000' }] },
        { topic: 'kjs-defaults' },
      ],
      waitForLeaders: true,
    });
    assert.equal(created, true);
    assert.deepEqual((await admin.listTopics()).sort(), ['kjs-defaults', 'kjs-orders']);
    const { topics } = await admin.fetchTopicMetadata({ topics: ['kjs-orders', 'kjs-defaults'] });
    const byName = new Map(topics.map((t) => [t.name, t]));
    assert.deepEqual(byName.get('kjs-orders')!.partitions.map((p) => [p.partitionId, p.leader, p.replicas, p.isr]).sort(), [
      [0, 1, [1], [1]],
      [1, 1, [1], [1]],
      [2, 1, [1], [1]],
    ]);
    assert.equal(byName.get('kjs-defaults')!.partitions.length, 2);
    // Creating it again: false (kafkajs swallows TOPIC_ALREADY_EXISTS).
    assert.equal(await admin.createTopics({ topics: [{ topic: 'kjs-orders' }] }), false);
  });

  test('createTopics rejects invalid configs with the broker\'s message', async () => {
    await assert.rejects(
      admin.createTopics({ topics: [{ topic: 'kjs-bad', configEntries: [{ name: 'retention.ms', value: 'never' }] }] }),
      (err: Error & { errors?: { type: string }[] }) => {
        assert.equal(err.errors?.[0]?.type, 'INVALID_CONFIG');
        return true;
      },
    );
  });

  test('describeConfigs for a topic and the broker', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-configs', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] });
    const result = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: TOPIC_RESOURCE, name: 'kjs-configs', configNames: ['cleanup.policy', 'segment.bytes'] },
        { type: BROKER_RESOURCE, name: '1', configNames: ['num.partitions'] },
      ],
    });
    const [topic, brokerResource] = result.resources;
    assert.equal(topic.errorCode, 0);
    const entries = new Map(topic.configEntries.map((e) => [e.configName, e]));
    assert.equal(entries.get('cleanup.policy')!.configValue, 'compact');
    assert.equal(entries.get('cleanup.policy')!.isDefault, false);
    assert.equal(entries.get('segment.bytes')!.isDefault, true);
    assert.deepEqual(brokerResource.configEntries.map((e) => [e.configName, e.configValue]), [['num.partitions', '2']]);
  });

  test('createPartitions grows a topic', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-grow', numPartitions: 1 }] });
    await admin.createPartitions({ topicPartitions: [{ topic: 'kjs-grow', count: 4 }] });
    const { topics } = await admin.fetchTopicMetadata({ topics: ['kjs-grow'] });
    assert.equal(topics[0].partitions.length, 4);
    await assert.rejects(admin.createPartitions({ topicPartitions: [{ topic: 'kjs-grow', count: 2 }] }), /partitions/i);
  });

  test('deleteTopics removes topics', async () => {
    await admin.createTopics({ topics: [{ topic: 'kjs-doomed' }] });
    await admin.deleteTopics({ topics: ['kjs-doomed'] });
    assert.equal((await admin.listTopics()).includes('kjs-doomed'), false);
    assert.equal(broker.services.metadata.image().topic('kjs-doomed'), undefined);
  });

  test('describeCluster', async () => {
    const cluster = await admin.describeCluster();
    assert.equal(cluster.clusterId, broker.services.metadata.image().clusterId);
    assert.equal(cluster.controller, 1);
    assert.deepEqual(cluster.brokers, [{ nodeId: 1, host: '127.0.0.1', port: broker.port }]);
  });
});
