import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { decodeKey, decodeGroupValue, decodeOffsetValue } from '../../../src/coordinator/group/records.ts';
import { loadPartition } from '../../../src/coordinator/runtime/partition-loader.ts';
import { commitRequest, CTX, groupFixture, joinRequest, syncRequest } from '../helpers.ts';

test('groups and offsets are rebuilt from __consumer_offsets when a coordinator loads the partition', async () => {
  const g = await groupFixture();
  const a = g.groups.joinGroup(joinRequest('g', '', { groupInstanceId: 'i-a' }), CTX);
  const b = g.groups.joinGroup(joinRequest('g', '', { groupInstanceId: 'i-b' }), CTX);
  g.scheduler.advance(0);
  const [ja, jb] = await Promise.all([a, b]);
  await Promise.all([
    g.groups.syncGroup(syncRequest('g', ja.memberId, 1, { groupInstanceId: 'i-a', assignments: [{ memberId: ja.memberId, assignment: Buffer.from('A') }, { memberId: jb.memberId, assignment: Buffer.from('B') }] })),
    g.groups.syncGroup(syncRequest('g', jb.memberId, 1, { groupInstanceId: 'i-b' })),
  ]);
  const commit = commitRequest('g', 1, ja.memberId, { 't:0': 10, 't:1': 20 });
  commit.topics[0].partitions[0].committedMetadata = 'kept';
  commit.topics[0].partitions[0].committedLeaderEpoch = 4;
  await g.groups.commitOffsets(commit, 8);
  await g.groups.commitOffsets(commitRequest('simple', -1, '', { 'u:3': 33 }), 8);
  await g.groups.commitOffsets(commitRequest('deleted', -1, '', { 'u:0': 1 }), 8);
  assert.equal((await g.groups.deleteGroups(['deleted'])).get('deleted'), ErrorCode.NONE);
  await g.groups.whenIdle();

  const reloaded = await g.reload();
  const group = reloaded.classicGroup('g')!;
  assert.equal(group.state, 'Stable');
  assert.equal(group.generationId, 1);
  assert.equal(group.protocolName, 'range');
  assert.deepEqual(group.members.map((m) => [m.memberId, m.groupInstanceId, m.assignment.toString()]).sort(),
    [[ja.memberId, 'i-a', 'A'], [jb.memberId, 'i-b', 'B']].sort());
  const offsets = reloaded.fetchOffsets('g', null).topics[0].partitions;
  assert.deepEqual(offsets.map((p) => [p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata]), [[0, 10, 4, 'kept'], [1, 20, -1, '']]);
  assert.equal(reloaded.fetchOffsets('simple', null).topics[0].partitions[0].committedOffset, 33);
  assert.equal(reloaded.classicGroup('deleted'), null);
  // Loaded members heartbeat on; a loaded static member restarting is recognized.
  assert.equal(reloaded.heartbeat({ groupId: 'g', memberId: jb.memberId, generationId: 1, groupInstanceId: 'i-b' }), ErrorCode.NONE);
  const restarted = await reloaded.joinGroup(joinRequest('g', '', { groupInstanceId: 'i-a' }), CTX);
  assert.deepEqual([restarted.errorCode, restarted.generationId], [ErrorCode.NONE, 1]);
  // Loaded members that stop heartbeating expire.
  g.scheduler.advance(60_000);
  assert.equal(reloaded.classicGroup('g')!.members.length, 0);
  await g.close();
});

test('records are written in Kafka 4.0 formats: key v1 offsets / v2 group metadata, value v3', async () => {
  const g = await groupFixture({ 'offsets.topic.num.partitions': '1' });
  const joining = g.groups.joinGroup(joinRequest('g'), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  const joined = await joining;
  await g.groups.syncGroup(syncRequest('g', joined.memberId, 1));
  await g.groups.commitOffsets(commitRequest('g', 1, joined.memberId, { 't:0': 5 }), 8);
  const partition = g.f.replicas.getPartition('__consumer_offsets', 0)!;
  const seen: string[] = [];
  await loadPartition(partition, (r) => {
    const key = decodeKey(r.key);
    const valueVersion = r.value === null ? null : r.value.readInt16BE(0);
    seen.push(`${r.key.readInt16BE(0)}:${key.type}:${valueVersion}`);
    if (key.type === 'group' && r.value !== null) assert.equal(decodeGroupValue(r.value).members[0].memberId, joined.memberId);
    if (key.type === 'offset' && r.value !== null) assert.equal(decodeOffsetValue(r.value).offset, 5);
  }, { loadBufferBytes: 1 << 20, shouldStop: () => false });
  assert.deepEqual(seen, ['2:group:3', '1:offset:3']);
  await g.close();
});
