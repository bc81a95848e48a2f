/**
 * TxnOffsetCommit over the wire: offsets of an open transaction are invisible to
 * OffsetFetch (UNSTABLE_OFFSET_COMMIT with requireStable), become the group's offsets
 * when the transaction commits, and are dropped when it aborts.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { AddOffsetsToTxnResponse } from '../../../src/protocol/generated/add-offsets-to-txn.ts';
import type { EndTxnResponse } from '../../../src/protocol/generated/end-txn.ts';
import type { FindCoordinatorResponse } from '../../../src/protocol/generated/find-coordinator.ts';
import type { InitProducerIdResponse } from '../../../src/protocol/generated/init-producer-id.ts';
import type { OffsetFetchResponse } from '../../../src/protocol/generated/offset-fetch.ts';
import type { TxnOffsetCommitResponse } from '../../../src/protocol/generated/txn-offset-commit.ts';
import { startTestBroker, type TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

describe('transactional offsets', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;

  before(async () => {
    broker = await startTestBroker({ 'transaction.state.log.num.partitions': '2', 'offsets.topic.num.partitions': '2' });
    client = await KafkaTestClient.connect(broker.port);
    await broker.services.metadata.createTopic({ name: 'src', numPartitions: 1, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
    for (const keyType of [0, 1]) assert.equal((await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { key: 'x', keyType })).errorCode, ErrorCode.NONE);
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  async function commitInTxn(offset: number, commit: boolean): Promise<void> {
    const init = await client.request<InitProducerIdResponse>(ApiKey.InitProducerId, 3, { transactionalId: 'tx-offsets', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    const ids = { transactionalId: 'tx-offsets', producerId: init.producerId, producerEpoch: init.producerEpoch };
    assert.equal((await client.request<AddOffsetsToTxnResponse>(ApiKey.AddOffsetsToTxn, 1, { ...ids, groupId: 'g' })).errorCode, ErrorCode.NONE);
    const committed = await client.request<TxnOffsetCommitResponse>(ApiKey.TxnOffsetCommit, 3, {
      ...ids, groupId: 'g', generationId: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: 'src', partitions: [{ partitionIndex: 0, committedOffset: offset, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    assert.equal(committed.topics[0].partitions[0].errorCode, ErrorCode.NONE);
    assert.deepEqual(await fetchOffset(true), [ErrorCode.UNSTABLE_OFFSET_COMMIT, -1]);
    assert.equal((await client.request<EndTxnResponse>(ApiKey.EndTxn, 1, { ...ids, committed: commit })).errorCode, ErrorCode.NONE);
    await broker.services.transactions.whenIdle();
  }

  async function fetchOffset(requireStable: boolean): Promise<[number, number]> {
    const res = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, { groupId: 'g', topics: [{ name: 'src', partitionIndexes: [0] }], requireStable });
    const p = res.topics[0].partitions[0];
    return [p.errorCode, p.committedOffset];
  }

  test('pending until commit, then visible; an aborted commit leaves the previous offset', async () => {
    assert.deepEqual(await fetchOffset(false), [ErrorCode.NONE, -1]);
    await commitInTxn(42, true);
    assert.deepEqual(await fetchOffset(true), [ErrorCode.NONE, 42]);
    await commitInTxn(99, false);
    assert.deepEqual(await fetchOffset(true), [ErrorCode.NONE, 42]);
    assert.deepEqual(await fetchOffset(false), [ErrorCode.NONE, 42]);
  });
});
