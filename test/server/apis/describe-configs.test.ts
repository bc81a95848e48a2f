import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigSource } from '../../../src/config/config-types.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type {
  DescribeConfigsResponse,
  DescribeConfigsResponseDescribeConfigsResult as ResourceResult,
} from '../../../src/protocol/generated/describe-configs.ts';
import { ConfigResourceType } from '../../../src/server/apis/describe-configs.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

interface ResourceInput {
  resourceType: number;
  resourceName: string;
  configurationKeys?: string[] | null;
}

describe('DescribeConfigs', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker({ 'log.retention.hours': '48' });
    client = await KafkaTestClient.connect(broker.port);
    await broker.services.metadata.createTopic({
      name: 'events', numPartitions: 1, replicationFactor: 1, configs: { 'retention.ms': '1000' },
    });
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  async function describeConfigs(version: number, resources: ResourceInput[], flags: object = {}): Promise<ResourceResult[]> {
    const body = { resources: resources.map((r) => ({ configurationKeys: null, ...r })), ...flags };
    return (await client.request<DescribeConfigsResponse>(ApiKey.DescribeConfigs, version, body)).results;
  }

  const events = { resourceType: ConfigResourceType.TOPIC, resourceName: 'events' };

  test('every version describes every topic config with value and source', async () => {
    for (let v = 0; v <= 4; v++) {
      const [result] = await describeConfigs(v, [events]);
      assert.equal(result.errorCode, ErrorCode.NONE, `v${v}`);
      const byName = new Map(result.configs.map((c) => [c.name, c]));
      assert.ok(byName.size > 20, 'every topic config is listed');
      const retention = byName.get('retention.ms')!;
      assert.equal(retention.value, '1000');
      assert.equal(retention.readOnly, false);
      assert.equal(retention.isSensitive, false);
      const segment = byName.get('segment.bytes')!;
      assert.equal(segment.value, '1073741824');
      if (v === 0) {
        assert.equal(retention.isDefault, false);
        assert.equal(segment.isDefault, true);
      } else {
        assert.equal(retention.configSource, ConfigSource.TOPIC_CONFIG, `v${v}`);
        assert.equal(segment.configSource, ConfigSource.DEFAULT_CONFIG, `v${v}`);
        assert.deepEqual(retention.synonyms, [], 'no synonyms unless asked');
      }
      if (v >= 3) assert.equal(retention.configType, 5 /* LONG */);
    }
  });

  test('synonyms (v1+) list the topic override, then broker settings from the first synonym\'s own value', async () => {
    const keys = ['retention.ms', 'segment.bytes'];
    const [result] = await describeConfigs(1, [{ ...events, configurationKeys: keys }], { includeSynonyms: true });
    const synonyms = new Map(result.configs.map((c) => [c.name, c.synonyms.map((s) => [s.name, s.value, s.source])]));
    // log.retention.ms has no value (only log.retention.hours=48): Kafka lists no broker synonym.
    assert.deepEqual(synonyms.get('retention.ms'), [['retention.ms', '1000', ConfigSource.TOPIC_CONFIG]]);
    assert.deepEqual(synonyms.get('segment.bytes'), [['log.segment.bytes', '1073741824', ConfigSource.DEFAULT_CONFIG]]);
  });

  test('documentation only when asked (v3+)', async () => {
    const [withDoc] = await describeConfigs(3, [{ ...events, configurationKeys: ['retention.ms'] }], { includeDocumentation: true });
    assert.ok((withDoc.configs[0].documentation ?? '').length > 0);
    const [without] = await describeConfigs(4, [{ ...events, configurationKeys: ['retention.ms'] }]);
    assert.equal(without.configs[0].documentation, null);
  });

  test('configurationKeys filters; unknown keys are left out', async () => {
    const [result] = await describeConfigs(2, [{ ...events, configurationKeys: ['cleanup.policy', 'no.such.key'] }]);
    assert.deepEqual(result.configs.map((c) => [c.name, c.value]), [['cleanup.policy', 'delete']]);
  });

  test('unknown topic is UNKNOWN_TOPIC_OR_PARTITION, illegal name INVALID_TOPIC_EXCEPTION', async () => {
    const results = await describeConfigs(4, [
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'missing' },
      { resourceType: ConfigResourceType.TOPIC, resourceName: 'bad name' },
    ]);
    assert.deepEqual(results.map((r) => [r.resourceName, r.errorCode, r.configs.length]), [
      ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 0],
      ['bad name', ErrorCode.INVALID_TOPIC_EXCEPTION, 0],
    ]);
    assert.ok(results[0].errorMessage);
  });

  test('BROKER by node id lists every broker config; "" is the (empty) dynamic default set', async () => {
    const [own, defaults, other] = await describeConfigs(4, [
      { resourceType: ConfigResourceType.BROKER, resourceName: '1' },
      { resourceType: ConfigResourceType.BROKER, resourceName: '' },
      { resourceType: ConfigResourceType.BROKER, resourceName: '2' },
    ]);
    assert.equal(own.errorCode, ErrorCode.NONE);
    const byName = new Map(own.configs.map((c) => [c.name, c]));
    assert.equal(byName.get('log.retention.hours')!.value, '48');
    assert.equal(byName.get('log.retention.hours')!.configSource, ConfigSource.STATIC_BROKER_CONFIG);
    assert.equal(byName.get('num.partitions')!.configSource, ConfigSource.DEFAULT_CONFIG);
    assert.deepEqual([defaults.errorCode, defaults.configs], [ErrorCode.NONE, []]);
    assert.equal(other.errorCode, ErrorCode.INVALID_REQUEST);
  });

  test('BROKER_LOGGER reports the root log level; unsupported types are INVALID_REQUEST', async () => {
    const [logger, empty, unknownType] = await describeConfigs(4, [
      { resourceType: ConfigResourceType.BROKER_LOGGER, resourceName: '1' },
      { resourceType: ConfigResourceType.BROKER_LOGGER, resourceName: '' },
      { resourceType: 99, resourceName: 'x' },
    ]);
    assert.deepEqual(logger.configs.map((c) => [c.name, c.value, c.configSource]), [['root', 'OFF', ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG]]);
    assert.equal(empty.errorCode, ErrorCode.INVALID_REQUEST);
    assert.equal(unknownType.errorCode, ErrorCode.INVALID_REQUEST);
  });
});
