/**
 * Consumer-protocol (KIP-848) groups in the group coordinator, driven with a fake clock:
 * join, uniform and range assignment, revocation before assignment across two members,
 * leave, session expiry, fencing and request errors, replay after a reload, and the
 * classic/consumer group id conflicts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../src/protocol/errors.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../src/protocol/generated/consumer-group-heartbeat.ts';
import type { GroupCoordinator } from '../../src/coordinator/group/group-coordinator.ts';
import type { HeartbeatResult } from '../../src/coordinator/group/consumer/heartbeat.ts';
import { commitRequest, CTX, groupFixture, joinRequest, type GroupFixture } from './helpers.ts';

const HB_CTX = { apiVersion: 1, clientId: 'cg-client', clientHost: '/127.0.0.1' };

function hb(groupId: string, memberId: string, memberEpoch: number, over: Partial<ConsumerGroupHeartbeatRequest> = {}): ConsumerGroupHeartbeatRequest {
  return {
    groupId, memberId, memberEpoch, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: ['t'], subscribedTopicRegex: null, serverAssignor: null,
    topicPartitions: memberEpoch === 0 ? [] : null, ...over,
  };
}

/** The assignment's partitions of topic `t` (sorted), or null when none was sent. */
function partitions(g: GroupFixture, r: HeartbeatResult): number[] | null {
  if (r.assignment === null) return null;
  const id = g.f.image.topic('t')!.topicId;
  return r.assignment.topicPartitions.filter((t) => t.topicId === id).flatMap((t) => t.partitions).sort((a, b) => a - b);
}

function owned(g: GroupFixture, ps: number[]): ConsumerGroupHeartbeatRequest['topicPartitions'] {
  return [{ topicId: g.f.image.topic('t')!.topicId, partitions: ps }];
}

async function join(groups: GroupCoordinator, groupId: string, memberId: string, over: Partial<ConsumerGroupHeartbeatRequest> = {}): Promise<HeartbeatResult> {
  const r = await groups.consumerGroupHeartbeat(hb(groupId, memberId, 0, over), HB_CTX);
  assert.equal(r.errorCode, ErrorCode.NONE, r.errorMessage ?? '');
  return r;
}

test('a first member joins at epoch 1 and gets every partition (uniform); the group is Stable', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 4);
  const r = await join(g.groups, 'cg', 'a');
  assert.deepEqual([r.memberId, r.memberEpoch, r.heartbeatIntervalMs], ['a', 1, 5000]);
  assert.deepEqual(partitions(g, r), [0, 1, 2, 3]);
  const plain = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { subscribedTopicNames: null, rebalanceTimeoutMs: -1 }), HB_CTX);
  assert.deepEqual([plain.errorCode, plain.memberEpoch, plain.assignment], [ErrorCode.NONE, 1, null], 'no assignment when unchanged');
  const d = g.groups.consumerGroupDescribe('cg');
  assert.deepEqual([d.errorCode, d.groupState, d.groupEpoch, d.assignmentEpoch, d.assignorName], [ErrorCode.NONE, 'Stable', 1, 1, 'uniform']);
  assert.deepEqual(d.members[0]!.assignment.topicPartitions, [{ topicId: g.f.image.topic('t')!.topicId, topicName: 't', partitions: [0, 1, 2, 3] }]);
  assert.deepEqual(g.groups.listGroups().groups.filter((l) => l.groupId === 'cg'), [{ groupId: 'cg', protocolType: 'consumer', state: 'Stable', type: 'consumer' }]);
  await g.close();
});

test('ConsumerGroupHeartbeat v0: the server generates the member id', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 1);
  const r = await g.groups.consumerGroupHeartbeat(hb('cg', '', 0), { ...HB_CTX, apiVersion: 0 });
  assert.equal(r.errorCode, ErrorCode.NONE);
  assert.match(r.memberId ?? '', /^[A-Za-z0-9_-]{22}$/);
  await g.close();
});

test('revocation before assignment: the second member gets partitions only after the first one released them', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 4);
  await join(g.groups, 'cg', 'a');
  const b0 = await join(g.groups, 'cg', 'b');
  assert.equal(b0.memberEpoch, 2);
  assert.deepEqual(partitions(g, b0), [], 'b waits: all partitions are still owned by a');
  assert.equal(g.groups.consumerGroupDescribe('cg').groupState, 'Reconciling');

  const a1 = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, [0, 1, 2, 3]) }), HB_CTX);
  assert.equal(a1.memberEpoch, 1, 'a stays at its epoch while revoking');
  const kept = partitions(g, a1)!;
  assert.equal(kept.length, 2);
  const moving = [0, 1, 2, 3].filter((p) => !kept.includes(p));

  const b1 = await g.groups.consumerGroupHeartbeat(hb('cg', 'b', 2, { topicPartitions: owned(g, []) }), HB_CTX);
  assert.deepEqual(partitions(g, b1), [], 'still owned by a until it acknowledges the revocation');

  const a2 = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, kept) }), HB_CTX);
  assert.equal(a2.memberEpoch, 2);
  const b2 = await g.groups.consumerGroupHeartbeat(hb('cg', 'b', 2, { topicPartitions: owned(g, []) }), HB_CTX);
  assert.deepEqual(partitions(g, b2), moving);
  assert.equal(g.groups.consumerGroupDescribe('cg').groupState, 'Stable');
  await g.close();
});

test('range assignor: contiguous ranges by member id order', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 5);
  await join(g.groups, 'cg', 'm2', { serverAssignor: 'range' });
  await join(g.groups, 'cg', 'm1', { serverAssignor: 'range' });
  const d = g.groups.consumerGroupDescribe('cg');
  assert.equal(d.assignorName, 'range');
  const target = Object.fromEntries(d.members.map((m) => [m.memberId, m.targetAssignment.topicPartitions.flatMap((t) => t.partitions)]));
  assert.deepEqual(target, { m1: [0, 1, 2], m2: [3, 4] });
  await g.close();
});

test('uniform assignor spreads partitions and keeps them sticky when a third member joins', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 6);
  await join(g.groups, 'cg', 'a');
  await join(g.groups, 'cg', 'b');
  const before = new Map(g.groups.consumerGroupDescribe('cg').members.map((m) => [m.memberId, m.targetAssignment.topicPartitions.flatMap((t) => t.partitions)]));
  await join(g.groups, 'cg', 'c');
  const after = new Map(g.groups.consumerGroupDescribe('cg').members.map((m) => [m.memberId, m.targetAssignment.topicPartitions.flatMap((t) => t.partitions)]));
  assert.deepEqual([...after.values()].map((p) => p.length), [2, 2, 2]);
  for (const id of ['a', 'b']) assert.ok(after.get(id)!.every((p) => before.get(id)!.includes(p)), `${id} keeps a subset of its partitions`);
  await g.close();
});

test('leave (-1) bumps the group epoch and frees the partitions; the last leave empties the group', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 2);
  await join(g.groups, 'cg', 'a');
  await join(g.groups, 'cg', 'b');
  const left = await g.groups.consumerGroupHeartbeat(hb('cg', 'b', -1), HB_CTX);
  assert.deepEqual([left.errorCode, left.memberEpoch], [ErrorCode.NONE, -1]);
  const a = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, [0, 1]) }), HB_CTX);
  assert.equal(a.memberEpoch, 3);
  assert.deepEqual(partitions(g, a), [0, 1]);
  await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 3, { memberEpoch: -1 }), HB_CTX);
  assert.equal(g.groups.consumerGroupDescribe('cg').groupState, 'Empty');
  await g.close();
});

test('a member whose session expires is removed and its partitions go to the others', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 2);
  await join(g.groups, 'cg', 'a');
  await join(g.groups, 'cg', 'b');
  g.scheduler.advance(40_000);
  await g.groups.consumerGroupHeartbeat(hb('cg', 'b', 2), HB_CTX);
  g.scheduler.advance(10_000); // a's 45 s session is over, b's is not
  await g.groups.whenIdle();
  const d = g.groups.consumerGroupDescribe('cg');
  assert.deepEqual(d.members.map((m) => m.memberId), ['b']);
  const b = await g.groups.consumerGroupHeartbeat(hb('cg', 'b', 2, { topicPartitions: owned(g, []) }), HB_CTX);
  assert.deepEqual(partitions(g, b), [0, 1]);
  await g.close();
});

test('errors: fenced and unknown members, unknown group, invalid requests, assignor, group size', async () => {
  const g = await groupFixture({ 'group.consumer.max.size': '1' });
  await g.createTopic('t', 2);
  await join(g.groups, 'cg', 'a');
  const code = async (req: ConsumerGroupHeartbeatRequest, apiVersion = 1) => (await g.groups.consumerGroupHeartbeat(req, { ...HB_CTX, apiVersion })).errorCode;
  assert.equal(await code(hb('cg', 'a', 5)), ErrorCode.FENCED_MEMBER_EPOCH);
  assert.equal(await code(hb('cg', 'zz', 1)), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(await code(hb('nope', 'a', 1)), ErrorCode.GROUP_ID_NOT_FOUND);
  assert.equal(await code(hb('cg', 'b', 0)), ErrorCode.GROUP_MAX_SIZE_REACHED);
  assert.equal(await code(hb('cg2', 'b', 0, { serverAssignor: 'sticky' })), ErrorCode.UNSUPPORTED_ASSIGNOR);
  assert.equal(await code(hb('cg2', 'b', 0, { rebalanceTimeoutMs: -1 })), ErrorCode.INVALID_REQUEST);
  assert.equal(await code(hb('cg2', 'b', 0, { topicPartitions: null })), ErrorCode.INVALID_REQUEST);
  assert.equal(await code(hb('cg2', '', 0)), ErrorCode.INVALID_REQUEST);
  assert.equal(await code(hb('cg2', 'b', 0, { subscribedTopicRegex: 't.*' })), ErrorCode.INVALID_REQUEST);
  assert.equal(await code(hb('cg2', 'b', -3)), ErrorCode.INVALID_REQUEST);
  await g.close();
});

test('static members: -2 keeps the assignment; the same instance id rejoins and takes it over', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 2);
  await join(g.groups, 'cg', 'a', { instanceId: 'i1' });
  assert.equal((await g.groups.consumerGroupHeartbeat(hb('cg', 'x', 0, { instanceId: 'i1' }), HB_CTX)).errorCode, ErrorCode.UNRELEASED_INSTANCE_ID);
  const left = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', -2, { instanceId: 'i1' }), HB_CTX);
  assert.deepEqual([left.errorCode, left.memberEpoch], [ErrorCode.NONE, -2]);
  const back = await join(g.groups, 'cg', 'a2', { instanceId: 'i1' });
  assert.deepEqual([back.memberEpoch, partitions(g, back)], [1, [0, 1]]);
  assert.deepEqual(g.groups.consumerGroupDescribe('cg').members.map((m) => m.memberId), ['a2']);
  await g.close();
});

test('replay: a reloaded coordinator has the same epochs, members and assignments', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 4);
  await join(g.groups, 'cg', 'a');
  await join(g.groups, 'cg', 'b');
  await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, [0, 1, 2, 3]) }), HB_CTX);
  const before = g.groups.consumerGroupDescribe('cg');
  const groups = await g.reload();
  assert.deepEqual(groups.consumerGroupDescribe('cg'), before);
  const b = await groups.consumerGroupHeartbeat(hb('cg', 'b', 2, { topicPartitions: owned(g, []) }), HB_CTX);
  assert.deepEqual(partitions(g, b), [], 'a has not acknowledged its revocation yet');
  await g.close();
});

test('classic and consumer groups with one id: INCONSISTENT_GROUP_PROTOCOL / GROUP_ID_NOT_FOUND', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 1);
  await join(g.groups, 'cg', 'a');
  const joined = await g.groups.joinGroup(joinRequest('cg', 'm'), CTX);
  assert.equal(joined.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal(g.groups.classicGroup('cg'), null);

  const classicJoin = g.groups.joinGroup(joinRequest('classic'), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  assert.equal((await classicJoin).errorCode, ErrorCode.NONE);
  const r = await g.groups.consumerGroupHeartbeat(hb('classic', 'a', 0), HB_CTX);
  assert.equal(r.errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.equal(g.groups.consumerGroupDescribe('classic').errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  await g.close();
});

test('OffsetCommit to a consumer group checks the member epoch (STALE_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, v9+)', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 1);
  await join(g.groups, 'cg', 'a');
  const codes = async (epoch: number, memberId: string, apiVersion = 9) =>
    (await g.groups.commitOffsets(commitRequest('cg', epoch, memberId, { 't:0': 5 }), apiVersion)).flatMap((t) => t.partitions.map((p) => p.errorCode));
  assert.deepEqual(await codes(1, 'a'), [ErrorCode.NONE]);
  assert.deepEqual(await codes(0, 'a'), [ErrorCode.STALE_MEMBER_EPOCH]);
  assert.deepEqual(await codes(1, 'b'), [ErrorCode.UNKNOWN_MEMBER_ID]);
  assert.deepEqual(await codes(1, 'a', 8), [ErrorCode.UNSUPPORTED_VERSION]);
  assert.deepEqual(await codes(-1, ''), [ErrorCode.UNKNOWN_MEMBER_ID], 'the group has members');
  assert.equal(g.groups.fetchOffsets('cg', null).topics[0]?.partitions[0]?.committedOffset, 5);
  await g.close();
});

test('DeleteGroups: a consumer group is deleted only when Empty, with its offsets, and stays deleted after a reload', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 1);
  await join(g.groups, 'cg', 'a');
  await g.groups.commitOffsets(commitRequest('cg', 1, 'a', { 't:0': 3 }), 9);
  assert.equal((await g.groups.deleteGroups(['cg'])).get('cg'), ErrorCode.NON_EMPTY_GROUP);
  await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { memberEpoch: -1 }), HB_CTX);
  assert.equal((await g.groups.deleteGroups(['cg'])).get('cg'), ErrorCode.NONE);
  assert.equal(g.groups.consumerGroupDescribe('cg').errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  const groups = await g.reload();
  assert.equal(groups.consumerGroupDescribe('cg').errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.deepEqual(groups.fetchOffsets('cg', null).topics, []);
  await g.close();
});

test('a member that does not revoke within its rebalance timeout is fenced; its next heartbeat gets UNKNOWN_MEMBER_ID', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 2);
  await join(g.groups, 'cg', 'a', { rebalanceTimeoutMs: 10_000 });
  await join(g.groups, 'cg', 'b');
  const a1 = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, [0, 1]), rebalanceTimeoutMs: 10_000 }), HB_CTX);
  assert.equal(partitions(g, a1)!.length, 1, 'a is asked to revoke one partition');
  g.scheduler.advance(10_000);
  await g.groups.whenIdle();
  assert.deepEqual(g.groups.consumerGroupDescribe('cg').members.map((m) => m.memberId), ['b']);
  assert.equal((await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1), HB_CTX)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  await g.close();
});

test('OffsetDelete on a consumer group: GROUP_SUBSCRIBED_TO_TOPIC for subscribed topics, others deleted', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 1);
  await g.createTopic('old', 1);
  await join(g.groups, 'cg', 'a');
  await g.groups.commitOffsets(commitRequest('cg', 1, 'a', { 't:0': 1, 'old:0': 2 }), 9);
  const r = await g.groups.deleteOffsets('cg', [{ name: 't', partitions: [{ partitionIndex: 0 }] }, { name: 'old', partitions: [{ partitionIndex: 0 }] }]);
  assert.deepEqual(r.topics.map((t) => [t.name, t.partitions[0]!.errorCode]), [['t', ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC], ['old', ErrorCode.NONE]]);
  assert.deepEqual(g.groups.fetchOffsets('cg', null).topics.map((t) => t.name), ['t']);
  await g.close();
});

test('offset expiry: unsubscribed topics expire after retention; an Empty group without offsets is deleted', async () => {
  const g = await groupFixture({ 'offsets.retention.minutes': '1', 'offsets.retention.check.interval.ms': '1000' });
  await g.createTopic('t', 1);
  await g.createTopic('old', 1);
  await join(g.groups, 'cg', 'a', { rebalanceTimeoutMs: 120_000 });
  await g.groups.commitOffsets(commitRequest('cg', 1, 'a', { 't:0': 1, 'old:0': 2 }), 9);
  for (let i = 0; i < 4; i++) {
    g.scheduler.advance(20_000);
    await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1), HB_CTX); // keeps the session
    await g.groups.whenIdle();
  }
  assert.deepEqual(g.groups.fetchOffsets('cg', null).topics.map((t) => t.name), ['t'], 'only the subscribed topic is kept');
  await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { memberEpoch: -1 }), HB_CTX);
  g.scheduler.advance(1_000);
  await g.groups.whenIdle();
  assert.equal(g.groups.consumerGroupDescribe('cg').errorCode, ErrorCode.GROUP_ID_NOT_FOUND);
  assert.deepEqual((await g.reload()).fetchOffsets('cg', null).topics, []);
  await g.close();
});

test('more partitions in a subscribed topic bump the group epoch and are assigned on the next heartbeat', async () => {
  const g = await groupFixture();
  await g.createTopic('t', 2);
  assert.deepEqual(partitions(g, await join(g.groups, 'cg', 'a')), [0, 1]);
  await g.f.setTopics({ name: 't', partitions: 4, topicId: g.f.image.topic('t')!.topicId });
  const r = await g.groups.consumerGroupHeartbeat(hb('cg', 'a', 1, { topicPartitions: owned(g, [0, 1]) }), HB_CTX);
  assert.deepEqual([r.memberEpoch, partitions(g, r)], [2, [0, 1, 2, 3]]);
  await g.close();
});
