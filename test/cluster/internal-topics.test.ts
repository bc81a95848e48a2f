import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { validateTopicConfigs } from '../../src/config/topic-config.ts';
import { consumerOffsetsTopicSpec, transactionStateTopicSpec } from '../../src/cluster/internal-topics.ts';
import { openStore, tempDir } from './helpers.ts';

test('__consumer_offsets: Kafka settings, replication capped to the registered brokers', () => {
  const spec = consumerOffsetsTopicSpec(BrokerConfig.from({}), 1);
  assert.equal(spec.name, '__consumer_offsets');
  assert.equal(spec.numPartitions, 50);
  assert.equal(spec.replicationFactor, 1);
  assert.deepEqual(spec.configs, { 'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': '104857600' });
  assert.equal(consumerOffsetsTopicSpec(BrokerConfig.from({}), 5).replicationFactor, 3);
});

test('__transaction_state: min.insync.replicas capped to the replication factor', () => {
  const single = transactionStateTopicSpec(BrokerConfig.from({ 'transaction.state.log.num.partitions': '4' }), 1);
  assert.equal(single.numPartitions, 4);
  assert.equal(single.replicationFactor, 1);
  assert.equal(single.configs['min.insync.replicas'], '1');
  assert.equal(validateTopicConfigs(single.configs), null);
  assert.equal(transactionStateTopicSpec(BrokerConfig.from({}), 3).configs['min.insync.replicas'], '2');
});

test('the specs are accepted by the embedded store', async () => {
  const store = await openStore(await tempDir());
  const config = BrokerConfig.from({});
  const offsets = await store.createTopic(consumerOffsetsTopicSpec(config, store.image().brokerIds().length));
  const txn = await store.createTopic(transactionStateTopicSpec(config, store.image().brokerIds().length));
  assert.equal(offsets.isInternal, true);
  assert.equal(txn.isInternal, true);
  assert.equal(offsets.partitions.length, 50);
  await store.close();
});
