import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { OffsetForLeaderEpochResponse } from '../../../src/protocol/generated/offset-for-leader-epoch.ts';
import { createOffsetForLeaderEpochHandler } from '../../../src/server/apis/offset-for-leader-epoch.ts';
import { answer, Fixture, records, topicInfo } from '../../replication/helpers.ts';

interface Q { partition?: number; leaderEpoch: number; currentLeaderEpoch?: number }

async function setup() {
  const f = await Fixture.open();
  const [info] = await f.setTopics({ name: 't', leaderEpoch: 3 }, { name: 'followed', leader: 2, replicas: [1, 2] });
  const handler = createOffsetForLeaderEpochHandler(f.services);
  const ask = async (version: number, q: Q, topic = 't', replicaId = -1) => (await answer<OffsetForLeaderEpochResponse>(handler, version, {
    replicaId,
    topics: [{ topic, partitions: [{ partition: q.partition ?? 0, leaderEpoch: q.leaderEpoch, currentLeaderEpoch: q.currentLeaderEpoch ?? -1 }] }],
  })).topics[0].partitions[0];
  const produce = async (count: number) => {
    const out = await f.replicas.getPartition('t', 0)!.appendRecordsToLeader(await records(count), { requiredAcks: 1 });
    assert.ok(out.ok);
  };
  /** Makes this node leader of t at a new epoch (as a leader change in the image would). */
  const bumpEpoch = async (leaderEpoch: number) => {
    const next = topicInfo({ name: 't', leaderEpoch, topicId: info.topicId });
    await f.apply(f.image.withTopic(next));
  };
  return { f, handler, ask, produce, bumpEpoch };
}

test('advertises OffsetForLeaderEpoch 0-4', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 4]);
  await f.close();
});

test('answers from the leader-epoch cache: latest epoch -> log end, older -> next epoch start, unknown -> -1/-1', async () => {
  const { f, ask, produce, bumpEpoch } = await setup();
  assert.deepEqual(await ask(4, { leaderEpoch: 3 }), { errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 0 }, 'a new leader\'s epoch starts at its log end (Kafka\'s makeLeader), before any append');
  assert.deepEqual(await ask(4, { leaderEpoch: 2 }), { errorCode: 0, partition: 0, leaderEpoch: 2, endOffset: 0 });
  await produce(5); // epoch 3: offsets 0..4
  await bumpEpoch(5);
  await produce(2); // epoch 5: offsets 5..6
  assert.deepEqual(await ask(4, { leaderEpoch: 5 }), { errorCode: 0, partition: 0, leaderEpoch: 5, endOffset: 7 });
  assert.deepEqual(await ask(3, { leaderEpoch: 3 }), { errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 5 });
  assert.deepEqual(await ask(2, { leaderEpoch: 4 }), { errorCode: 0, partition: 0, leaderEpoch: 3, endOffset: 5 }, 'epoch 4 was never used');
  assert.deepEqual(await ask(2, { leaderEpoch: 1 }), { errorCode: 0, partition: 0, leaderEpoch: 1, endOffset: 0 }, 'below the first epoch');
  assert.deepEqual(await ask(4, { leaderEpoch: 9 }), { errorCode: 0, partition: 0, leaderEpoch: -1, endOffset: -1 });
  const v0 = await ask(0, { leaderEpoch: 3 });
  assert.deepEqual([v0.errorCode, v0.endOffset], [0, 5]);
  await f.close();
});

test('currentLeaderEpoch is checked (v2+); only the leader answers; unknown partitions', async () => {
  const { f, ask } = await setup();
  assert.equal((await ask(2, { leaderEpoch: 3, currentLeaderEpoch: 2 })).errorCode, ErrorCode.FENCED_LEADER_EPOCH);
  assert.equal((await ask(3, { leaderEpoch: 3, currentLeaderEpoch: 4 })).errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  assert.equal((await ask(3, { leaderEpoch: 3, currentLeaderEpoch: 3 })).errorCode, ErrorCode.NONE);
  assert.equal((await ask(4, { leaderEpoch: 0 }, 'followed')).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.equal((await ask(4, { leaderEpoch: 0 }, 'followed', -2)).errorCode, ErrorCode.NONE, 'the debugging replica may ask a follower');
  assert.equal((await ask(4, { leaderEpoch: 0, partition: 7 })).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal((await ask(4, { leaderEpoch: 0 }, 'nope')).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  await f.close();
});
