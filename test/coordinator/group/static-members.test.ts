import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { CTX, groupFixture, joinRequest, settle, subscription, syncRequest } from '../helpers.ts';

const STATIC = { groupInstanceId: 'instance-a', sessionTimeoutMs: 20_000 };

async function stableStaticPair(g: Awaited<ReturnType<typeof groupFixture>>) {
  const a = g.groups.joinGroup(joinRequest('g', '', STATIC), CTX);
  const b = g.groups.joinGroup(joinRequest('g', '', { groupInstanceId: 'instance-b' }), CTX);
  g.scheduler.advance(0);
  const [ja, jb] = await Promise.all([a, b]);
  assert.match(ja.memberId, /^instance-a-/);
  const assignments = [{ memberId: ja.memberId, assignment: Buffer.from('A') }, { memberId: jb.memberId, assignment: Buffer.from('B') }];
  const [sa, sb] = await Promise.all([
    g.groups.syncGroup(syncRequest('g', ja.memberId, 1, { groupInstanceId: 'instance-a', assignments })),
    g.groups.syncGroup(syncRequest('g', jb.memberId, 1, { groupInstanceId: 'instance-b' })),
  ]);
  assert.deepEqual([sa.assignment.toString(), sb.assignment.toString()], ['A', 'B']);
  return { a: ja.memberId, b: jb.memberId };
}

test('a static member restarting (unknown member id, same instance id) replaces itself without a rebalance', async () => {
  const g = await groupFixture();
  const { a, b } = await stableStaticPair(g);
  const rejoined = await g.groups.joinGroup(joinRequest('g', '', STATIC), CTX);
  assert.equal(rejoined.errorCode, ErrorCode.NONE);
  assert.notEqual(rejoined.memberId, a);
  assert.equal(rejoined.generationId, 1);
  // v9: the old leader's replacement is told it leads but may skip the assignment.
  assert.equal(rejoined.leader, rejoined.memberId);
  assert.equal(rejoined.skipAssignment, true);
  const snapshot = g.groups.classicGroup('g')!;
  assert.equal(snapshot.state, 'Stable');
  assert.deepEqual(snapshot.members.map((m) => m.memberId).sort(), [rejoined.memberId, b].sort());
  // It keeps its assignment; the old member id is fenced.
  const synced = await g.groups.syncGroup(syncRequest('g', rejoined.memberId, 1, { groupInstanceId: 'instance-a' }));
  assert.equal(synced.assignment.toString(), 'A');
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: a, generationId: 1, groupInstanceId: 'instance-a' }), ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: b, generationId: 1, groupInstanceId: 'instance-b' }), ErrorCode.NONE);
  await g.close();
});

test('JoinGroup v5-8: a replaced static leader is not told it leads (old leader id), so it runs no assignment', async () => {
  const g = await groupFixture();
  const { a } = await stableStaticPair(g);
  const rejoined = await g.groups.joinGroup(joinRequest('g', '', STATIC), { ...CTX, apiVersion: 5 });
  assert.equal(rejoined.errorCode, ErrorCode.NONE);
  assert.equal(rejoined.leader, a);
  assert.deepEqual(rejoined.members, []);
  await g.close();
});

test('a static member with a changed protocol triggers a rebalance', async () => {
  const g = await groupFixture();
  const { b } = await stableStaticPair(g);
  const rejoin = g.groups.joinGroup(joinRequest('g', '', { ...STATIC, protocols: [{ name: 'roundrobin', metadata: subscription(['t']) }, { name: 'range', metadata: subscription(['t']) }] }), CTX);
  await settle();
  assert.equal(g.groups.classicGroup('g')?.state, 'Stable'); // range still wins (b votes range, a votes roundrobin)
  const r = await rejoin;
  assert.equal(r.generationId, 1);
  assert.ok(b);
  await g.close();
});

test('a known static member id with another instance id is fenced; an unknown instance id is UNKNOWN_MEMBER_ID', async () => {
  const g = await groupFixture();
  const { a } = await stableStaticPair(g);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: a, generationId: 1, groupInstanceId: 'instance-b' }), ErrorCode.FENCED_INSTANCE_ID);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: a, generationId: 1, groupInstanceId: 'instance-z' }), ErrorCode.UNKNOWN_MEMBER_ID);
  await g.close();
});

test('static members are not dropped at the end of a join phase they missed; they expire by session only', async () => {
  const g = await groupFixture();
  const a = g.groups.joinGroup(joinRequest('g', '', { groupInstanceId: 'instance-a', sessionTimeoutMs: 60_000 }), CTX);
  const b = g.groups.joinGroup(joinRequest('g', '', { groupInstanceId: 'instance-b', sessionTimeoutMs: 60_000 }), CTX);
  g.scheduler.advance(0);
  const [ja, jb] = await Promise.all([a, b]);
  await Promise.all([
    g.groups.syncGroup(syncRequest('g', ja.memberId, 1, { groupInstanceId: 'instance-a' })),
    g.groups.syncGroup(syncRequest('g', jb.memberId, 1, { groupInstanceId: 'instance-b' })),
  ]);
  // b rejoins with new metadata; a does not rejoin before the rebalance timeout (30 s).
  const rejoin = g.groups.joinGroup(joinRequest('g', jb.memberId, { groupInstanceId: 'instance-b', sessionTimeoutMs: 60_000, protocols: [{ name: 'range', metadata: subscription(['t', 'u']) }] }), CTX);
  g.scheduler.advance(30_000);
  const joined = await rejoin;
  assert.deepEqual([joined.errorCode, joined.generationId], [ErrorCode.NONE, 2]);
  assert.deepEqual(g.groups.classicGroup('g')!.members.map((m) => m.memberId).sort(), [ja.memberId, jb.memberId].sort());
  await g.close();
});
