/**
 * Regressions found by running @platformatic/kafka's own test suite against Gregor
 * (tools/run-platformatic-tests.sh, docs/COMPATIBILITY.md), each reproduced here through
 * @platformatic/kafka and a second client so `npm test` keeps them fixed without the
 * platformatic source tree:
 *
 * - describeConfigs with an empty key list: Kafka's ConfigHelper treats an empty
 *   configurationKeys list like null (every config). Gregor filtered by it and answered no
 *   configs at all; @platformatic/kafka sends [] for "all". kafkajs and librdkafka encode an
 *   empty list as null, so only @platformatic/kafka shows the bug; the kafkajs case checks
 *   that the null form still describes everything.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
const { Kafka, ConfigResourceTypes, logLevel } = kafkajs;

let broker: RunningBroker;
let admin: Admin;

before(async () => {
  broker = await startCompatBroker();
  admin = new Admin({ clientId: 'compat-platformatic-suite', bootstrapBrokers: [broker.bootstrap], retries: 2 });
});

after(async () => {
  await admin?.close();
  await broker?.stop();
});

test('describeConfigs with an empty key list describes every config (@platformatic/kafka)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'platformatic-describe-all';
  await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1 });
  const [topicResult, brokerResult] = await admin.describeConfigs({
    resources: [
      { resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: [] },
      { resourceType: BROKER_RESOURCE, resourceName: String(broker.config.nodeId), configurationKeys: [] },
    ],
    includeSynonyms: false,
    includeDocumentation: false,
  });
  const topicNames = topicResult.configs.map((c) => c.name);
  assert.ok(topicNames.includes('cleanup.policy') && topicNames.includes('retention.ms'), `topic configs: ${topicNames.join(',')}`);
  assert.ok(brokerResult.configs.some((c) => c.name === 'message.max.bytes'), 'broker configs include message.max.bytes');
});

test('describeConfigs without configNames (sent as null) describes every config (kafkajs)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kafkajs-describe-all';
  const client = new Kafka({ clientId: 'compat-platformatic-suite-kafkajs', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING });
  const kadmin = client.admin();
  await kadmin.connect();
  try {
    await kadmin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
    const { resources } = await kadmin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
      includeSynonyms: false,
    });
    const names = resources[0].configEntries.map((c) => c.configName);
    assert.ok(names.includes('cleanup.policy') && names.includes('retention.ms'), `topic configs: ${names.join(',')}`);
  } finally {
    await kadmin.disconnect();
  }
});
