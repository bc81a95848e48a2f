/**
 * Regressions found by running kafkajs 2.2.4's own test suite against Gregor
 * (tools/run-kafkajs-tests.sh, docs/COMPATIBILITY.md), each reproduced here through real
 * clients so `npm test` keeps them fixed without the kafkajs source tree:
 *
 * - broker/describeConfigs "request": DescribeConfigs listed log.retention.hours (default
 *   168) as a synonym of a topic's retention.ms. Kafka's ConfigHelper.configSynonyms lists
 *   the broker synonyms layer by layer and drops everything before the first value of the
 *   topic config's own broker synonym (log.retention.ms, which has none), so Kafka answers
 *   no synonyms and DEFAULT_CONFIG; `kafka-configs --describe` shows the same
 *   (`retention.ms=... synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=...}`).
 * - admin/alterConfigs "alter broker configs": AlterConfigs on a BROKER resource with
 *   cleanup.policy (a topic config, unknown as a broker key) was refused with "Cannot update
 *   these configs dynamically". Kafka refuses only known static keys; unknown ones are kept
 *   as custom configs (DynamicConfig.Broker allows custom props) and described as
 *   sensitive, read-only per-broker values.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;
/** Kafka's DescribeConfigs ConfigSource ids. */
const SOURCE = { TOPIC: 1, DYNAMIC_BROKER: 2, DEFAULT: 5 };

let broker: RunningBroker;
let admin: Admin;

before(async () => {
  broker = await startCompatBroker();
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'compat-kafkajs-suite', logLevel: logLevel.NOTHING, retry: { retries: 3 } });
  admin = kafka.admin();
  await admin.connect();
});

after(async () => {
  await admin?.disconnect();
  await broker?.stop();
});

/** name -> [source, synonyms as [name, value, source]] of a topic's configs, through kafkajs. */
async function kafkajsSynonyms(topic: string, names: string[]): Promise<Map<string, [number, [string, string, number][]]>> {
  const res = await admin.describeConfigs({ includeSynonyms: true, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: names }] });
  return new Map(res.resources[0].configEntries.map((e) => [
    e.configName,
    [e.configSource, e.configSynonyms.map((s) => [s.configName, s.configValue, s.configSource] as [string, string, number])],
  ]));
}

test('describeConfigs: retention.ms has no broker synonym while log.retention.ms has no value', { timeout: TEST_TIMEOUT_MS }, async () => {
  const plain = 'kafkajs-suite-synonyms';
  const overridden = 'kafkajs-suite-synonyms-override';
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: plain }, { topic: overridden, configEntries: [{ name: 'retention.ms', value: '60000' }] }],
  });

  // kafkajs's own expectation, from a Kafka broker with default settings.
  assert.deepEqual(await kafkajsSynonyms(plain, ['compression.type', 'retention.ms']), new Map([
    ['compression.type', [SOURCE.DEFAULT, [['compression.type', 'producer', SOURCE.DEFAULT]]]],
    ['retention.ms', [SOURCE.DEFAULT, []]],
  ]));
  assert.deepEqual((await kafkajsSynonyms(overridden, ['retention.ms'])).get('retention.ms'),
    [SOURCE.TOPIC, [['retention.ms', '60000', SOURCE.TOPIC]]]);

  // librdkafka asks for synonyms whenever the broker has DescribeConfigs v1.
  assert.deepEqual(await runPython('describe_synonyms.py', [broker.bootstrap, plain, 'retention.ms', 'segment.bytes']), {
    'retention.ms': { source: SOURCE.DEFAULT, synonyms: [] },
    'segment.bytes': { source: SOURCE.DEFAULT, synonyms: ['log.segment.bytes'] },
  });
  assert.deepEqual(await runPython('describe_synonyms.py', [broker.bootstrap, overridden, 'retention.ms']), {
    'retention.ms': { source: SOURCE.TOPIC, synonyms: ['retention.ms'] },
  });
});

test('alterConfigs: a key the broker does not know is kept as a custom broker config', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-suite-custom-broker-config';
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic }] });
  const nodeId = String(broker.config.nodeId);

  // kafkajs's own request: a topic and a broker resource in one AlterConfigs.
  const res = await admin.alterConfigs({
    validateOnly: false,
    resources: [
      { type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { type: ConfigResourceTypes.BROKER, name: nodeId, configEntries: [{ name: 'cleanup.policy', value: 'delete' }] },
    ],
  });
  const resources = res.resources as { resourceName: string; errorCode: number }[];
  assert.deepEqual(resources.map((r) => [r.resourceName, r.errorCode]), [[topic, 0], [nodeId, 0]]);
  // A known key that is not dynamic is still refused, as Kafka does.
  await assert.rejects(admin.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.BROKER, name: nodeId, configEntries: [{ name: 'num.partitions', value: '3' }] }],
  }), (err: { type?: string }) => err.type === 'INVALID_REQUEST');

  assert.deepEqual(await runPython('broker_custom_config.py', [broker.bootstrap, nodeId, 'x.custom.key', 'v']), {
    value: null, source: SOURCE.DYNAMIC_BROKER, is_sensitive: true, is_read_only: true, synonyms: ['x.custom.key'],
  });
});
