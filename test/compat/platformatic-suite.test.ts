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
 * - Client quotas: AlterClientQuotas / DescribeClientQuotas were not served at all (the
 *   client answered "Unsupported API"). They are now stored in the metadata log and
 *   described as Kafka does, in Kafka's order (its metadata maps iterate by Java hash).
 *   Of the clients here only @platformatic/kafka has a client-quota API.
 * - ACL APIs: DescribeAcls / CreateAcls / DeleteAcls were not served ("Unsupported API").
 *   Kafka serves them whatever its configuration and, with no authorizer (Gregor has
 *   none), refuses each with SECURITY_DISABLED; Gregor now answers the same.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { AclOperations, AclPermissionTypes, Admin, ClientQuotaEntityTypes, ClientQuotaKeys, ClientQuotaMatchTypes, ResourcePatternTypes, ResourceTypes } from '@platformatic/kafka';
import kafkajs from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { startCompatBroker } from './helpers/broker.ts';

/** How @platformatic/kafka reports a refused request: the broker's code and message, two levels down. */
type ResponseErrors = Error & { errors: { errors: { apiCode: number; serverErrorMessage: string }[] }[] };

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC_RESOURCE = 2;
const BROKER_RESOURCE = 4;
const { Kafka, ConfigResourceTypes, logLevel, AclResourceTypes, AclOperationTypes, AclPermissionTypes: KafkajsPermissionTypes, ResourcePatternTypes: KafkajsPatternTypes } = kafkajs;

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

test('client quotas are set, described in Kafka\'s order, filtered, and removed (@platformatic/kafka)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { USER, CLIENT_ID } = ClientQuotaEntityTypes;
  const ops = [
    { key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1000, remove: false },
    { key: ClientQuotaKeys.CONSUMER_BYTE_RATE, value: 2000, remove: false },
    { key: ClientQuotaKeys.REQUEST_PERCENTAGE, value: 0.5, remove: false },
  ];
  const userAndClient = [{ entityType: USER, entityName: 'alice' }, { entityType: CLIENT_ID, entityName: 'app' }];
  const altered = await admin.alterClientQuotas({
    entries: [
      { entities: userAndClient, ops },
      { entities: [{ entityType: USER, entityName: null }], ops: [ops[0]] },
    ],
  });
  // Entity parts come back in Kafka's order (client-id before user), whatever the request's.
  assert.deepEqual(altered.map((e) => [e.errorCode, e.entity.map((p) => p.entityType)]), [[0, [CLIENT_ID, USER]], [0, [USER]]]);

  const all = await admin.describeClientQuotas({ components: [{ entityType: USER, matchType: ClientQuotaMatchTypes.ANY }] });
  all.sort((a, b) => a.entity.length - b.entity.length);
  assert.deepEqual(all, [
    { entity: [{ entityType: USER, entityName: null }], values: [{ key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1000 }] },
    {
      entity: [{ entityType: CLIENT_ID, entityName: 'app' }, { entityType: USER, entityName: 'alice' }],
      values: [
        { key: ClientQuotaKeys.CONSUMER_BYTE_RATE, value: 2000 },
        { key: ClientQuotaKeys.REQUEST_PERCENTAGE, value: 0.5 },
        { key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1000 },
      ],
    },
  ]);
  const strictDefault = await admin.describeClientQuotas({ components: [{ entityType: USER, matchType: ClientQuotaMatchTypes.DEFAULT }], strict: true });
  assert.deepEqual(strictDefault.map((e) => e.entity), [[{ entityType: USER, entityName: null }]]);
  const strictAlice = await admin.describeClientQuotas({ components: [{ entityType: USER, matchType: ClientQuotaMatchTypes.EXACT, match: 'alice' }], strict: true });
  assert.deepEqual(strictAlice, []);

  await admin.alterClientQuotas({
    entries: [
      { entities: userAndClient, ops: ops.map((op) => ({ key: op.key, remove: true })) },
      { entities: [{ entityType: USER, entityName: null }], ops: [{ key: ClientQuotaKeys.PRODUCER_BYTE_RATE, remove: true }] },
    ],
  });
  assert.deepEqual(await admin.describeClientQuotas({ components: [{ entityType: USER, matchType: ClientQuotaMatchTypes.ANY }] }), []);
});

test('client quota changes Kafka refuses are refused with INVALID_REQUEST and change nothing (@platformatic/kafka)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const { USER, IP } = ClientQuotaEntityTypes;
  const refused = [
    { entities: [{ entityType: USER, entityName: 'bob' }], ops: [{ key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 1.5, remove: false }] },
    { entities: [{ entityType: USER, entityName: 'bob' }, { entityType: IP, entityName: '10.0.0.1' }], ops: [{ key: ClientQuotaKeys.CONSUMER_BYTE_RATE, value: 10, remove: false }] },
    { entities: [{ entityType: USER, entityName: 'carol' }], ops: [{ key: ClientQuotaKeys.REQUEST_PERCENTAGE, value: 0, remove: false }] },
  ];
  const problems = [/cannot be a fractional value/, /ip entity cannot be combined/, /must be greater than 0/];
  for (const [i, entry] of refused.entries()) {
    await assert.rejects(admin.alterClientQuotas({ entries: [entry] }), (err: ResponseErrors) => {
      const cause = err.errors[0].errors[0];
      assert.equal(cause.apiCode, ErrorCode.INVALID_REQUEST);
      assert.match(cause.serverErrorMessage, problems[i]);
      return true;
    });
  }
  const twice = { entities: [{ entityType: USER, entityName: 'dave' }], ops: [{ key: ClientQuotaKeys.PRODUCER_BYTE_RATE, value: 10, remove: false }] };
  await assert.rejects(admin.alterClientQuotas({ entries: [twice, twice] }), (err: ResponseErrors) => {
    assert.deepEqual(err.errors[0].errors.map((e) => [e.apiCode, /duplicate entity/.test(e.serverErrorMessage)]), [[ErrorCode.INVALID_REQUEST, true], [ErrorCode.INVALID_REQUEST, true]]);
    return true;
  });
  assert.deepEqual(await admin.describeClientQuotas({ components: [{ entityType: USER, matchType: ClientQuotaMatchTypes.ANY }] }), []);
});

test('ACL requests are refused with SECURITY_DISABLED, as by a Kafka broker without an authorizer (@platformatic/kafka)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const acl = {
    resourceType: ResourceTypes.TOPIC,
    resourceName: 'acl-topic',
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: 'User:alice',
    host: '*',
    operation: AclOperations.READ,
    permissionType: AclPermissionTypes.ALLOW,
  };
  const refusedWithSecurityDisabled = (err: ResponseErrors): boolean => {
    assert.equal(err.errors[0].errors[0].apiCode, ErrorCode.SECURITY_DISABLED);
    return true;
  };
  await assert.rejects(admin.createAcls({ creations: [acl] }), refusedWithSecurityDisabled);
  await assert.rejects(admin.describeAcls({ filter: acl }), refusedWithSecurityDisabled);
  await assert.rejects(admin.deleteAcls({ filters: [acl] }), refusedWithSecurityDisabled);
});

test('ACL requests are refused with SECURITY_DISABLED (kafkajs)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = new Kafka({ clientId: 'compat-platformatic-suite-acls', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } });
  const kadmin = client.admin();
  await kadmin.connect();
  try {
    const filter = {
      resourceType: AclResourceTypes.TOPIC,
      resourceName: 'acl-topic',
      resourcePatternType: KafkajsPatternTypes.LITERAL,
      principal: 'User:alice',
      host: '*',
      operation: AclOperationTypes.READ,
      permissionType: KafkajsPermissionTypes.ALLOW,
    };
    await assert.rejects(kadmin.describeAcls(filter), { type: 'SECURITY_DISABLED' });
    await assert.rejects(kadmin.createAcls({ acl: [filter] }), { type: 'SECURITY_DISABLED' });
    await assert.rejects(kadmin.deleteAcls({ filters: [filter] }), { type: 'SECURITY_DISABLED' });
  } finally {
    await kadmin.disconnect();
  }
});
