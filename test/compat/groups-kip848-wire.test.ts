/**
 * KIP-848 over the wire with the project's own protocol client (test/helpers/kafka-client.ts)
 * through a real broker, two members' heartbeats driven by hand: ApiVersions advertises
 * ConsumerGroupHeartbeat v0 and ConsumerGroupDescribe v0; the server makes the member ids
 * (v0); the second member gets no partition until the first one has acknowledged their
 * revocation; ListGroups reports the group with type "consumer"; a classic JoinGroup to
 * the same id answers INCONSISTENT_GROUP_PROTOCOL.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import type { ApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';
import type { ConsumerGroupDescribeResponse } from '../../src/protocol/generated/consumer-group-describe.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../../src/protocol/generated/consumer-group-heartbeat.ts';
import type { CreateTopicsResponse } from '../../src/protocol/generated/create-topics.ts';
import type { FindCoordinatorResponse } from '../../src/protocol/generated/find-coordinator.ts';
import type { JoinGroupResponse } from '../../src/protocol/generated/join-group.ts';
import type { ListGroupsResponse } from '../../src/protocol/generated/list-groups.ts';
import type { MetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { startTestBroker, type TestBroker } from '../helpers/broker.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';

const GROUP = 'kip848-wire';
const TOPIC = 'kip848-wire-topic';

let broker: TestBroker;
let client: KafkaTestClient;
let topicId: string;

before(async () => {
  broker = await startTestBroker({ 'offsets.topic.num.partitions': '1' });
  client = await KafkaTestClient.connect(broker.port);
  const created = await client.request<CreateTopicsResponse>(ApiKey.CreateTopics, 5, {
    topics: [{ name: TOPIC, numPartitions: 4, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 10_000, validateOnly: false,
  });
  assert.equal(created.topics[0]!.errorCode, ErrorCode.NONE);
  const metadata = await client.request<MetadataResponse>(ApiKey.Metadata, 12, { topics: [{ topicId: null, name: TOPIC }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  topicId = metadata.topics[0]!.topicId;
  const found = await client.request<FindCoordinatorResponse>(ApiKey.FindCoordinator, 3, { key: GROUP, keyType: 0 });
  assert.equal(found.errorCode, ErrorCode.NONE);
});

after(async () => {
  client.close();
  await broker.stopAndRemove();
});

function heartbeat(memberId: string, memberEpoch: number, owned: number[] | null): Promise<ConsumerGroupHeartbeatResponse> {
  const body: ConsumerGroupHeartbeatRequest = {
    // Full requests, as clients send them, so every answer carries the assignment.
    groupId: GROUP, memberId, memberEpoch, instanceId: null, rackId: null, rebalanceTimeoutMs: 30_000,
    subscribedTopicNames: [TOPIC], subscribedTopicRegex: null, serverAssignor: null,
    topicPartitions: owned === null ? null : [{ topicId, partitions: owned }],
  };
  if (memberEpoch === 0) body.topicPartitions = [];
  return client.request<ConsumerGroupHeartbeatResponse>(ApiKey.ConsumerGroupHeartbeat, 0, body);
}

const assigned = (r: ConsumerGroupHeartbeatResponse) => r.assignment?.topicPartitions.flatMap((t) => t.partitions).sort((a, b) => a - b) ?? null;

test('ApiVersions advertises ConsumerGroupHeartbeat v0 and ConsumerGroupDescribe v0', async () => {
  const versions = await client.request<ApiVersionsResponse>(ApiKey.ApiVersions, 3, { clientSoftwareName: 'gregor-test', clientSoftwareVersion: '1' });
  const range = (key: number) => versions.apiKeys.find((k) => k.apiKey === key);
  assert.deepEqual([range(ApiKey.ConsumerGroupHeartbeat)?.minVersion, range(ApiKey.ConsumerGroupHeartbeat)?.maxVersion], [0, 0]);
  assert.deepEqual([range(ApiKey.ConsumerGroupDescribe)?.minVersion, range(ApiKey.ConsumerGroupDescribe)?.maxVersion], [0, 0]);
});

test('two hand-driven members: revocation is acknowledged before the partitions move', async () => {
  const a0 = await heartbeat('', 0, null);
  assert.equal(a0.errorCode, ErrorCode.NONE);
  const a = a0.memberId!;
  assert.deepEqual([a0.memberEpoch, assigned(a0)], [1, [0, 1, 2, 3]]);

  const b0 = await heartbeat('', 0, null);
  const b = b0.memberId!;
  assert.notEqual(a, b);
  assert.deepEqual([b0.memberEpoch, assigned(b0)], [2, []]);

  const a1 = await heartbeat(a, 1, [0, 1, 2, 3]);
  const kept = assigned(a1)!;
  assert.deepEqual([a1.memberEpoch, kept.length], [1, 2]);
  assert.deepEqual(assigned(await heartbeat(b, 2, [])), [], 'b waits while a still owns them');

  const a2 = await heartbeat(a, 1, kept);
  assert.equal(a2.memberEpoch, 2);
  const b2 = await heartbeat(b, 2, []);
  assert.deepEqual(assigned(b2), [0, 1, 2, 3].filter((p) => !kept.includes(p)));

  const described = await client.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { groupIds: [GROUP], includeAuthorizedOperations: false });
  const group = described.groups[0]!;
  assert.deepEqual([group.errorCode, group.groupState, group.groupEpoch, group.assignmentEpoch, group.assignorName], [ErrorCode.NONE, 'Stable', 2, 2, 'uniform']);
  assert.deepEqual(group.members.map((m) => m.memberId).sort(), [a, b].sort());

  const listed = await client.request<ListGroupsResponse>(ApiKey.ListGroups, 5, { statesFilter: [], typesFilter: ['consumer'] });
  assert.deepEqual(listed.groups.map((g) => [g.groupId, g.groupType, g.groupState, g.protocolType]), [[GROUP, 'consumer', 'Stable', 'consumer']]);

  const joined = await client.request<JoinGroupResponse>(ApiKey.JoinGroup, 5, {
    groupId: GROUP, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId: '', groupInstanceId: null, protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
  });
  assert.equal(joined.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
});
