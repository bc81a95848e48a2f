import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { CreatePartitionsResponse } from '../../../src/protocol/generated/create-partitions.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

describe('CreatePartitions', () => {
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

  async function topic(name: string, partitions: number): Promise<void> {
    await broker.services.metadata.createTopic({ name, numPartitions: partitions, replicationFactor: 1, configs: {} });
  }

  function partitionCount(name: string): number | undefined {
    return broker.services.metadata.image().topic(name)?.partitions.length;
  }

  async function grow(version: number, topics: object[], validateOnly = false): Promise<[string, number, string | null][]> {
    const body = { topics, timeoutMs: 5000, validateOnly };
    const res = await client.request<CreatePartitionsResponse>(ApiKey.CreatePartitions, version, body);
    return res.results.map((r) => [r.name, r.errorCode, r.errorMessage]);
  }

  test('every version grows a topic', async () => {
    for (let v = 0; v <= 3; v++) {
      await topic(`grow-${v}`, 1);
      assert.deepEqual(await grow(v, [{ name: `grow-${v}`, count: 3, assignments: null }]), [[`grow-${v}`, ErrorCode.NONE, null]]);
      assert.equal(partitionCount(`grow-${v}`), 3);
      assert.ok(broker.services.logs.getLog(`grow-${v}`, 2), 'the new logs exist when the answer comes');
    }
  });

  test('explicit assignments list the replicas of each new partition', async () => {
    await topic('assigned', 1);
    const ok = await grow(3, [{ name: 'assigned', count: 3, assignments: [{ brokerIds: [1] }, { brokerIds: [1] }] }]);
    assert.equal(ok[0][1], ErrorCode.NONE);
    assert.equal(partitionCount('assigned'), 3);
    const short = await grow(3, [{ name: 'assigned', count: 5, assignments: [{ brokerIds: [1] }] }]);
    assert.equal(short[0][1], ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    const unknownBroker = await grow(3, [{ name: 'assigned', count: 4, assignments: [{ brokerIds: [7] }] }]);
    assert.equal(unknownBroker[0][1], ErrorCode.INVALID_REPLICA_ASSIGNMENT);
    assert.equal(partitionCount('assigned'), 3);
  });

  test('shrinking or keeping the count is INVALID_PARTITIONS; unknown topic is UNKNOWN_TOPIC_OR_PARTITION', async () => {
    await topic('fixed', 2);
    const results = await grow(1, [
      { name: 'fixed', count: 1, assignments: null },
      { name: 'nowhere', count: 2, assignments: null },
    ]);
    assert.deepEqual(results.map(([name, code]) => [name, code]), [
      ['fixed', ErrorCode.INVALID_PARTITIONS],
      ['nowhere', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const same = await grow(1, [{ name: 'fixed', count: 2, assignments: null }]);
    assert.equal(same[0][1], ErrorCode.INVALID_PARTITIONS);
    assert.ok(same[0][2]);
    assert.equal(partitionCount('fixed'), 2);
  });

  test('validateOnly checks without growing', async () => {
    await topic('dry', 1);
    assert.deepEqual(await grow(2, [{ name: 'dry', count: 4, assignments: null }], true), [['dry', ErrorCode.NONE, null]]);
    assert.equal(partitionCount('dry'), 1);
    const bad = await grow(2, [{ name: 'dry', count: 1, assignments: null }], true);
    assert.equal(bad[0][1], ErrorCode.INVALID_PARTITIONS);
  });

  test('a topic named twice is INVALID_REQUEST and unchanged', async () => {
    await topic('twice', 1);
    const results = await grow(3, [
      { name: 'twice', count: 2, assignments: null },
      { name: 'twice', count: 3, assignments: null },
    ]);
    assert.deepEqual(results, [['twice', ErrorCode.INVALID_REQUEST, 'Duplicate topic name.']]);
    assert.equal(partitionCount('twice'), 1);
  });
});
