/**
 * DescribeGroups, ListGroups and DeleteGroups on a real broker with the real group
 * coordinator, at every version: a group formed with raw JoinGroup/SyncGroup (Stable, one
 * member with a consumer-protocol subscription and assignment), a group made by an offset
 * commit alone (Empty, no protocol type), and what each admin API answers for them
 * before and after the member leaves.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import { encodeConsumerProtocolAssignment } from '../../../src/protocol/generated/data/consumer-protocol-assignment.ts';
import { encodeConsumerProtocolSubscription } from '../../../src/protocol/generated/data/consumer-protocol-subscription.ts';
import type { DeleteGroupsResponse } from '../../../src/protocol/generated/delete-groups.ts';
import type { DescribeGroupsResponse } from '../../../src/protocol/generated/describe-groups.ts';
import type { FindCoordinatorResponse } from '../../../src/protocol/generated/find-coordinator.ts';
import type { JoinGroupResponse } from '../../../src/protocol/generated/join-group.ts';
import type { LeaveGroupResponse } from '../../../src/protocol/generated/leave-group.ts';
import type { ListGroupsResponse } from '../../../src/protocol/generated/list-groups.ts';
import type { OffsetCommitResponse } from '../../../src/protocol/generated/offset-commit.ts';
import type { OffsetFetchResponse } from '../../../src/protocol/generated/offset-fetch.ts';
import type { SyncGroupResponse } from '../../../src/protocol/generated/sync-group.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { startTestBroker } from '../../helpers/broker.ts';
import type { TestBroker } from '../../helpers/broker.ts';
import { KafkaTestClient } from '../../helpers/kafka-client.ts';

const STABLE_GROUP = 'wire-stable';
const SIMPLE_GROUP = 'wire-simple';
const TOPIC = 'wire-topic';

function versioned(version: number, encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.writeInt16(version);
  encode(w);
  return w.toBuffer();
}

const SUBSCRIPTION = versioned(0, (w) => encodeConsumerProtocolSubscription(w, 0, { topics: [TOPIC], userData: null }));
const ASSIGNMENT = versioned(0, (w) => encodeConsumerProtocolAssignment(w, 0, { assignedPartitions: [{ topic: TOPIC, partitions: [0, 1] }], userData: null }));

describe('group admin APIs on the real coordinator', () => {
  let broker: TestBroker;
  let client: KafkaTestClient;
  let memberId = '';

  before(async () => {
    broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '3' });
    client = await KafkaTestClient.connect(broker.port);
    await broker.services.metadata.createTopic({ name: TOPIC, numPartitions: 2, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
    for (const key of [STABLE_GROUP, SIMPLE_GROUP]) {
      const found = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { key, keyType: 0 });
      assert.equal(found.errorCode, ErrorCode.NONE);
    }
    memberId = await joinAndSync();
    const committed = await client.request<OffsetCommitResponse>(ApiKey.OffsetCommit, 8, {
      groupId: SIMPLE_GROUP, generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, committedOffset: 5, committedLeaderEpoch: -1, committedMetadata: '' }] }],
    });
    assert.equal(committed.topics[0].partitions[0].errorCode, ErrorCode.NONE);
  });

  after(async () => {
    client.close();
    await broker.stopAndRemove();
  });

  /** JoinGroup v5 (KIP-394: the first join returns MEMBER_ID_REQUIRED and the id), then the leader's SyncGroup. */
  async function joinAndSync(): Promise<string> {
    const join = (id: string) => client.request<JoinGroupResponse>(ApiKey.JoinGroup, 5, {
      groupId: STABLE_GROUP, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: id, groupInstanceId: 'wire-instance',
      protocolType: 'consumer', protocols: [{ name: 'range', metadata: SUBSCRIPTION }],
    });
    let joined = await join('');
    if (joined.errorCode === ErrorCode.MEMBER_ID_REQUIRED) joined = await join(joined.memberId);
    assert.equal(joined.errorCode, ErrorCode.NONE);
    const synced = await client.request<SyncGroupResponse>(ApiKey.SyncGroup, 3, {
      groupId: STABLE_GROUP, generationId: joined.generationId, memberId: joined.memberId, groupInstanceId: 'wire-instance',
      assignments: [{ memberId: joined.memberId, assignment: ASSIGNMENT }],
    });
    assert.equal(synced.errorCode, ErrorCode.NONE);
    return joined.memberId;
  }

  /** [topic, partition, offset] of every offset the group has committed (OffsetFetch v7, all topics). */
  async function committed(groupId: string): Promise<[string, number, number][]> {
    const res = await client.request<OffsetFetchResponse>(ApiKey.OffsetFetch, 7, { groupId, topics: null });
    assert.equal(res.errorCode, ErrorCode.NONE);
    return res.topics.flatMap((t) => t.partitions.map((p): [string, number, number] => [t.name, p.partitionIndex, p.committedOffset]));
  }

  test('DescribeGroups v0-5: the Stable group\'s member with metadata and assignment; the simple group Empty', async () => {
    for (let v = 0; v <= 5; v++) {
      const res = await client.request<DescribeGroupsResponse>(ApiKey.DescribeGroups, v, { groups: [STABLE_GROUP, SIMPLE_GROUP, 'wire-unknown'] });
      const [stable, simple, unknown] = res.groups;
      assert.deepEqual([stable.errorCode, stable.groupState, stable.protocolType, stable.protocolData], [ErrorCode.NONE, 'Stable', 'consumer', 'range'], `v${v}`);
      assert.equal(stable.members.length, 1);
      const [m] = stable.members;
      assert.deepEqual([m.memberId, m.groupInstanceId, m.clientId, m.clientHost], [memberId, v >= 4 ? 'wire-instance' : null, 'gregor-test', '/127.0.0.1']);
      assert.deepEqual([m.memberMetadata, m.memberAssignment], [SUBSCRIPTION, ASSIGNMENT]);
      assert.deepEqual([simple.errorCode, simple.groupState, simple.protocolType, simple.members], [ErrorCode.NONE, 'Empty', '', []]);
      assert.deepEqual([unknown.errorCode, unknown.groupState, unknown.members], [ErrorCode.NONE, 'Dead', []]);
    }
  });

  test('ListGroups v0-5 with state and type filters', async () => {
    for (let v = 0; v <= 5; v++) {
      const res = await client.request<ListGroupsResponse>(ApiKey.ListGroups, v, {});
      assert.equal(res.errorCode, ErrorCode.NONE);
      assert.deepEqual(res.groups.map((g) => [g.groupId, g.protocolType, g.groupState, g.groupType]).sort(), [
        [SIMPLE_GROUP, '', v >= 4 ? 'Empty' : '', v >= 5 ? 'classic' : ''],
        [STABLE_GROUP, 'consumer', v >= 4 ? 'Stable' : '', v >= 5 ? 'classic' : ''],
      ], `v${v}`);
    }
    const stable = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 4, { statesFilter: ['stable'] });
    assert.deepEqual(stable.groups.map((g) => g.groupId), [STABLE_GROUP]);
    const consumerType = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 5, { typesFilter: ['consumer'] });
    assert.deepEqual(consumerType.groups, []);
  });

  test('DeleteGroups v0-2: NON_EMPTY_GROUP while a member is in, then deleted with its offsets', async () => {
    assert.deepEqual(await committed(SIMPLE_GROUP), [[TOPIC, 0, 5]]);
    const refused = await client.request<DeleteGroupsResponse>(ApiKey.DeleteGroups, 0, { groupsNames: [STABLE_GROUP] });
    assert.deepEqual(refused.results.map((r) => [r.groupId, r.errorCode]), [[STABLE_GROUP, ErrorCode.NON_EMPTY_GROUP]]);
    const left = await client.request<LeaveGroupResponse>(ApiKey.LeaveGroup, 3, {
      groupId: STABLE_GROUP, members: [{ memberId, groupInstanceId: 'wire-instance' }],
    });
    assert.equal(left.errorCode, ErrorCode.NONE);
    const deleted = await client.request<DeleteGroupsResponse>(ApiKey.DeleteGroups, 1, { groupsNames: [STABLE_GROUP, SIMPLE_GROUP, 'wire-unknown'] });
    assert.deepEqual(deleted.results.map((r) => [r.groupId, r.errorCode]), [
      [STABLE_GROUP, ErrorCode.NONE], [SIMPLE_GROUP, ErrorCode.NONE], ['wire-unknown', ErrorCode.GROUP_ID_NOT_FOUND],
    ]);
    const again = await client.request<DeleteGroupsResponse>(ApiKey.DeleteGroups, 2, { groupsNames: [SIMPLE_GROUP, ''] });
    assert.deepEqual(again.results.map((r) => [r.groupId, r.errorCode]), [
      [SIMPLE_GROUP, ErrorCode.GROUP_ID_NOT_FOUND], ['', ErrorCode.INVALID_GROUP_ID],
    ]);
    const listed = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 3, {});
    assert.deepEqual(listed.groups, []);
    assert.deepEqual(await committed(SIMPLE_GROUP), []);
  });
});
