/**
 * The group APIs over the wire against a real broker, at several versions each:
 * FindCoordinator (single and batched), JoinGroup/SyncGroup/Heartbeat/LeaveGroup,
 * OffsetCommit/OffsetFetch/OffsetDelete, and persistence across a broker restart.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { FindCoordinatorResponse } from '../../../src/protocol/generated/find-coordinator.ts';
import type { HeartbeatResponse } from '../../../src/protocol/generated/heartbeat.ts';
import type { JoinGroupResponse } from '../../../src/protocol/generated/join-group.ts';
import type { LeaveGroupResponse } from '../../../src/protocol/generated/leave-group.ts';
import type { OffsetCommitResponse } from '../../../src/protocol/generated/offset-commit.ts';
import type { OffsetDeleteResponse } from '../../../src/protocol/generated/offset-delete.ts';
import type { OffsetFetchResponse } from '../../../src/protocol/generated/offset-fetch.ts';
import type { SyncGroupResponse } from '../../../src/protocol/generated/sync-group.ts';
import { startTestBroker, type TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';
import { subscription } from '../../coordinator/helpers.ts';

const CONFIG = { 'offsets.topic.num.partitions': '4', 'group.initial.rebalance.delay.ms': '0', 'group.min.session.timeout.ms': '100' };

let broker: TestBroker;
let client: KafkaTestClient;

async function withTopic(b: TestBroker): Promise<void> {
  await b.services.metadata.createTopic({ name: 't', numPartitions: 4, replicationFactor: 1, configs: {} });
  await b.services.metadataApplied();
}

before(async () => {
  broker = await startTestBroker(CONFIG);
  await withTopic(broker);
  client = await KafkaTestClient.connect(broker.port);
});
after(async () => {
  client.close();
  await broker.stopAndRemove();
});

const protocols = (topics: string[]) => [{ name: 'range', metadata: subscription(topics) }];

function join(version: number, groupId: string, memberId = '', extra: object = {}) {
  return client.request<JoinGroupResponse>(ApiKey.JoinGroup, version, {
    groupId, memberId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, protocolType: 'consumer', protocols: protocols(['t']), ...extra,
  });
}

test('FindCoordinator v0-3 (one key) and v4-6 (batched): this broker for groups and transactions; unknown key types INVALID_REQUEST', async () => {
  for (const v of [0, 1, 3]) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, v, { key: 'g-find', keyType: 0 });
    assert.deepEqual([r.errorCode, r.nodeId, r.host, r.port], [ErrorCode.NONE, 1, broker.host, broker.port], `v${v}`);
    if (v >= 1) assert.equal(r.errorMessage, 'NONE');
  }
  for (const v of [4, 6]) {
    const r = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, v, { keyType: 0, coordinatorKeys: ['a', 'b'] });
    assert.deepEqual(r.coordinators.map((c) => [c.key, c.errorCode, c.nodeId, c.port]), [['a', 0, 1, broker.port], ['b', 0, 1, broker.port]]);
  }
  const txn = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 4, { keyType: 1, coordinatorKeys: ['tx'] });
  assert.deepEqual([txn.coordinators[0].errorCode, txn.coordinators[0].nodeId, txn.coordinators[0].port], [ErrorCode.NONE, 1, broker.port]);
  const bad = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 2, { key: 'x', keyType: 7 });
  assert.deepEqual([bad.errorCode, bad.nodeId, bad.host, bad.port], [ErrorCode.INVALID_REQUEST, -1, '', -1]);
  const image = broker.services.metadata.image().topic('__consumer_offsets');
  assert.equal(image?.partitions.length, 4);
  assert.equal(image?.configs['cleanup.policy'], 'compact');
});

test('JoinGroup v0 (no member id round trip), SyncGroup v0, Heartbeat v0, LeaveGroup v0', async () => {
  await client.request(ApiKey.FindCoordinator, 0, { key: 'g-v0' });
  const joined = await join(0, 'g-v0');
  assert.equal(joined.errorCode, ErrorCode.NONE);
  assert.equal(joined.protocolName, 'range');
  assert.equal(joined.leader, joined.memberId);
  assert.match(joined.memberId, /^gregor-test-/);
  const synced = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 0, {
    groupId: 'g-v0', generationId: joined.generationId, memberId: joined.memberId, assignments: [{ memberId: joined.memberId, assignment: Buffer.from([0, 1]) }],
  });
  assert.deepEqual([synced.errorCode, [...synced.assignment]], [ErrorCode.NONE, [0, 1]]);
  const hb = await client.request<HeartbeatResponse>(ApiKey.Heartbeat, 0, { groupId: 'g-v0', generationId: joined.generationId, memberId: joined.memberId });
  assert.equal(hb.errorCode, ErrorCode.NONE);
  const left = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 0, { groupId: 'g-v0', memberId: joined.memberId });
  assert.equal(left.errorCode, ErrorCode.NONE);
  const again = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 1, { groupId: 'g-v0', memberId: joined.memberId });
  assert.equal(again.errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
});

test('JoinGroup v5/v9 with MEMBER_ID_REQUIRED, SyncGroup v5 protocol fields, Heartbeat v4, LeaveGroup v5 batch', async () => {
  await client.request(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['g-new'] });
  const first = await join(9, 'g-new');
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  const joined = await join(9, 'g-new', first.memberId);
  assert.deepEqual([joined.errorCode, joined.generationId, joined.protocolType, joined.skipAssignment], [ErrorCode.NONE, 1, 'consumer', false]);
  const synced = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 5, {
    groupId: 'g-new', generationId: 1, memberId: joined.memberId, protocolType: 'consumer', protocolName: 'range', assignments: [],
  });
  assert.deepEqual([synced.errorCode, synced.protocolType, synced.protocolName, synced.assignment.length], [ErrorCode.NONE, 'consumer', 'range', 0]);
  const hb = await client.request<HeartbeatResponse>(ApiKey.Heartbeat, 4, { groupId: 'g-new', generationId: 2, memberId: joined.memberId });
  assert.equal(hb.errorCode, ErrorCode.ILLEGAL_GENERATION);
  const left = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 5, {
    groupId: 'g-new', members: [{ memberId: joined.memberId, reason: 'bye' }, { memberId: 'ghost' }],
  });
  assert.deepEqual([left.errorCode, left.members.map((m) => m.errorCode)], [ErrorCode.NONE, [ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]]);
  const v5 = await join(5, 'g-new');
  assert.equal(v5.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
});

test('OffsetCommit v0/v2/v8/v9 and OffsetFetch v1/v5/v8 (several groups, all topics); OffsetDelete v0', async () => {
  await client.request(ApiKey.FindCoordinator, 4, { keyType: 0, coordinatorKeys: ['o1', 'o2'] });
  const commit = (v: number, groupId: string, partitions: object[], extra: object = {}) => client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, v, {
    groupId, generationIdOrMemberEpoch: -1, memberId: '', topics: [{ name: 't', partitions }], ...extra,
  });
  const c0 = await commit(0, 'o1', [{ partitionIndex: 0, committedOffset: 10, committedMetadata: 'm0' }]);
  assert.equal(c0.topics[0].partitions[0].errorCode, ErrorCode.NONE);
  const c2 = await commit(2, 'o1', [{ partitionIndex: 1, committedOffset: 11, committedMetadata: null }], { retentionTimeMs: 60_000 });
  assert.equal(c2.topics[0].partitions[0].errorCode, ErrorCode.NONE);
  const c8 = await commit(8, 'o2', [{ partitionIndex: 0, committedOffset: 20, committedLeaderEpoch: 5, committedMetadata: 'x' }]);
  assert.equal(c8.topics[0].partitions[0].errorCode, ErrorCode.NONE);
  const c9 = await commit(9, 'missing', [{ partitionIndex: 0, committedOffset: 1 }], { generationIdOrMemberEpoch: 3, memberId: 'm' });
  assert.equal(c9.topics[0].partitions[0].errorCode, ErrorCode.GROUP_ID_NOT_FOUND);

  const f1 = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 1, { groupId: 'o1', topics: [{ name: 't', partitionIndexes: [0, 1, 2] }] });
  assert.deepEqual(f1.topics[0].partitions.map((p) => [p.committedOffset, p.metadata]), [[10, 'm0'], [11, ''], [-1, '']]);
  const f5 = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 5, { groupId: 'o2', topics: null });
  assert.deepEqual(f5.topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata]), [[0, 20, 5, 'x']]);
  assert.equal(f5.errorCode, ErrorCode.NONE);
  const f8 = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 8, {
    groups: [{ groupId: 'o1', topics: [{ name: 't', partitionIndexes: [1] }] }, { groupId: 'o2', topics: null }], requireStable: true,
  });
  assert.deepEqual(f8.groups.map((g) => [g.groupId, g.errorCode, g.topics[0].partitions[0].committedOffset]), [['o1', 0, 11], ['o2', 0, 20]]);

  const deleted = await client.request<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, { groupId: 'o1', topics: [{ name: 't', partitions: [{ partitionIndex: 0 }] }] });
  assert.deepEqual([deleted.errorCode, deleted.topics[0].partitions[0].errorCode], [ErrorCode.NONE, ErrorCode.NONE]);
  const after = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 6, { groupId: 'o1', topics: [{ name: 't', partitionIndexes: [0] }] });
  assert.equal(after.topics[0].partitions[0].committedOffset, -1);
});

test('OffsetCommit and OffsetDelete answer UNKNOWN_TOPIC_OR_PARTITION for partitions that do not exist, in request order', async () => {
  const r = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, {
    groupId: 'o3', generationIdOrMemberEpoch: -1, memberId: '',
    topics: [{ name: 'nope', partitions: [{ partitionIndex: 0, committedOffset: 1 }] }, { name: 't', partitions: [{ partitionIndex: 9, committedOffset: 1 }, { partitionIndex: 2, committedOffset: 5 }] }],
  });
  assert.deepEqual(r.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.errorCode])]),
    [['nope', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]], ['t', [[9, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION], [2, ErrorCode.NONE]]]]);
  const fetched = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 6, { groupId: 'o3', topics: null });
  assert.deepEqual(fetched.topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]), [['t', [2]]]);
  const d = await client.request<OffsetDeleteResponse>(ApiKey.OffsetDelete, 0, { groupId: 'o3', topics: [{ name: 'nope', partitions: [{ partitionIndex: 0 }] }, { name: 't', partitions: [{ partitionIndex: 2 }] }] });
  assert.deepEqual(d.topics.map((t) => [t.name, t.partitions[0].errorCode]), [['nope', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION], ['t', ErrorCode.NONE]]);
});

test('a restarted broker keeps committed offsets and groups (replayed from __consumer_offsets)', async () => {
  const own = await startTestBroker(CONFIG);
  await withTopic(own);
  let restarted: TestBroker | null = null;
  try {
    const c = await KafkaTestClient.connect(own.port);
    await c.request(ApiKey.FindCoordinator, 3, { key: 'durable', keyType: 0 });
    const joined = await c.request<JoinGroupResponse>(ApiKey.JoinGroup, 3, {
      groupId: 'durable', memberId: '', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 10_000, protocolType: 'consumer', protocols: protocols(['t']),
    });
    await c.request(ApiKey.SyncGroup, 3, { groupId: 'durable', generationId: 1, memberId: joined.memberId, assignments: [{ memberId: joined.memberId, assignment: Buffer.from('as') }] });
    const committed = await c.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 7, {
      groupId: 'durable', generationIdOrMemberEpoch: 1, memberId: joined.memberId, topics: [{ name: 't', partitions: [{ partitionIndex: 3, committedOffset: 77, committedMetadata: 'md' }] }],
    });
    assert.equal(committed.topics[0].partitions[0].errorCode, ErrorCode.NONE);
    c.close();
    await own.stop();
    restarted = await startTestBroker({ ...CONFIG, 'log.dirs': own.logDir });
    await restarted.services.groups.runtime.whenLoaded();
    const c2 = await KafkaTestClient.connect(restarted.port);
    const fetched = await c2.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, { groupId: 'durable', topics: [{ name: 't', partitionIndexes: [3] }] });
    assert.deepEqual([fetched.topics[0].partitions[0].committedOffset, fetched.topics[0].partitions[0].metadata], [77, 'md']);
    const group = restarted.services.groups.classicGroup('durable');
    assert.deepEqual([group?.state, group?.generationId, group?.members[0].memberId, group?.members[0].assignment.toString()], ['Stable', 1, joined.memberId, 'as']);
    const hb = await c2.request<HeartbeatResponse>(ApiKey.Heartbeat, 3, { groupId: 'durable', generationId: 1, memberId: joined.memberId });
    assert.equal(hb.errorCode, ErrorCode.NONE);
    c2.close();
  } finally {
    await (restarted ?? own).stopAndRemove();
  }
});
