import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { MetadataResponse } from '../../../src/protocol/generated/metadata.ts';
import { ZERO_UUID } from '../../../src/protocol/generated/runtime.ts';
import { AUTHORIZED_OPERATIONS_OMITTED, CLUSTER_OPERATIONS_ALL, TOPIC_OPERATIONS_ALL } from '../../../src/server/apis/metadata.ts';
import { startTestBroker, withTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

const ALL_VERSIONS = Array.from({ length: 13 }, (_, v) => v);

function metadata(client: KafkaTestClient, version: number, body: object): Promise<MetadataResponse> {
  return client.request<MetadataResponse>(ApiKey.Metadata, version, body);
}

function named(...names: string[]): { topics: { name: string }[] } {
  return { topics: names.map((name) => ({ name })) };
}

describe('Metadata', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;
  let ordersId: string;

  before(async () => {
    broker = await startTestBroker({ 'num.partitions': '3' });
    client = await KafkaTestClient.connect(broker.port);
    const orders = await broker.services.metadata.createTopic({ name: 'orders', numPartitions: 2, replicationFactor: 1, configs: {} });
    ordersId = orders.topicId;
    await broker.services.metadata.createTopic({ name: 'payments', numPartitions: 1, replicationFactor: 1, configs: {} });
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  test('every version lists this broker, the cluster and a named topic', async () => {
    const clusterId = broker.services.metadata.image().clusterId;
    for (const v of ALL_VERSIONS) {
      const res = await metadata(client, v, named('orders'));
      assert.deepEqual(res.brokers, [{ nodeId: 1, host: '127.0.0.1', port: broker.port, rack: null }], `v${v}`);
      assert.equal(res.clusterId, v >= 2 ? clusterId : null, `v${v}`);
      assert.equal(res.controllerId, v >= 1 ? 1 : -1, `v${v}`);
      assert.equal(res.topics.length, 1);
      const [topic] = res.topics;
      assert.equal(topic.errorCode, ErrorCode.NONE);
      assert.equal(topic.name, 'orders');
      assert.equal(topic.topicId, v >= 10 ? ordersId : ZERO_UUID, `v${v}`);
      assert.equal(topic.isInternal, false);
      assert.deepEqual(topic.partitions.map((p) => [p.partitionIndex, p.leaderId, p.replicaNodes, p.isrNodes]), [
        [0, 1, [1], [1]],
        [1, 1, [1], [1]],
      ]);
      assert.equal(topic.partitions[0].leaderEpoch, v >= 7 ? 0 : -1, `v${v}`);
      assert.deepEqual(topic.partitions[0].offlineReplicas, []);
      assert.equal(topic.partitions[0].errorCode, ErrorCode.NONE);
    }
  });

  test('v0 empty list and v1+ null mean every topic; v1+ empty list means none', async () => {
    assert.deepEqual((await metadata(client, 0, { topics: [] })).topics.map((t) => t.name), ['orders', 'payments']);
    for (const v of ALL_VERSIONS.slice(1)) {
      assert.deepEqual((await metadata(client, v, { topics: null })).topics.map((t) => t.name), ['orders', 'payments'], `v${v}`);
      assert.deepEqual((await metadata(client, v, { topics: [] })).topics, [], `v${v}`);
    }
  });

  test('unknown topic is auto-created with num.partitions, answered LEADER_NOT_AVAILABLE first', async () => {
    const first = await metadata(client, 4, { ...named('auto-1'), allowAutoTopicCreation: true });
    assert.equal(first.topics[0].errorCode, ErrorCode.LEADER_NOT_AVAILABLE);
    assert.deepEqual(first.topics[0].partitions, []);
    const second = await metadata(client, 4, { ...named('auto-1'), allowAutoTopicCreation: true });
    assert.equal(second.topics[0].errorCode, ErrorCode.NONE);
    assert.equal(second.topics[0].partitions.length, 3);
    // Before v4 the request cannot forbid it.
    const old = await metadata(client, 1, named('auto-old'));
    assert.equal(old.topics[0].errorCode, ErrorCode.LEADER_NOT_AVAILABLE);
    assert.ok(broker.services.metadata.image().topic('auto-old'));
  });

  test('allowAutoTopicCreation=false answers UNKNOWN_TOPIC_OR_PARTITION and creates nothing', async () => {
    for (const v of [4, 9, 12]) {
      const res = await metadata(client, v, { ...named('never'), allowAutoTopicCreation: false });
      assert.equal(res.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `v${v}`);
      assert.equal(res.topics[0].name, 'never');
    }
    assert.equal(broker.services.metadata.image().topic('never'), undefined);
  });

  test('illegal names are INVALID_TOPIC_EXCEPTION; internal topics and __cluster_metadata are not auto-created', async () => {
    const res = await metadata(client, 12, { ...named('bad name!', '__consumer_offsets', '__cluster_metadata'), allowAutoTopicCreation: true });
    assert.deepEqual(res.topics.map((t) => [t.name, t.errorCode, t.isInternal]), [
      ['bad name!', ErrorCode.INVALID_TOPIC_EXCEPTION, false],
      ['__consumer_offsets', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, true],
      ['__cluster_metadata', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, false],
    ]);
    assert.equal(broker.services.metadata.image().topic('__consumer_offsets'), undefined);
    assert.equal(broker.services.metadata.image().topic('__cluster_metadata'), undefined);
  });

  test('v12 looks topics up by id; unknown ids are UNKNOWN_TOPIC_ID with a null name', async () => {
    const unknownId = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const res = await metadata(client, 12, { topics: [{ topicId: ordersId, name: null }, { topicId: unknownId, name: null }] });
    assert.deepEqual(res.topics.map((t) => [t.name, t.topicId, t.errorCode]), [
      ['orders', ordersId, ErrorCode.NONE],
      [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    assert.equal(res.topics[0].partitions.length, 2);
  });

  test('before v12 a topic id or a null name makes the request INVALID_REQUEST', async () => {
    const res = await metadata(client, 10, { topics: [{ topicId: ordersId, name: 'orders' }, { name: 'payments' }] });
    assert.deepEqual(res.topics.map((t) => [t.name, t.errorCode]), [
      ['orders', ErrorCode.INVALID_REQUEST],
      ['payments', ErrorCode.INVALID_REQUEST],
    ]);
    assert.deepEqual([res.brokers, res.clusterId, res.controllerId], [[], null, -1]);
  });

  test('authorized operations only when asked for (v8+; cluster v8-10)', async () => {
    const asked = await metadata(client, 10, { ...named('orders'), includeClusterAuthorizedOperations: true, includeTopicAuthorizedOperations: true });
    assert.equal(asked.topics[0].topicAuthorizedOperations, TOPIC_OPERATIONS_ALL);
    assert.equal(asked.clusterAuthorizedOperations, CLUSTER_OPERATIONS_ALL);
    const notAsked = await metadata(client, 10, named('orders'));
    assert.equal(notAsked.topics[0].topicAuthorizedOperations, AUTHORIZED_OPERATIONS_OMITTED);
    assert.equal(notAsked.clusterAuthorizedOperations, AUTHORIZED_OPERATIONS_OMITTED);
    const v12 = await metadata(client, 12, { ...named('orders'), includeTopicAuthorizedOperations: true });
    assert.equal(v12.topics[0].topicAuthorizedOperations, TOPIC_OPERATIONS_ALL);
  });

  test('concurrent requests for one unknown topic create it once; none sees an error other than LEADER_NOT_AVAILABLE', async () => {
    const clients = await Promise.all([1, 2, 3, 4].map(() => KafkaTestClient.connect(broker.port)));
    try {
      const answers = await Promise.all(clients.map((c) => metadata(c, 12, { ...named('raced'), allowAutoTopicCreation: true })));
      // A request that arrives after the creation has been applied sees the topic (NONE), as in
      // Kafka; the one that triggered the creation cannot.
      const codes = answers.map((a) => a.topics[0].errorCode);
      assert.ok(codes.includes(ErrorCode.LEADER_NOT_AVAILABLE), `codes ${codes}`);
      assert.ok(codes.every((c) => c === ErrorCode.LEADER_NOT_AVAILABLE || c === ErrorCode.NONE), `codes ${codes}`);
      assert.equal(broker.services.metadata.image().topic('raced')!.partitions.length, 3);
    } finally {
      for (const c of clients) c.close();
    }
  });

  test('a topic named twice is answered once', async () => {
    const res = await metadata(client, 9, named('orders', 'orders'));
    assert.deepEqual(res.topics.map((t) => t.name), ['orders']);
  });
});

describe('Metadata with auto.create.topics.enable=false', () => {
  test('unknown topics are UNKNOWN_TOPIC_OR_PARTITION at every version', async () => {
    await withTestBroker({ 'auto.create.topics.enable': 'false' }, async (broker) => {
      const client = await KafkaTestClient.connect(broker.port);
      try {
        for (const v of ALL_VERSIONS) {
          const res = await metadata(client, v, { ...named('nope'), allowAutoTopicCreation: true });
          assert.equal(res.topics[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `v${v}`);
        }
        assert.equal(broker.services.metadata.image().topic('nope'), undefined);
      } finally {
        client.close();
      }
    });
  });
});

describe('Metadata auto-creation that cannot succeed', () => {
  test('answers why (default.replication.factor above the broker count), not LEADER_NOT_AVAILABLE forever', async () => {
    await withTestBroker({ 'default.replication.factor': '2' }, async (broker) => {
      const client = await KafkaTestClient.connect(broker.port);
      try {
        const res = await metadata(client, 12, { ...named('unplaceable'), allowAutoTopicCreation: true });
        assert.equal(res.topics[0].errorCode, ErrorCode.INVALID_REPLICATION_FACTOR);
        assert.equal(broker.services.metadata.image().topic('unplaceable'), undefined);
      } finally {
        client.close();
      }
    });
  });
});

describe('Metadata with two listeners', () => {
  test('brokers are reported with the endpoint of the listener the request came in on', async () => {
    const config = {
      listeners: 'PLAINTEXT://127.0.0.1:0,EXTERNAL://127.0.0.1:0',
      'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,EXTERNAL:PLAINTEXT',
    };
    await withTestBroker(config, async (broker) => {
      const external = broker.endpoints.find((e) => e.listenerName === 'EXTERNAL')!;
      assert.deepEqual(broker.services.metadata.image().broker(1)!.endpoints, broker.endpoints);
      assert.notEqual(external.port, broker.port);
      for (const port of [broker.port, external.port]) {
        const client = await KafkaTestClient.connect(port);
        try {
          const res = await metadata(client, 12, { topics: null });
          assert.deepEqual(res.brokers.map((b) => b.port), [port]);
        } finally {
          client.close();
        }
      }
    });
  });
});

describe('Metadata with a broker lacking the request listener', () => {
  test('leaders without the listener are LISTENER_NOT_FOUND (v6+) / LEADER_NOT_AVAILABLE; v0 hides such replicas', async () => {
    await withTestBroker({}, async (broker) => {
      const store = broker.services.metadata;
      const endpoint = { listenerName: 'OTHER', host: 'other-host', port: 9999, securityProtocol: 'PLAINTEXT' };
      await store.registerBroker({ nodeId: 2, host: 'other-host', port: 9999, rack: null, endpoints: [endpoint] });
      await store.createTopic({ name: 'remote', numPartitions: -1, replicationFactor: -1, assignments: [[2, 1]], configs: {} });
      await store.createTopic({ name: 'mixed', numPartitions: -1, replicationFactor: -1, assignments: [[1, 2]], configs: {} });
      const client = await KafkaTestClient.connect(broker.port);
      try {
        const partition = async (v: number, topic: string) => (await metadata(client, v, named(topic))).topics[0].partitions[0];
        const remote6 = await partition(6, 'remote');
        assert.deepEqual([remote6.errorCode, remote6.leaderId, remote6.replicaNodes], [ErrorCode.LISTENER_NOT_FOUND, -1, [2, 1]]);
        const remote5 = await partition(5, 'remote');
        assert.deepEqual([remote5.errorCode, remote5.leaderId], [ErrorCode.LEADER_NOT_AVAILABLE, -1]);
        const mixed0 = await partition(0, 'mixed');
        assert.deepEqual([mixed0.errorCode, mixed0.leaderId, mixed0.replicaNodes], [ErrorCode.REPLICA_NOT_AVAILABLE, 1, [1]]);
        const mixed1 = await partition(1, 'mixed');
        assert.deepEqual([mixed1.errorCode, mixed1.replicaNodes], [ErrorCode.NONE, [1, 2]]);
        assert.deepEqual((await metadata(client, 1, named('mixed'))).brokers.map((b) => b.nodeId), [1]);
      } finally {
        client.close();
      }
    });
  });
});
