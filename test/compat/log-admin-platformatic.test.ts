/**
 * @platformatic/kafka's Admin against the log-lifecycle APIs it has and the other clients
 * lack: incrementalAlterConfigs (SET, APPEND, SUBTRACT, DELETE on a topic; a broker
 * config), deleteRecords (low watermark per partition) and describeLogDirs (v4: sizes,
 * total and usable bytes of the dir).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin, ConfigResourceTypes, IncrementalAlterConfigOperationTypes as Op } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { records } from '../replication/helpers.ts';
import { startCompatBroker } from './helpers/broker.ts';

const TOPIC = 'platformatic-log-admin';

let broker: RunningBroker;
let admin: Admin;

before(async () => {
  broker = await startCompatBroker();
  admin = new Admin({ clientId: 'compat-platformatic-log-admin', bootstrapBrokers: [broker.bootstrap], retries: 2 });
  await admin.createTopics({ topics: [TOPIC], partitions: 2, replicas: 1 });
  await broker.services.metadataApplied();
  const partition = broker.services.replicas.getPartition(TOPIC, 0)!;
  assert.ok((await partition.appendRecordsToLeader(await records(10), { requiredAcks: 1 })).ok);
});

after(async () => {
  await admin?.close();
  await broker?.stop();
});

const overrides = () => broker.services.metadata.image().topic(TOPIC)!.configs;

test('incrementalAlterConfigs: SET, APPEND, SUBTRACT and DELETE on a topic; a dynamic broker config', async () => {
  const alter = (configs: Parameters<Admin['incrementalAlterConfigs']>[0]['resources'][0]['configs']) =>
    admin.incrementalAlterConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: TOPIC, configs }] });
  await alter([{ name: 'retention.ms', configOperation: Op.SET, value: '3600000' }, { name: 'cleanup.policy', configOperation: Op.APPEND, value: 'compact' }]);
  assert.deepEqual(overrides(), { 'retention.ms': '3600000', 'cleanup.policy': 'delete,compact' });
  assert.equal(broker.services.logs.getLog(TOPIC, 1)!.config.retentionMs, 3_600_000);
  await alter([{ name: 'cleanup.policy', configOperation: Op.SUBTRACT, value: 'compact' }, { name: 'retention.ms', configOperation: Op.DELETE }]);
  assert.deepEqual(overrides(), { 'cleanup.policy': 'delete' });
  await assert.rejects(alter([{ name: 'retention.ms', configOperation: Op.APPEND, value: '1' }]));
  await admin.incrementalAlterConfigs({ resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: '1', configs: [{ name: 'message.max.bytes', configOperation: Op.SET, value: '500000' }] }] });
  assert.equal(broker.services.logs.getLog(TOPIC, 0)!.config.maxMessageBytes, 500_000);
  await admin.incrementalAlterConfigs({ resources: [{ resourceType: ConfigResourceTypes.BROKER, resourceName: '1', configs: [{ name: 'message.max.bytes', configOperation: Op.DELETE }] }] });
  assert.equal(broker.services.logs.getLog(TOPIC, 0)!.config.maxMessageBytes, 1_048_588);
});

test('deleteRecords answers the new low watermark', async () => {
  const result = await admin.deleteRecords({ topics: [{ name: TOPIC, partitions: [{ partition: 0, offset: 7n }] }] });
  assert.deepEqual(result, [{ name: TOPIC, partitions: [{ partition: 0, lowWatermark: 7n }] }]);
  assert.equal(broker.services.replicas.getPartition(TOPIC, 0)!.logStartOffset, 7);
});

test('describeLogDirs lists the partitions of the log dir with their sizes and the disk space', async () => {
  const [description] = await admin.describeLogDirs({ topics: [{ name: TOPIC, partitions: [0, 1] }] });
  assert.equal(description.broker, 1);
  assert.equal(description.results.length, 1);
  const [dir] = description.results;
  assert.equal(dir.logDir, broker.config.logDirs[0]);
  assert.ok(dir.totalBytes > 0n && dir.usableBytes > 0n && dir.usableBytes <= dir.totalBytes);
  const partitions = dir.topics.find((t) => t.name === TOPIC)!.partitions;
  const size = (p: number) => BigInt(broker.services.logs.getLog(TOPIC, p)!.size);
  assert.deepEqual(partitions.map((p) => [p.partitionIndex, p.partitionSize, p.offsetLag, p.isFutureKey]), [
    [0, size(0), 0n, false],
    [1, 0n, 0n, false],
  ]);
});
