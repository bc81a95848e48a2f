import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { commitRequest, CTX, groupFixture, joinRequest, subscription, syncRequest } from '../helpers.ts';

const MINUTE = 60_000;

async function stableMember(g: Awaited<ReturnType<typeof groupFixture>>, groupId: string, topics = ['t'], sessionTimeoutMs = 10_000) {
  const protocols = [{ name: 'range', metadata: subscription(topics) }];
  const joining = g.groups.joinGroup(joinRequest(groupId, '', { protocols, sessionTimeoutMs }), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  const joined = await joining;
  await g.groups.syncGroup(syncRequest(groupId, joined.memberId, joined.generationId));
  return { memberId: joined.memberId, generation: joined.generationId };
}

const errors = (r: { partitions: { errorCode: number }[] }[]) => r.flatMap((t) => t.partitions.map((p) => p.errorCode));

test('standalone commit (generation -1, no member) creates a simple group; fetch returns offset, epoch and metadata', async () => {
  const g = await groupFixture();
  const req = commitRequest('simple', -1, '', { 't:0': 42, 't:1': 7 });
  req.topics[0].partitions[0].committedMetadata = 'meta';
  req.topics[0].partitions[0].committedLeaderEpoch = 3;
  assert.deepEqual(errors(await g.groups.commitOffsets(req, 8)), [0, 0]);
  const fetched = g.groups.fetchOffsets('simple', [{ name: 't', partitionIndexes: [0, 1, 2] }]);
  assert.equal(fetched.errorCode, ErrorCode.NONE);
  assert.deepEqual(fetched.topics[0].partitions.map((p) => [p.committedOffset, p.committedLeaderEpoch, p.metadata]), [[42, 3, 'meta'], [7, -1, ''], [-1, -1, '']]);
  assert.equal(g.groups.classicGroup('simple')?.state, 'Empty');
  assert.equal(g.groups.classicGroup('simple')?.protocolType, null);
  // All offsets (topics null) and an unknown group.
  assert.deepEqual(g.groups.fetchOffsets('simple', null).topics.map((t) => [t.name, t.partitions.length]), [['t', 2]]);
  assert.deepEqual(g.groups.fetchOffsets('unknown', null).topics, []);
  assert.deepEqual(g.groups.fetchOffsets('unknown', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset, -1);
  await g.close();
});

test('member commits: generation and member checks with Kafka errors', async () => {
  const g = await groupFixture();
  const { memberId, generation } = await stableMember(g, 'g');
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('g', generation, memberId, { 't:0': 5 }), 8)), [0]);
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('g', generation + 1, memberId, { 't:0': 6 }), 8)), [ErrorCode.ILLEGAL_GENERATION]);
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('g', generation, 'ghost', { 't:0': 6 }), 8)), [ErrorCode.UNKNOWN_MEMBER_ID]);
  // A standalone commit to a group with members.
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('g', -1, '', { 't:0': 6 }), 8)), [ErrorCode.UNKNOWN_MEMBER_ID]);
  // Unknown group with a generation: v9 GROUP_ID_NOT_FOUND, older ILLEGAL_GENERATION.
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('nope', 1, 'm', { 't:0': 1 }), 9)), [ErrorCode.GROUP_ID_NOT_FOUND]);
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('nope', 1, 'm', { 't:0': 1 }), 8)), [ErrorCode.ILLEGAL_GENERATION]);
  // Too much metadata.
  const big = commitRequest('g', generation, memberId, { 't:1': 1 });
  big.topics[0].partitions[0].committedMetadata = 'x'.repeat(4097);
  assert.deepEqual(errors(await g.groups.commitOffsets(big, 8)), [ErrorCode.OFFSET_METADATA_TOO_LARGE]);
  assert.equal(g.groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset, 5);
  await g.close();
});

test('commits during CompletingRebalance answer REBALANCE_IN_PROGRESS', async () => {
  const g = await groupFixture();
  const joining = g.groups.joinGroup(joinRequest('g'), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  const joined = await joining;
  assert.equal(g.groups.classicGroup('g')?.state, 'CompletingRebalance');
  assert.deepEqual(errors(await g.groups.commitOffsets(commitRequest('g', joined.generationId, joined.memberId, { 't:0': 1 }), 8)), [ErrorCode.REBALANCE_IN_PROGRESS]);
  await g.close();
});

test('OffsetDelete: subscribed topics are refused, others deleted; groups with members of another protocol are NON_EMPTY_GROUP', async () => {
  const g = await groupFixture();
  const { memberId, generation } = await stableMember(g, 'g', ['t']);
  await g.groups.commitOffsets(commitRequest('g', generation, memberId, { 't:0': 1, 'old:0': 2 }), 8);
  const deleted = await g.groups.deleteOffsets('g', [{ name: 't', partitions: [{ partitionIndex: 0 }] }, { name: 'old', partitions: [{ partitionIndex: 0 }] }]);
  assert.equal(deleted.errorCode, ErrorCode.NONE);
  assert.deepEqual(deleted.topics.map((t) => [t.name, t.partitions[0].errorCode]), [['t', ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC], ['old', 0]]);
  assert.deepEqual(g.groups.fetchOffsets('g', null).topics.map((t) => t.name), ['t']);
  assert.equal((await g.groups.deleteOffsets('nope', [])).errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  const connect = g.groups.joinGroup(joinRequest('c', '', { protocolType: 'connect' }), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  await connect;
  assert.equal((await g.groups.deleteOffsets('c', [])).errorCode, ErrorCode.NON_EMPTY_GROUP);
  await g.close();
});

test('retention: a simple group\'s offsets expire retention after their commit; the emptied group is deleted', async () => {
  const g = await groupFixture({ 'offsets.retention.minutes': '10', 'offsets.retention.check.interval.ms': '60000' });
  await g.groups.commitOffsets(commitRequest('simple', -1, '', { 't:0': 1 }), 8);
  g.scheduler.advance(5 * MINUTE);
  await g.groups.commitOffsets(commitRequest('simple', -1, '', { 't:1': 1 }), 8);
  g.scheduler.advance(5 * MINUTE);
  await g.groups.whenIdle();
  assert.deepEqual(g.groups.fetchOffsets('simple', null).topics[0].partitions.map((p) => p.partitionIndex), [1]);
  g.scheduler.advance(5 * MINUTE);
  await g.groups.whenIdle();
  assert.equal(g.groups.classicGroup('simple'), null);
  await g.close();
});

test('retention: a consumer group\'s offsets live while it has members and expire retention after it became Empty', async () => {
  const g = await groupFixture({ 'offsets.retention.minutes': '10', 'offsets.retention.check.interval.ms': '60000' });
  const { memberId, generation } = await stableMember(g, 'g', ['t'], 10 * MINUTE);
  await g.groups.commitOffsets(commitRequest('g', generation, memberId, { 't:0': 9 }), 8);
  for (let i = 0; i < 4; i++) {
    g.scheduler.advance(5 * MINUTE);
    g.groups.heartbeat({ groupId: 'g', memberId, generationId: generation, groupInstanceId: null });
  }
  assert.equal(g.groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset, 9);
  g.groups.leaveGroup('g', [{ memberId, groupInstanceId: null }]);
  g.scheduler.advance(9 * MINUTE);
  await g.groups.whenIdle();
  assert.equal(g.groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset, 9);
  g.scheduler.advance(2 * MINUTE);
  await g.groups.whenIdle();
  assert.equal(g.groups.fetchOffsets('g', [{ name: 't', partitionIndexes: [0] }]).topics[0].partitions[0].committedOffset, -1);
  await g.close();
});

test('explicit retention (OffsetCommit v2-4 retentionTimeMs) expires at commit time + retention', async () => {
  const g = await groupFixture({ 'offsets.retention.check.interval.ms': '1000' });
  await g.groups.commitOffsets(commitRequest('simple', -1, '', { 't:0': 1 }, { retentionTimeMs: 5_000 }), 2);
  g.scheduler.advance(4_000);
  await g.groups.whenIdle();
  assert.equal(g.groups.fetchOffsets('simple', null).topics.length, 1);
  g.scheduler.advance(1_000);
  await g.groups.whenIdle();
  assert.equal(g.groups.fetchOffsets('simple', null).topics.length, 0);
  await g.close();
});

test('deleting a topic deletes every group\'s offsets of it', async () => {
  const g = await groupFixture();
  await g.createTopic('gone', 2);
  await g.groups.commitOffsets(commitRequest('a', -1, '', { 'gone:0': 1, 'gone:1': 2, 'kept:0': 3 }), 8);
  await g.groups.commitOffsets(commitRequest('b', -1, '', { 'gone:1': 4 }), 8);
  await g.deleteTopic('gone');
  await g.groups.whenIdle();
  assert.deepEqual(g.groups.fetchOffsets('a', null).topics.map((t) => t.name), ['kept']);
  assert.deepEqual(g.groups.fetchOffsets('b', null).topics, []);
  await g.reload();
  assert.deepEqual(g.groups.fetchOffsets('a', null).topics.map((t) => t.name), ['kept']);
  await g.close();
});
