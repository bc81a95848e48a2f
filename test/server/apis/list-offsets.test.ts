import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { ListOffsetsResponse } from '../../../src/protocol/generated/list-offsets.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import { createListOffsetsHandler } from '../../../src/server/apis/list-offsets.ts';
import { answer, Fixture, type TopicSpec } from '../../replication/helpers.ts';

interface Q {
  topic?: string;
  partition?: number;
  timestamp: number;
  currentLeaderEpoch?: number;
  maxNumOffsets?: number;
}

async function setup(...topics: TopicSpec[]) {
  const f = await Fixture.open();
  await f.setTopics(...(topics.length > 0 ? topics : [{ name: 't', leaderEpoch: 2 }]));
  const handler = createListOffsetsHandler(f.services);
  const list = (version: number, queries: Q[], opts: { isolationLevel?: number; replicaId?: number } = {}) => answer<ListOffsetsResponse>(handler, version, {
    replicaId: opts.replicaId ?? -1,
    isolationLevel: opts.isolationLevel ?? 0,
    topics: [...new Set(queries.map((q) => q.topic ?? 't'))].map((name) => ({
      name,
      partitions: queries.filter((q) => (q.topic ?? 't') === name).map((q) => ({
        partitionIndex: q.partition ?? 0, timestamp: q.timestamp, currentLeaderEpoch: q.currentLeaderEpoch ?? -1, maxNumOffsets: q.maxNumOffsets ?? 1,
      })),
    })),
  });
  const one = async (version: number, q: Q, opts?: { isolationLevel?: number; replicaId?: number }) => (await list(version, [q], opts)).topics[0].partitions[0];
  const appendBatch = async (timestamps: number[], compression = 0, topic = 't') => {
    const batch = await buildRecordBatch({ records: timestamps.map((ts, i) => ({ key: `k${i}`, value: `v${i}`, timestamp: ts })), compression: compression as 0 });
    const out = await f.replicas.getPartition(topic, 0)!.appendRecordsToLeader(batch, { requiredAcks: 1 });
    assert.ok(out.ok);
  };
  return { f, handler, list, one, appendBatch };
}

test('advertises ListOffsets 0-10', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 10]);
  await f.close();
});

test('latest (-1): HW with the current leader epoch; earliest (-2) and earliest local (-4): log start', async () => {
  const { f, one, appendBatch } = await setup();
  await appendBatch([100, 200, 300]);
  assert.deepEqual(await one(4, { timestamp: -1 }), { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [], timestamp: -1, offset: 3, leaderEpoch: 2 });
  assert.deepEqual(await one(1, { timestamp: -1 }), { partitionIndex: 0, errorCode: 0, oldStyleOffsets: [], timestamp: -1, offset: 3, leaderEpoch: -1 });
  const earliest = await one(8, { timestamp: -2 });
  assert.deepEqual([earliest.offset, earliest.timestamp, earliest.leaderEpoch], [0, -1, 2]);
  await f.replicas.getPartition('t', 0)!.log.deleteRecordsBefore(2);
  assert.equal((await one(8, { timestamp: -2 })).offset, 2);
  assert.equal((await one(8, { timestamp: -4 })).offset, 2);
  await f.close();
});

test('latest follows the isolation: HW for consumers, log end for replicas', async () => {
  const { f, one, appendBatch } = await setup({ name: 't', replicas: [1, 2], isr: [1, 2] });
  await appendBatch([1, 2]);
  assert.equal((await one(2, { timestamp: -1 })).offset, 0);
  assert.equal((await one(2, { timestamp: -1 }, { isolationLevel: 1 })).offset, 0);
  assert.equal((await one(2, { timestamp: -1 }, { replicaId: 2 })).offset, 2);
  await f.close();
});

test('max timestamp (-3): the first record with the largest timestamp', async () => {
  const { f, one, appendBatch } = await setup();
  await appendBatch([100, 500, 200]);
  await appendBatch([500, 300], 1);
  const res = await one(7, { timestamp: -3 });
  assert.deepEqual([res.offset, res.timestamp, res.leaderEpoch], [1, 500, 2]);
  await f.close();
});

test('latest tiered (-5): -1 without tiered storage', async () => {
  const { f, one, appendBatch } = await setup();
  await appendBatch([100]);
  const res = await one(9, { timestamp: -5 });
  assert.deepEqual([res.errorCode, res.offset, res.timestamp, res.leaderEpoch], [0, -1, -1, -1]);
  await f.close();
});

test('by timestamp: the first record at or after it, inside compressed batches', async () => {
  const { f, one, appendBatch } = await setup();
  await appendBatch([100, 200, 300], 1);
  await appendBatch([400, 350, 500], 2);
  const cases: [number, number, number][] = [[0, 0, 100], [150, 1, 200], [300, 2, 300], [360, 3, 400], [450, 5, 500]];
  for (const [ts, offset, found] of cases) {
    const res = await one(5, { timestamp: ts });
    assert.deepEqual([res.offset, res.timestamp, res.leaderEpoch], [offset, found, 2], `timestamp ${ts}`);
  }
  const none = await one(5, { timestamp: 501 });
  assert.deepEqual([none.errorCode, none.offset, none.timestamp], [0, -1, -1]);
  await f.close();
});

test('by timestamp: records not yet below the HW are not found', async () => {
  const { f, one, appendBatch } = await setup({ name: 't', replicas: [1, 2], isr: [1, 2] });
  await appendBatch([100, 200]);
  assert.equal((await one(5, { timestamp: 150 })).offset, -1);
  f.replicas.getPartition('t', 0)!.updateFollowerFetchState(2, 2);
  assert.equal((await one(5, { timestamp: 150 })).offset, 1);
  await f.close();
});

test('v0: old-style offset lists bounded by maxNumOffsets', async () => {
  const { f, one, appendBatch } = await setup();
  await appendBatch([100, 200, 300]);
  await f.replicas.getPartition('t', 0)!.log.deleteRecordsBefore(1);
  assert.deepEqual((await one(0, { timestamp: -1, maxNumOffsets: 10 })).oldStyleOffsets, [3, 1]);
  assert.deepEqual((await one(0, { timestamp: -1, maxNumOffsets: 1 })).oldStyleOffsets, [3]);
  assert.deepEqual((await one(0, { timestamp: -2, maxNumOffsets: 1 })).oldStyleOffsets, [1]);
  assert.deepEqual((await one(0, { timestamp: 250, maxNumOffsets: 1 })).oldStyleOffsets, [2]);
  const unknown = await one(0, { topic: 'nope', timestamp: -1 });
  assert.deepEqual([unknown.errorCode, unknown.oldStyleOffsets], [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, []]);
  await f.close();
});

test('errors: unknown topic, not leader (debug replica -2 may ask anyway), leader epochs, duplicates', async () => {
  const { f, one, list } = await setup({ name: 't', leaderEpoch: 3 }, { name: 'f', leader: 2, replicas: [1, 2] });
  const unknown = await one(6, { topic: 'nope', timestamp: -1 });
  assert.deepEqual([unknown.errorCode, unknown.offset, unknown.timestamp, unknown.leaderEpoch], [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, -1, -1, -1]);
  assert.equal((await one(6, { topic: 'f', timestamp: -1 })).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.equal((await one(6, { topic: 'f', timestamp: -2 }, { replicaId: -2 })).errorCode, ErrorCode.NONE);
  assert.equal((await one(4, { timestamp: -1, currentLeaderEpoch: 2 })).errorCode, ErrorCode.FENCED_LEADER_EPOCH);
  assert.equal((await one(4, { timestamp: -1, currentLeaderEpoch: 4 })).errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  assert.equal((await one(4, { timestamp: -1, currentLeaderEpoch: 3 })).errorCode, ErrorCode.NONE);
  const dup = await list(1, [{ timestamp: -1 }, { timestamp: -2 }]);
  assert.deepEqual(dup.topics[0].partitions.map((p) => p.errorCode), [ErrorCode.INVALID_REQUEST, ErrorCode.INVALID_REQUEST]);
  await f.close();
});

test('a new leader whose HW is below its epoch start answers OFFSET_NOT_AVAILABLE to clients', async () => {
  const { f, one, appendBatch } = await setup({ name: 't', replicas: [1, 2], isr: [1, 2] });
  await appendBatch([100, 200]);
  const info = f.image.topic('t')!;
  await f.apply(f.image.withTopic({ ...info, partitions: [{ ...info.partitions[0], leader: 2, leaderEpoch: 1 }] }));
  await f.apply(f.image.withTopic({ ...info, partitions: [{ ...info.partitions[0], leader: 1, leaderEpoch: 2 }] }));
  assert.equal((await one(5, { timestamp: -1 })).errorCode, ErrorCode.OFFSET_NOT_AVAILABLE);
  assert.equal((await one(5, { timestamp: 150 })).errorCode, ErrorCode.OFFSET_NOT_AVAILABLE);
  assert.equal((await one(5, { timestamp: -2 })).errorCode, ErrorCode.NONE);
  assert.equal((await one(5, { timestamp: -1 }, { replicaId: 2 })).offset, 2);
  f.replicas.getPartition('t', 0)!.updateFollowerFetchState(2, 2);
  assert.equal((await one(5, { timestamp: -1 })).offset, 2);
  await f.close();
});
