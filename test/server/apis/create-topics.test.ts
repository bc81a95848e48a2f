import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigSource } from '../../../src/config/config-types.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { CreateTopicsResponse, CreateTopicsResponseCreatableTopicResult } from '../../../src/protocol/generated/create-topics.ts';
import { ZERO_UUID } from '../../../src/protocol/generated/runtime.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

interface TopicInput {
  name: string;
  numPartitions?: number;
  replicationFactor?: number;
  assignments?: { partitionIndex: number; brokerIds: number[] }[];
  configs?: { name: string; value: string | null }[];
}

describe('CreateTopics', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker({ 'num.partitions': '3', 'log.retention.hours': '24' });
    client = await KafkaTestClient.connect(broker.port);
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  async function create(version: number, topics: TopicInput[], validateOnly = false): Promise<CreateTopicsResponseCreatableTopicResult[]> {
    const body = { topics: topics.map((t) => ({ numPartitions: 1, replicationFactor: 1, ...t })), timeoutMs: 5000, validateOnly };
    return (await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, version, body)).topics;
  }

  test('every version creates a topic; v5+ reports its shape and configs, v7 its id', async () => {
    for (let v = 0; v <= 7; v++) {
      const name = `created-v${v}`;
      const [result] = await create(v, [{ name, numPartitions: 2, configs: [{ name: 'cleanup.policy', value: 'compact' }] }]);
      assert.equal(result.errorCode, ErrorCode.NONE, `v${v}`);
      assert.equal(result.errorMessage, v >= 1 ? null : '', `v${v}`); // absent before v1: decoded as ''
      const topic = broker.services.metadata.image().topic(name)!;
      assert.equal(topic.partitions.length, 2);
      assert.ok(broker.services.logs.getLog(name, 1), 'the logs exist when the answer comes');
      assert.deepEqual(topic.configs, { 'cleanup.policy': 'compact' });
      assert.equal(result.topicId, v >= 7 ? topic.topicId : ZERO_UUID, `v${v}`);
      assert.equal(result.numPartitions, v >= 5 ? 2 : -1, `v${v}`);
      assert.equal(result.replicationFactor, v >= 5 ? 1 : -1, `v${v}`);
      if (v < 5) continue;
      const configs = new Map(result.configs!.map((c) => [c.name, c]));
      assert.deepEqual(configs.get('cleanup.policy'), {
        name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: ConfigSource.TOPIC_CONFIG, isSensitive: false,
      });
      assert.equal(configs.get('retention.ms')!.value, String(24 * 3600 * 1000));
      assert.equal(configs.get('retention.ms')!.configSource, ConfigSource.STATIC_BROKER_CONFIG);
      assert.equal(configs.get('segment.bytes')!.configSource, ConfigSource.DEFAULT_CONFIG);
    }
  });

  test('-1 takes num.partitions and default.replication.factor (v4+)', async () => {
    const [result] = await create(4, [{ name: 'defaults', numPartitions: -1, replicationFactor: -1 }]);
    assert.equal(result.errorCode, ErrorCode.NONE);
    const topic = broker.services.metadata.image().topic('defaults')!;
    assert.deepEqual(topic.partitions.map((p) => p.replicas), [[1], [1], [1]]);
  });

  test('explicit assignments decide partitions and replicas', async () => {
    const assignments = [{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 1, brokerIds: [1] }];
    const [result] = await create(7, [{ name: 'assigned', numPartitions: -1, replicationFactor: -1, assignments }]);
    assert.equal(result.errorCode, ErrorCode.NONE);
    assert.equal(result.numPartitions, 2);
    const [both] = await create(7, [{ name: 'assigned-both', numPartitions: 2, replicationFactor: 1, assignments }]);
    assert.equal(both.errorCode, ErrorCode.INVALID_REQUEST);
    const gap = [{ partitionIndex: 0, brokerIds: [1] }, { partitionIndex: 2, brokerIds: [1] }];
    const [gapped] = await create(7, [{ name: 'assigned-gap', numPartitions: -1, replicationFactor: -1, assignments: gap }]);
    assert.equal(gapped.errorCode, ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    const [unknownBroker] = await create(7, [{ name: 'assigned-b9', numPartitions: -1, replicationFactor: -1, assignments: [{ partitionIndex: 0, brokerIds: [9] }] }]);
    assert.equal(unknownBroker.errorCode, ErrorCode.INVALID_REPLICA_ASSIGNMENT);
  });

  test('validateOnly checks and reports without creating', async () => {
    const [result] = await create(7, [{ name: 'dry-run', numPartitions: 4 }], true);
    assert.equal(result.errorCode, ErrorCode.NONE);
    assert.equal(result.numPartitions, 4);
    assert.notEqual(result.topicId, ZERO_UUID); // Kafka answers a fresh id even here
    assert.equal(broker.services.metadata.image().topic('dry-run'), undefined);
    const [bad] = await create(7, [{ name: 'dry-run', configs: [{ name: 'retention.ms', value: 'soon' }] }], true);
    assert.equal(bad.errorCode, ErrorCode.INVALID_CONFIG);
  });

  test('invalid configs are INVALID_CONFIG with a message naming the key', async () => {
    const results = await create(7, [
      { name: 'bad-value', configs: [{ name: 'retention.ms', value: 'soon' }] },
      { name: 'bad-key', configs: [{ name: 'no.such.config', value: '1' }] },
      { name: 'null-value', configs: [{ name: 'retention.ms', value: null }] },
    ]);
    for (const r of results) assert.equal(r.errorCode, ErrorCode.INVALID_CONFIG, r.name);
    assert.match(results[0].errorMessage!, /retention\.ms/);
    assert.match(results[1].errorMessage!, /no\.such\.config/);
    assert.equal(broker.services.metadata.image().topic('bad-value'), undefined);
  });

  test('per-topic errors: exists, illegal name, replication factor, partitions; messages from v1', async () => {
    await create(7, [{ name: 'taken' }]);
    const results = await create(1, [
      { name: 'taken' },
      { name: 'bad/name' },
      { name: 'rf2', replicationFactor: 2 },
      { name: 'zero', numPartitions: 0 },
    ]);
    assert.deepEqual(results.map((r) => [r.name, r.errorCode]), [
      ['taken', ErrorCode.TOPIC_ALREADY_EXISTS],
      ['bad/name', ErrorCode.INVALID_TOPIC_EXCEPTION],
      ['rf2', ErrorCode.INVALID_REPLICATION_FACTOR],
      ['zero', ErrorCode.INVALID_PARTITIONS],
    ]);
    for (const r of results) assert.ok(r.errorMessage !== null && r.errorMessage.length > 0);
    const [v0] = await create(0, [{ name: 'taken' }]);
    assert.deepEqual([v0.errorCode, v0.errorMessage], [ErrorCode.TOPIC_ALREADY_EXISTS, '']);
  });

  test('__cluster_metadata cannot be created (its directory holds the metadata log)', async () => {
    const [result] = await create(7, [{ name: '__cluster_metadata' }]);
    assert.deepEqual([result.errorCode, result.errorMessage], [ErrorCode.INVALID_REQUEST, 'Creation of internal topic __cluster_metadata is prohibited.']);
    assert.equal(broker.services.metadata.image().topic('__cluster_metadata'), undefined);
  });

  test('a name given twice is INVALID_REQUEST, the rest of the request proceeds', async () => {
    const results = await create(5, [{ name: 'twice' }, { name: 'once' }, { name: 'twice' }]);
    assert.deepEqual(results.map((r) => [r.name, r.errorCode]), [
      ['once', ErrorCode.NONE],
      ['twice', ErrorCode.INVALID_REQUEST],
    ]);
    assert.equal(broker.services.metadata.image().topic('twice'), undefined);
  });
});
