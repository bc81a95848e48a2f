import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { DeleteTopicsResponse } from '../../../src/protocol/generated/delete-topics.ts';
import { ZERO_UUID } from '../../../src/protocol/generated/runtime.ts';
import { startTestBroker, withTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

async function createTopic(broker: TestBroker, name: string): Promise<string> {
  const topic = await broker.services.metadata.createTopic({ name, numPartitions: 1, replicationFactor: 1, configs: {} });
  return topic.topicId;
}

function deleteTopics(client: KafkaTestClient, version: number, body: object): Promise<DeleteTopicsResponse> {
  return client.request<DeleteTopicsResponse>(ApiKey.DeleteTopics, version, { timeoutMs: 5000, ...body });
}

describe('DeleteTopics', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker();
    client = await KafkaTestClient.connect(broker.port);
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  test('v0-5 delete by name; unknown names are UNKNOWN_TOPIC_OR_PARTITION', async () => {
    for (let v = 0; v <= 5; v++) {
      await createTopic(broker, `doomed-${v}`);
      const res = await deleteTopics(client, v, { topicNames: [`doomed-${v}`, 'missing'] });
      assert.deepEqual(res.responses.map((r) => [r.name, r.errorCode]), [
        [`doomed-${v}`, ErrorCode.NONE],
        ['missing', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ], `v${v}`);
      assert.equal(broker.services.metadata.image().topic(`doomed-${v}`), undefined);
    }
  });

  test('v6 deletes by name or id and reports both', async () => {
    const byNameId = await createTopic(broker, 'by-name');
    const byIdId = await createTopic(broker, 'by-id');
    const unknownId = 'AAAAAAAAAAAAAAAAAAAAAQ';
    const res = await deleteTopics(client, 6, {
      topics: [{ name: 'by-name', topicId: ZERO_UUID }, { name: null, topicId: byIdId }, { name: null, topicId: unknownId }],
    });
    assert.deepEqual(res.responses.map((r) => [r.name, r.topicId, r.errorCode]), [
      ['by-name', byNameId, ErrorCode.NONE],
      ['by-id', byIdId, ErrorCode.NONE],
      [null, unknownId, ErrorCode.UNKNOWN_TOPIC_ID],
    ]);
    assert.equal(broker.services.metadata.image().topicsByName.size, 0);
  });

  test('v6 entries with both or neither of name and id are INVALID_REQUEST', async () => {
    const id = await createTopic(broker, 'kept');
    const res = await deleteTopics(client, 6, { topics: [{ name: 'kept', topicId: id }, { name: null, topicId: ZERO_UUID }] });
    assert.deepEqual(res.responses.map((r) => r.errorCode), [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
    assert.ok(broker.services.metadata.image().topic('kept'));
  });

  test('a name given twice is INVALID_REQUEST and not deleted', async () => {
    await createTopic(broker, 'twice');
    const res = await deleteTopics(client, 5, { topicNames: ['twice', 'twice'] });
    assert.deepEqual(res.responses.map((r) => [r.name, r.errorCode, r.errorMessage]), [
      ['twice', ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'],
    ]);
    assert.ok(broker.services.metadata.image().topic('twice'));
  });
});

describe('DeleteTopics and the logs', () => {
  test('the topic\'s logs are gone when the answer comes', async () => {
    await withTestBroker({}, async (broker) => {
      await broker.services.metadata.createTopic({ name: 'with-log', numPartitions: 2, replicationFactor: 1, configs: {} });
      await broker.services.metadataApplied();
      assert.ok(broker.services.logs.getLog('with-log', 1));
      const client = await KafkaTestClient.connect(broker.port);
      try {
        const res = await deleteTopics(client, 5, { topicNames: ['with-log'] });
        assert.equal(res.responses[0].errorCode, ErrorCode.NONE);
        assert.equal(broker.services.logs.getLog('with-log', 0), undefined);
        assert.equal(broker.services.logs.getLog('with-log', 1), undefined);
      } finally {
        client.close();
      }
    });
  });
});

describe('DeleteTopics with delete.topic.enable=false', () => {
  test('every topic fails: INVALID_REQUEST before v3, TOPIC_DELETION_DISABLED from v3', async () => {
    await withTestBroker({ 'delete.topic.enable': 'false' }, async (broker) => {
      await createTopic(broker, 'stays');
      const client = await KafkaTestClient.connect(broker.port);
      try {
        for (let v = 0; v <= 6; v++) {
          const body = v >= 6 ? { topics: [{ name: 'stays', topicId: ZERO_UUID }] } : { topicNames: ['stays'] };
          const res = await deleteTopics(client, v, body);
          const expected = v >= 3 ? ErrorCode.TOPIC_DELETION_DISABLED : ErrorCode.INVALID_REQUEST;
          assert.deepEqual(res.responses.map((r) => [r.name, r.errorCode]), [['stays', expected]], `v${v}`);
        }
        assert.ok(broker.services.metadata.image().topic('stays'));
      } finally {
        client.close();
      }
    });
  });
});
