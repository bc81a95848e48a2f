import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigSource } from '../../../src/config/config-types.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { AlterConfigsResponse } from '../../../src/protocol/generated/alter-configs.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { DescribeConfigsResponse } from '../../../src/protocol/generated/describe-configs.ts';
import type { IncrementalAlterConfigsResponse } from '../../../src/protocol/generated/incremental-alter-configs.ts';
import { ConfigResourceType } from '../../../src/server/apis/describe-configs.ts';
import { AlterConfigOp } from '../../../src/server/apis/incremental-alter-configs.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

const { TOPIC, BROKER } = ConfigResourceType;
type Op = [name: string, op: number, value: string | null];

describe('AlterConfigs and IncrementalAlterConfigs', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker({ 'log.retention.hours': '48' });
    client = await KafkaTestClient.connect(broker.port);
    for (const name of ['t1', 't2', 't3']) {
      await broker.services.metadata.createTopic({ name, numPartitions: 1, replicationFactor: 1, configs: {} });
    }
    await broker.services.metadataApplied();
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  const logConfig = (topic: string) => broker.services.logs.getLog(topic, 0)!.config;
  const overrides = (topic: string) => broker.services.metadata.image().topic(topic)!.configs;

  async function alter(version: number, resources: { type: number; name: string; configs: Record<string, string | null> }[], validateOnly = false) {
    const body = { validateOnly, resources: resources.map((r) => ({ resourceType: r.type, resourceName: r.name, configs: Object.entries(r.configs).map(([name, value]) => ({ name, value })) })) };
    return (await client.request<AlterConfigsResponse>(ApiKey.AlterConfigs, version, body)).responses;
  }

  async function incremental(version: number, type: number, name: string, ops: Op[], validateOnly = false) {
    const body = { validateOnly, resources: [{ resourceType: type, resourceName: name, configs: ops.map(([n, op, value]) => ({ name: n, configOperation: op, value })) }] };
    const [res] = (await client.request<IncrementalAlterConfigsResponse>(ApiKey.IncrementalAlterConfigs, version, body)).responses;
    return res;
  }

  async function describeOne(type: number, name: string, key: string) {
    const body = { resources: [{ resourceType: type, resourceName: name, configurationKeys: [key] }], includeSynonyms: true, includeDocumentation: false };
    const [res] = (await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 4, body)).results;
    return res.configs[0];
  }

  test('AlterConfigs (every version) replaces the whole topic set and the logs follow at once', async () => {
    for (let v = 0; v <= 2; v++) {
      const [res] = await alter(v, [{ type: TOPIC, name: 't1', configs: { 'retention.ms': String(1000 + v), 'max.message.bytes': '2048' } }]);
      assert.deepEqual([res.errorCode, res.errorMessage, res.resourceName], [0, null, 't1'], `v${v}`);
      assert.equal(logConfig('t1').retentionMs, 1000 + v);
    }
    assert.equal(logConfig('t1').maxMessageBytes, 2048);
    const [res] = await alter(1, [{ type: TOPIC, name: 't1', configs: { 'segment.ms': '60000' } }]);
    assert.equal(res.errorCode, 0);
    assert.deepEqual(overrides('t1'), { 'segment.ms': '60000' }, 'keys not named are removed');
    assert.equal(logConfig('t1').maxMessageBytes, 1048588);
    assert.equal(logConfig('t1').retentionMs, 48 * 3600_000, 'back to the broker setting');
  });

  test('AlterConfigs errors: unknown topic, bad name, bad value, unknown key, null, repeated resource, unknown type', async () => {
    const results = await alter(0, [
      { type: TOPIC, name: 'missing', configs: { 'retention.ms': '1' } },
      { type: TOPIC, name: 'bad name', configs: {} },
      { type: TOPIC, name: 't2', configs: { 'retention.ms': 'soon' } },
      { type: TOPIC, name: 't3', configs: { 'no.such.config': '1' } },
      { type: 99, name: 'x', configs: {} },
    ]);
    assert.deepEqual(results.map((r) => r.errorCode), [
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.INVALID_TOPIC_EXCEPTION, ErrorCode.INVALID_CONFIG, ErrorCode.INVALID_CONFIG, ErrorCode.INVALID_REQUEST,
    ]);
    assert.match(results[2].errorMessage!, /retention\.ms/);
    assert.match(results[3].errorMessage!, /Unknown topic config name: no\.such\.config/);
    const [nullValue] = await alter(2, [{ type: TOPIC, name: 't2', configs: { 'retention.ms': null } }]);
    assert.deepEqual([nullValue.errorCode, nullValue.errorMessage], [ErrorCode.INVALID_REQUEST, 'Null value not supported for : retention.ms']);
    const twice = await alter(2, [{ type: TOPIC, name: 't2', configs: {} }, { type: TOPIC, name: 't2', configs: {} }]);
    assert.deepEqual(twice.map((r) => r.errorCode), [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    assert.deepEqual(overrides('t2'), {});
  });

  test('validateOnly checks and changes nothing', async () => {
    const [ok] = await alter(1, [{ type: TOPIC, name: 't2', configs: { 'retention.ms': '5' } }], true);
    assert.equal(ok.errorCode, 0);
    const bad = await incremental(1, TOPIC, 't2', [['retention.ms', AlterConfigOp.SET, '-7']], true);
    assert.equal(bad.errorCode, ErrorCode.INVALID_CONFIG);
    assert.deepEqual(overrides('t2'), {});
  });

  test('IncrementalAlterConfigs SET, DELETE, APPEND, SUBTRACT on a topic (every version)', async () => {
    for (let v = 0; v <= 1; v++) {
      const set = await incremental(v, TOPIC, 't3', [['message.timestamp.type', AlterConfigOp.SET, 'LogAppendTime'], ['min.insync.replicas', AlterConfigOp.SET, '2']]);
      assert.equal(set.errorCode, 0, `v${v}`);
      assert.equal(logConfig('t3').messageTimestampType, 'LogAppendTime');
      assert.equal(logConfig('t3').minInsyncReplicas, 2);
      const del = await incremental(v, TOPIC, 't3', [['message.timestamp.type', AlterConfigOp.DELETE, null]]);
      assert.equal(del.errorCode, 0);
      assert.deepEqual(overrides('t3'), { 'min.insync.replicas': '2' });
      assert.equal(logConfig('t3').messageTimestampType, 'CreateTime');
      await incremental(v, TOPIC, 't3', [['min.insync.replicas', AlterConfigOp.DELETE, null]]);
    }
    assert.equal((await incremental(1, TOPIC, 't3', [['cleanup.policy', AlterConfigOp.APPEND, 'compact']])).errorCode, 0);
    assert.deepEqual(logConfig('t3').cleanupPolicy, ['delete', 'compact'], 'appended to the default');
    assert.equal((await incremental(1, TOPIC, 't3', [['cleanup.policy', AlterConfigOp.APPEND, 'compact,delete']])).errorCode, 0);
    assert.equal(overrides('t3')['cleanup.policy'], 'delete,compact', 'no duplicates');
    assert.equal((await incremental(1, TOPIC, 't3', [['cleanup.policy', AlterConfigOp.SUBTRACT, 'delete']])).errorCode, 0);
    assert.deepEqual(logConfig('t3').cleanupPolicy, ['compact']);
    const notList = await incremental(1, TOPIC, 't3', [['retention.ms', AlterConfigOp.APPEND, '5']]);
    assert.deepEqual([notList.errorCode, notList.errorMessage], [ErrorCode.INVALID_CONFIG, "Can't APPEND to key retention.ms because its type is not LIST."]);
    const badOp = await incremental(1, TOPIC, 't3', [['retention.ms', 9, '5']]);
    assert.equal(badOp.errorCode, ErrorCode.INVALID_REQUEST);
    const dupKey = await incremental(1, TOPIC, 't3', [['retention.ms', AlterConfigOp.SET, '5'], ['retention.ms', AlterConfigOp.DELETE, null]]);
    assert.equal(dupKey.errorCode, ErrorCode.INVALID_REQUEST);
    const nullSet = await incremental(1, TOPIC, 't3', [['retention.ms', AlterConfigOp.SET, null]]);
    assert.equal(nullSet.errorCode, ErrorCode.INVALID_REQUEST);
    const described = await describeOne(TOPIC, 't3', 'cleanup.policy');
    assert.deepEqual([described.value, described.configSource], ['compact', ConfigSource.TOPIC_CONFIG]);
  });

  test('concurrent incremental changes of different keys all land', async () => {
    const second = await KafkaTestClient.connect(broker.port);
    const body = (key: string, value: string) => ({ validateOnly: false, resources: [{ resourceType: TOPIC, resourceName: 't1', configs: [{ name: key, configOperation: AlterConfigOp.SET, value }] }] });
    const keys = ['retention.bytes', 'segment.ms', 'flush.messages', 'delete.retention.ms'];
    await Promise.all(keys.map((key, i) => (i % 2 === 0 ? client : second).request(ApiKey.IncrementalAlterConfigs, 1, body(key, String(1000 + i)))));
    second.close();
    for (const [i, key] of keys.entries()) assert.equal(overrides('t1')[key], String(1000 + i), key);
  });

  test('dynamic broker configs: cluster default then per broker, applied to topics without an override', async () => {
    await alter(0, [{ type: TOPIC, name: 't2', configs: {} }]);
    const dflt = await incremental(1, BROKER, '', [['log.retention.ms', AlterConfigOp.SET, '7000'], ['message.max.bytes', AlterConfigOp.SET, '4096']]);
    assert.equal(dflt.errorCode, 0);
    assert.equal(logConfig('t2').retentionMs, 7000);
    assert.equal(logConfig('t2').maxMessageBytes, 4096);
    assert.equal(broker.config.messageMaxBytes, 4096);
    let entry = await describeOne(BROKER, '1', 'log.retention.ms');
    assert.deepEqual([entry.value, entry.configSource, entry.readOnly], ['7000', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, false]);
    const own = await incremental(0, BROKER, '1', [['log.retention.ms', AlterConfigOp.SET, '8000']]);
    assert.equal(own.errorCode, 0);
    assert.equal(logConfig('t2').retentionMs, 8000);
    entry = await describeOne(BROKER, '1', 'log.retention.ms');
    assert.deepEqual(entry.synonyms.map((s) => [s.name, s.value, s.source]).slice(0, 2), [
      ['log.retention.ms', '8000', ConfigSource.DYNAMIC_BROKER_CONFIG],
      ['log.retention.ms', '7000', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
    ]);
    const topicEntry = await describeOne(TOPIC, 't2', 'retention.ms');
    assert.deepEqual([topicEntry.value, topicEntry.configSource], ['8000', ConfigSource.DYNAMIC_BROKER_CONFIG]);
    const defaults = (await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, 2, { resources: [{ resourceType: BROKER, resourceName: '', configurationKeys: null }] })).results[0];
    assert.deepEqual(defaults.configs.map((c) => [c.name, c.value, c.configSource]), [
      ['log.retention.ms', '7000', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
      ['message.max.bytes', '4096', ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG],
    ]);
    // AlterConfigs on a broker resource replaces its whole dynamic set.
    const [cleared] = await alter(1, [{ type: BROKER, name: '1', configs: {} }]);
    assert.equal(cleared.errorCode, 0);
    assert.equal(logConfig('t2').retentionMs, 7000);
    assert.equal((await incremental(1, BROKER, '', [['log.retention.ms', AlterConfigOp.DELETE, null], ['message.max.bytes', AlterConfigOp.DELETE, null]])).errorCode, 0);
    assert.equal(logConfig('t2').retentionMs, 48 * 3600_000);
    assert.equal(broker.config.messageMaxBytes, 1048588);
  });

  test('broker configs that are not dynamic, bad values and other broker ids are INVALID_REQUEST', async () => {
    const readOnly = await incremental(1, BROKER, '1', [['num.partitions', AlterConfigOp.SET, '3'], ['log.dirs', AlterConfigOp.SET, '/x']]);
    assert.deepEqual([readOnly.errorCode, readOnly.errorMessage], [ErrorCode.INVALID_REQUEST, 'Cannot update these configs dynamically: [num.partitions, log.dirs]']);
    const badValue = await incremental(1, BROKER, '', [['log.retention.ms', AlterConfigOp.SET, 'never']]);
    assert.equal(badValue.errorCode, ErrorCode.INVALID_REQUEST);
    assert.match(badValue.errorMessage!, /log\.retention\.ms/);
    const other = await incremental(1, BROKER, '7', [['log.retention.ms', AlterConfigOp.SET, '1']]);
    assert.deepEqual([other.errorCode, other.errorMessage], [ErrorCode.INVALID_REQUEST, 'Unexpected broker id, expected 1, but received 7']);
    const crossKey = await incremental(1, BROKER, '', [['log.cleaner.min.compaction.lag.ms', AlterConfigOp.SET, '10'], ['log.cleaner.max.compaction.lag.ms', AlterConfigOp.SET, '5']]);
    assert.equal(crossKey.errorCode, ErrorCode.INVALID_REQUEST);
    const entry = await describeOne(BROKER, '1', 'num.partitions');
    assert.equal(entry.readOnly, true);
    assert.deepEqual(broker.services.metadata.image().brokerConfigs, new Map());
  });
});

test('topic and dynamic broker configs survive a restart', async () => {
  const first = await startTestBroker();
  const dir = first.logDir;
  await first.services.metadata.createTopic({ name: 'kept', numPartitions: 1, replicationFactor: 1, configs: {} });
  const client = await KafkaTestClient.connect(first.port);
  const body = (type: number, name: string, key: string, value: string) => ({ validateOnly: false, resources: [{ resourceType: type, resourceName: name, configs: [{ name: key, configOperation: 0, value }] }] });
  await client.request(ApiKey.IncrementalAlterConfigs, 1, body(TOPIC, 'kept', 'retention.bytes', '12345'));
  await client.request(ApiKey.IncrementalAlterConfigs, 1, body(BROKER, '', 'log.segment.bytes', '2097152'));
  client.close();
  await first.stop();
  const second = await startTestBroker({ 'log.dirs': dir });
  try {
    const log = second.services.logs.getLog('kept', 0)!;
    assert.equal(log.config.retentionBytes, 12345);
    assert.equal(log.config.segmentBytes, 2097152);
  } finally {
    await second.stopAndRemove();
  }
});
