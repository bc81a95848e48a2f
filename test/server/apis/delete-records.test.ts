import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { DeleteRecordsResponse } from '../../../src/protocol/generated/delete-records.ts';
import { createDeleteRecordsHandler } from '../../../src/server/apis/delete-records.ts';
import { answer, Fixture, records, type TopicSpec } from '../../replication/helpers.ts';

async function setup(...topics: TopicSpec[]) {
  const f = await Fixture.open();
  await f.setTopics(...(topics.length > 0 ? topics : [{ name: 't' }]));
  const handler = createDeleteRecordsHandler(f.services);
  const del = async (version: number, topic: string, partitions: { partitionIndex: number; offset: number }[]) =>
    (await answer<DeleteRecordsResponse>(handler, version, { topics: [{ name: topic, partitions }], timeoutMs: 1000 })).topics[0].partitions;
  const produce = async (count: number, topic = 't') => {
    const out = await f.replicas.getPartition(topic, 0)!.appendRecordsToLeader(await records(count), { requiredAcks: 1 });
    assert.ok(out.ok);
  };
  return { f, handler, del, produce };
}

test('advertises DeleteRecords 0-2', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 2]);
  await f.close();
});

test('every version moves the log start offset and answers it as the low watermark', async () => {
  const { f, del, produce } = await setup();
  await produce(10);
  const log = f.replicas.getPartition('t', 0)!.log;
  for (const [version, offset] of [[0, 2], [1, 5], [2, 7]]) {
    assert.deepEqual(await del(version, 't', [{ partitionIndex: 0, offset }]), [{ partitionIndex: 0, lowWatermark: offset, errorCode: 0 }]);
    assert.equal(log.logStartOffset, offset);
  }
  // Never backwards.
  assert.deepEqual(await del(2, 't', [{ partitionIndex: 0, offset: 3 }]), [{ partitionIndex: 0, lowWatermark: 7, errorCode: 0 }]);
  const read = await log.read({ offset: 5, maxBytes: 1 << 20, maxOffset: 10, minOneBatch: true });
  assert.equal(read.kind, 'offsetOutOfRange');
  await f.close();
});

test('-1 deletes up to the high watermark; above it or below -1 is OFFSET_OUT_OF_RANGE', async () => {
  const { f, del, produce } = await setup();
  await produce(4);
  assert.deepEqual(await del(2, 't', [{ partitionIndex: 0, offset: 5 }]), [{ partitionIndex: 0, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }]);
  assert.deepEqual(await del(2, 't', [{ partitionIndex: 0, offset: -2 }]), [{ partitionIndex: 0, lowWatermark: -1, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }]);
  assert.deepEqual(await del(2, 't', [{ partitionIndex: 0, offset: -1 }]), [{ partitionIndex: 0, lowWatermark: 4, errorCode: 0 }]);
  await produce(2);
  assert.equal(f.replicas.getPartition('t', 0)!.log.logEndOffset, 6);
  await f.close();
});

test('unknown partitions, followers and compacted topics are refused', async () => {
  const { f, del } = await setup({ name: 't' }, { name: 'followed', leader: 2, replicas: [1, 2] }, { name: 'compacted', configs: { 'cleanup.policy': 'compact' } });
  assert.equal((await del(1, 't', [{ partitionIndex: 3, offset: 0 }]))[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal((await del(1, 'nope', [{ partitionIndex: 0, offset: 0 }]))[0].errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal((await del(1, 'followed', [{ partitionIndex: 0, offset: 0 }]))[0].errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.equal((await del(1, 'compacted', [{ partitionIndex: 0, offset: 0 }]))[0].errorCode, ErrorCode.POLICY_VIOLATION);
  await f.close();
});
