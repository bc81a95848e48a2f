/**
 * Transactions over the wire (raw client): FindCoordinator key type 1, InitProducerId
 * with a transactional id, AddPartitionsToTxn v3 and v4 verifyOnly, then the admin APIs:
 * DescribeTransactions, ListTransactions (state / producer id / duration filters,
 * unknown state names), DescribeProducers (the open transaction's first offset); EndTxn
 * and the state afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { AddPartitionsToTxnResponse } from '../../../src/protocol/generated/add-partitions-to-txn.ts';
import type { DescribeProducersResponse } from '../../../src/protocol/generated/describe-producers.ts';
import type { DescribeTransactionsResponse } from '../../../src/protocol/generated/describe-transactions.ts';
import type { EndTxnResponse } from '../../../src/protocol/generated/end-txn.ts';
import type { FindCoordinatorResponse } from '../../../src/protocol/generated/find-coordinator.ts';
import type { InitProducerIdResponse } from '../../../src/protocol/generated/init-producer-id.ts';
import type { ListTransactionsResponse } from '../../../src/protocol/generated/list-transactions.ts';
import type { ProduceResponse } from '../../../src/protocol/generated/produce.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import { startTestBroker, type TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

describe('transaction APIs over the wire', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;
  let producerId = -1;
  let producerEpoch = -1;

  before(async () => {
    broker = await startTestBroker({ 'transaction.state.log.num.partitions': '2' });
    client = await KafkaTestClient.connect(broker.port);
    await broker.services.metadata.createTopic({ name: 't', numPartitions: 2, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  test('FindCoordinator key type 1 and InitProducerId with a transactional id', async () => {
    const found = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { key: 'wire-app', keyType: 1 });
    assert.equal(found.errorCode, ErrorCode.NONE);
    assert.equal(found.port, broker.port);
    const init = await client.request<InitProducerIdResponse>(ApiKey.InitProducerId, 3, { transactionalId: 'wire-app', transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    assert.equal(init.errorCode, ErrorCode.NONE);
    ({ producerId, producerEpoch } = init);
    const tooLong = await client.request<InitProducerIdResponse>(ApiKey.InitProducerId, 3, { transactionalId: 'wire-app', transactionTimeoutMs: 10_000_000, producerId: -1, producerEpoch: -1 });
    assert.equal(tooLong.errorCode, ErrorCode.INVALID_TRANSACTION_TIMEOUT);
  });

  test('AddPartitionsToTxn v3, a transactional produce, verifyOnly v4', async () => {
    const added = await client.request<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, {
      v3AndBelowTransactionalId: 'wire-app', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch,
      v3AndBelowTopics: [{ name: 't', partitions: [0] }, { name: 'nope', partitions: [0] }],
    });
    assert.deepEqual(added.resultsByTopicV3AndBelow.map((t) => [t.name, t.resultsByPartition[0].partitionErrorCode]), [
      ['t', ErrorCode.OPERATION_NOT_ATTEMPTED], ['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
    const ok = await client.request<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 3, {
      v3AndBelowTransactionalId: 'wire-app', v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: producerEpoch, v3AndBelowTopics: [{ name: 't', partitions: [0] }],
    });
    assert.equal(ok.resultsByTopicV3AndBelow[0].resultsByPartition[0].partitionErrorCode, ErrorCode.NONE);
    const records = await buildRecordBatch({ records: [{ value: 'x' }, { value: 'y' }], producerId, producerEpoch, baseSequence: 0, isTransactional: true });
    const produced = await client.request<ProduceResponse>(ApiKey.Produce, 7, {
      transactionalId: 'wire-app', acks: -1, timeoutMs: 5_000, topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    });
    assert.equal(produced.responses[0].partitionResponses[0].errorCode, ErrorCode.NONE);
    const verified = await client.request<AddPartitionsToTxnResponse>(ApiKey.AddPartitionsToTxn, 4, {
      transactions: [{ transactionalId: 'wire-app', producerId, producerEpoch, verifyOnly: true, topics: [{ name: 't', partitions: [0, 1] }] }],
    });
    assert.deepEqual(verified.resultsByTransaction[0].topicResults[0].resultsByPartition.map((p) => p.partitionErrorCode), [ErrorCode.NONE, ErrorCode.INVALID_TXN_STATE]);
  });

  test('DescribeTransactions, ListTransactions, DescribeProducers show the open transaction', async () => {
    const described = await client.request<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, { transactionalIds: ['wire-app', 'unknown-id'] });
    const [txn, unknown] = described.transactionStates;
    assert.deepEqual([txn.errorCode, txn.transactionState, txn.producerId, txn.topics], [ErrorCode.NONE, 'Ongoing', producerId, [{ topic: 't', partitions: [0] }]]);
    assert.equal(unknown.errorCode, ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
    const list = (body: object) => client.request<ListTransactionsResponse>(ApiKey.ListTransactions, 1, { stateFilters: [], producerIdFilters: [], durationFilter: -1, ...body });
    assert.deepEqual((await list({})).transactionStates.map((t) => t.transactionalId), ['wire-app']);
    assert.equal((await list({ stateFilters: ['CompleteCommit'] })).transactionStates.length, 0);
    assert.equal((await list({ producerIdFilters: [producerId] })).transactionStates.length, 1);
    assert.equal((await list({ durationFilter: 3_600_000 })).transactionStates.length, 0, 'not running for an hour');
    assert.deepEqual((await list({ stateFilters: ['Bogus'] })).unknownStateFilters, ['Bogus']);
    const producers = await client.request<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0, 7] }] });
    const [p0, p7] = producers.topics[0].partitions;
    assert.deepEqual(p0.activeProducers.map((p) => [p.producerId, p.currentTxnStartOffset, p.lastSequence]), [[producerId, 0, 1]]);
    assert.equal(p7.errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  test('EndTxn commit: CompleteCommit, the transaction no longer open on the partition', async () => {
    const ended = await client.request<EndTxnResponse>(ApiKey.EndTxn, 3, { transactionalId: 'wire-app', producerId, producerEpoch, committed: true });
    assert.equal(ended.errorCode, ErrorCode.NONE);
    await broker.services.transactions.whenIdle();
    const described = await client.request<DescribeTransactionsResponse>(ApiKey.DescribeTransactions, 0, { transactionalIds: ['wire-app'] });
    assert.equal(described.transactionStates[0].transactionState, 'CompleteCommit');
    const producers = await client.request<DescribeProducersResponse>(ApiKey.DescribeProducers, 0, { topics: [{ name: 't', partitionIndexes: [0] }] });
    assert.equal(producers.topics[0].partitions[0].activeProducers[0].currentTxnStartOffset, -1);
  });
});
