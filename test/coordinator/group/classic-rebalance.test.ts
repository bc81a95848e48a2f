import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { GroupCoordinator } from '../../../src/coordinator/group/group-coordinator.ts';
import { CTX, groupFixture, joinRequest, settle, subscription, syncRequest } from '../helpers.ts';
import type { JoinGroupRequest } from '../../../src/protocol/generated/join-group.ts';

async function memberIdFor(groups: GroupCoordinator, groupId: string, over: Partial<JoinGroupRequest> = {}): Promise<string> {
  const first = await groups.joinGroup(joinRequest(groupId, '', over), CTX);
  assert.equal(first.errorCode, ErrorCode.MEMBER_ID_REQUIRED);
  assert.match(first.memberId, /^test-client-[0-9a-f-]{36}$/);
  return first.memberId;
}

test('KIP-394: first join answers MEMBER_ID_REQUIRED; the rejoin forms generation 1 with it as leader', async () => {
  const g = await groupFixture();
  const id = await memberIdFor(g.groups, 'g1');
  const joining = g.groups.joinGroup(joinRequest('g1', id), CTX);
  g.scheduler.advance(0); // the (zero) initial rebalance delay
  const joined = await joining;
  assert.equal(joined.errorCode, ErrorCode.NONE);
  assert.equal(joined.generationId, 1);
  assert.equal(joined.leader, id);
  assert.equal(joined.protocolName, 'range');
  assert.equal(joined.protocolType, 'consumer');
  assert.deepEqual(joined.members.map((m) => m.memberId), [id]);
  assert.equal(g.groups.classicGroup('g1')?.state, 'CompletingRebalance');
  const synced = await g.groups.syncGroup(syncRequest('g1', id, 1, { assignments: [{ memberId: id, assignment: Buffer.from('A') }] }));
  assert.deepEqual([synced.errorCode, synced.assignment.toString(), synced.protocolName], [ErrorCode.NONE, 'A', 'range']);
  assert.equal(g.groups.classicGroup('g1')?.state, 'Stable');
  await g.close();
});

test('JoinGroup v3 and older: a new member joins at once without MEMBER_ID_REQUIRED', async () => {
  const g = await groupFixture();
  const joining = g.groups.joinGroup(joinRequest('g'), { ...CTX, apiVersion: 3 });
  g.scheduler.advance(0);
  const joined = await joining;
  assert.equal(joined.errorCode, ErrorCode.NONE);
  assert.equal(joined.leader, joined.memberId);
  await g.close();
});

async function stableGroup(g: Awaited<ReturnType<typeof groupFixture>>, groupId: string, n: number, over: Partial<JoinGroupRequest>[] = []) {
  const joins = [];
  for (let i = 0; i < n; i++) {
    // Static members join at once; dynamic ones first fetch their member id (KIP-394).
    const isStatic = (over[i]?.groupInstanceId ?? null) !== null;
    const id = isStatic ? '' : await memberIdFor(g.groups, groupId, over[i] ?? {});
    joins.push(g.groups.joinGroup(joinRequest(groupId, id, over[i] ?? {}), CTX));
  }
  g.scheduler.advance(0);
  const results = await Promise.all(joins);
  const ids = results.map((r) => r.memberId);
  const leader = results[0].leader;
  const generation = results[0].generationId;
  const syncs = ids.map((id) => g.groups.syncGroup(syncRequest(groupId, id, generation, id === leader
    ? { assignments: ids.map((m, i) => ({ memberId: m, assignment: Buffer.from(`a${i}`) })) } : {})));
  const synced = await Promise.all(syncs);
  return { ids, leader, generation, results, synced };
}

test('two members: both get generation 1, the leader the member list, followers their assignment after the leader syncs', async () => {
  const g = await groupFixture();
  const { ids, leader, results, synced } = await stableGroup(g, 'g', 2);
  assert.equal(leader, ids[0]);
  assert.deepEqual(results.map((r) => r.members.length), [2, 0]);
  assert.deepEqual(synced.map((s) => s.assignment.toString()), ['a0', 'a1']);
  await g.close();
});

test('a new member triggers a rebalance: heartbeats answer REBALANCE_IN_PROGRESS until everyone rejoined', async () => {
  const g = await groupFixture();
  const { ids, generation } = await stableGroup(g, 'g', 1);
  const newId = await memberIdFor(g.groups, 'g');
  const newcomer = g.groups.joinGroup(joinRequest('g', newId), CTX);
  assert.equal(g.groups.classicGroup('g')?.state, 'PreparingRebalance');
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: ids[0], generationId: generation, groupInstanceId: null }), ErrorCode.REBALANCE_IN_PROGRESS);
  // Syncing with the old generation while rebalancing is refused too.
  assert.equal((await g.groups.syncGroup(syncRequest('g', ids[0], generation))).errorCode, ErrorCode.REBALANCE_IN_PROGRESS);
  const rejoin = g.groups.joinGroup(joinRequest('g', ids[0]), CTX);
  const [a, b] = await Promise.all([rejoin, newcomer]);
  assert.deepEqual([a.generationId, b.generationId], [2, 2]);
  assert.equal(a.leader, ids[0]);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: ids[0], generationId: 1, groupInstanceId: null }), ErrorCode.ILLEGAL_GENERATION);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: 'nobody', generationId: 2, groupInstanceId: null }), ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: ids[0], generationId: 2, groupInstanceId: null }), ErrorCode.NONE);
  await g.close();
});

test('session timeout: a silent member is removed and the group rebalances without it', async () => {
  const g = await groupFixture();
  const { ids } = await stableGroup(g, 'g', 2);
  // Member 0 heartbeats, member 1 stays silent.
  for (let i = 0; i < 3; i++) {
    g.scheduler.advance(4_000);
    g.groups.heartbeat({ groupId: 'g', memberId: ids[0], generationId: 1, groupInstanceId: null });
  }
  const snapshot = g.groups.classicGroup('g')!;
  assert.deepEqual(snapshot.members.map((m) => m.memberId), [ids[0]]);
  assert.equal(snapshot.state, 'PreparingRebalance');
  assert.equal(g.groups.heartbeat({ groupId: 'g', memberId: ids[0], generationId: 1, groupInstanceId: null }), ErrorCode.REBALANCE_IN_PROGRESS);
  const rejoined = g.groups.joinGroup(joinRequest('g', ids[0]), CTX);
  assert.equal((await rejoined).generationId, 2);
  await g.close();
});

test('rebalance timeout: members that do not rejoin are dropped; a rejoined member becomes leader', async () => {
  const g = await groupFixture();
  const long = { sessionTimeoutMs: 60_000 };
  const { ids } = await stableGroup(g, 'g', 2, [long, long]);
  // Member 1 rejoins (forcing a rebalance by changed metadata); the leader (0) never does.
  const rejoin = g.groups.joinGroup(joinRequest('g', ids[1], { ...long, protocols: [{ name: 'range', metadata: subscription(['t', 'u']) }] }), CTX);
  g.scheduler.advance(29_999);
  assert.equal(g.groups.classicGroup('g')?.state, 'PreparingRebalance');
  g.scheduler.advance(1);
  const joined = await rejoin;
  assert.equal(joined.generationId, 2);
  assert.equal(joined.leader, ids[1]);
  assert.deepEqual(g.groups.classicGroup('g')!.members.map((m) => m.memberId), [ids[1]]);
  await g.close();
});

test('sync timeout: a member that never sends SyncGroup is removed after the rebalance timeout', async () => {
  const g = await groupFixture();
  const long = { sessionTimeoutMs: 60_000 };
  const ids = [await memberIdFor(g.groups, 'g', long), await memberIdFor(g.groups, 'g', long)];
  const joins = ids.map((id) => g.groups.joinGroup(joinRequest('g', id, long), CTX));
  g.scheduler.advance(0);
  await Promise.all(joins);
  const leaderSync = g.groups.syncGroup(syncRequest('g', ids[0], 1, { assignments: [{ memberId: ids[0], assignment: Buffer.from('x') }] }));
  assert.equal((await leaderSync).errorCode, ErrorCode.NONE);
  g.scheduler.advance(30_000);
  const group = g.groups.classicGroup('g')!;
  assert.deepEqual(group.members.map((m) => m.memberId), [ids[0]]);
  assert.equal(group.state, 'PreparingRebalance');
  await g.close();
});

test('the initial rebalance of an empty group waits group.initial.rebalance.delay.ms, extended while members arrive', async () => {
  const g = await groupFixture({ 'group.initial.rebalance.delay.ms': '3000' });
  const a = await memberIdFor(g.groups, 'g');
  let done = false;
  const first = g.groups.joinGroup(joinRequest('g', a), CTX).then((r) => { done = true; return r; });
  g.scheduler.advance(2_000);
  const b = await memberIdFor(g.groups, 'g');
  const second = g.groups.joinGroup(joinRequest('g', b), CTX);
  g.scheduler.advance(1_500); // 3.5 s: the first delay ran out, but a member was added: extended
  await settle();
  assert.equal(done, false);
  g.scheduler.advance(3_000);
  const [ra, rb] = await Promise.all([first, second]);
  assert.deepEqual([ra.generationId, rb.generationId, ra.members.length], [1, 1, 2]);
  await g.close();
});

test('protocol selection: the protocol all members support with the most first-choice votes', async () => {
  const g = await groupFixture();
  const p = (...names: string[]) => ({ protocols: names.map((name) => ({ name, metadata: subscription(['t']) })) });
  const { results } = await stableGroup(g, 'g', 3, [p('roundrobin', 'range'), p('range', 'roundrobin'), p('range', 'roundrobin', 'sticky')]);
  assert.ok(results.every((r) => r.protocolName === 'range'));
  await g.close();
});

test('INCONSISTENT_GROUP_PROTOCOL for another protocol type or no common protocol; empty type on an empty group', async () => {
  const g = await groupFixture();
  await stableGroup(g, 'g', 1);
  const other = await g.groups.joinGroup(joinRequest('g', '', { protocolType: 'connect' }), CTX);
  assert.equal(other.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const noCommon = await g.groups.joinGroup(joinRequest('g', '', { protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] }), CTX);
  assert.equal(noCommon.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const emptyType = await g.groups.joinGroup(joinRequest('fresh', '', { protocolType: '' }), CTX);
  assert.equal(emptyType.errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  await g.close();
});

test('group.max.size: a member beyond it gets GROUP_MAX_SIZE_REACHED', async () => {
  const g = await groupFixture({ 'group.max.size': '1' });
  await stableGroup(g, 'g', 1);
  const extra = await g.groups.joinGroup(joinRequest('g'), CTX);
  assert.equal(extra.errorCode, ErrorCode.GROUP_MAX_SIZE_REACHED);
  await g.close();
});

test('request checks: INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT, UNKNOWN_MEMBER_ID for an unknown group with a member id', async () => {
  const g = await groupFixture();
  assert.equal((await g.groups.joinGroup(joinRequest(''), CTX)).errorCode, ErrorCode.INVALID_GROUP_ID);
  assert.equal((await g.groups.joinGroup(joinRequest('g', '', { sessionTimeoutMs: 10 }), CTX)).errorCode, ErrorCode.INVALID_SESSION_TIMEOUT);
  assert.equal((await g.groups.joinGroup(joinRequest('nope', 'm-1'), CTX)).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.equal((await g.groups.syncGroup(syncRequest('nope', 'm-1', 1))).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  assert.deepEqual((await g.groups.syncGroup(syncRequest('nope', 'm-1', 1))).assignment, Buffer.alloc(0));
  await g.close();
});

test('SyncGroup v5 checks: wrong generation ILLEGAL_GENERATION, mismatching protocol INCONSISTENT_GROUP_PROTOCOL', async () => {
  const g = await groupFixture();
  const { ids } = await stableGroup(g, 'g', 1);
  assert.equal((await g.groups.syncGroup(syncRequest('g', ids[0], 7))).errorCode, ErrorCode.ILLEGAL_GENERATION);
  assert.equal((await g.groups.syncGroup(syncRequest('g', ids[0], 1, { protocolName: 'roundrobin' }))).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  assert.equal((await g.groups.syncGroup(syncRequest('g', ids[0], 1, { protocolType: 'connect' }))).errorCode, ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  const ok = await g.groups.syncGroup(syncRequest('g', ids[0], 1, { protocolType: 'consumer', protocolName: 'range' }));
  assert.deepEqual([ok.errorCode, ok.assignment.toString()], [ErrorCode.NONE, 'a0']);
  await g.close();
});

test('a leader assigning nobody gives every member an empty (non-null) assignment', async () => {
  const g = await groupFixture();
  const ids = [await memberIdFor(g.groups, 'g'), await memberIdFor(g.groups, 'g')];
  const joins = ids.map((id) => g.groups.joinGroup(joinRequest('g', id), CTX));
  g.scheduler.advance(0);
  await Promise.all(joins);
  const synced = await Promise.all(ids.map((id) => g.groups.syncGroup(syncRequest('g', id, 1))));
  assert.deepEqual(synced.map((s) => [s.errorCode, s.assignment.length]), [[0, 0], [0, 0]]);
  await g.close();
});

test('LeaveGroup: batch by member id and by group.instance.id; unknown members get UNKNOWN_MEMBER_ID; the last leaving empties the group', async () => {
  const g = await groupFixture();
  const { ids } = await stableGroup(g, 'g', 2, [{}, { groupInstanceId: 'static-1' }]);
  const left = g.groups.leaveGroup('g', [
    { memberId: ids[0], groupInstanceId: null },
    { memberId: '', groupInstanceId: 'static-1' },
    { memberId: 'ghost', groupInstanceId: null },
  ]);
  assert.equal(left.errorCode, ErrorCode.NONE);
  assert.deepEqual(left.members.map((m) => m.errorCode), [ErrorCode.NONE, ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID]);
  await settle();
  assert.equal(g.groups.classicGroup('g')?.state, 'Empty');
  assert.equal(g.groups.classicGroup('g')?.generationId, 2);
  assert.equal(g.groups.leaveGroup('nope', [{ memberId: 'x', groupInstanceId: null }]).errorCode, ErrorCode.UNKNOWN_MEMBER_ID);
  await g.close();
});

test('a member leaving during the join phase lets it complete for the others', async () => {
  const g = await groupFixture();
  const { ids } = await stableGroup(g, 'g', 2);
  const rejoin = g.groups.joinGroup(joinRequest('g', ids[0], { protocols: [{ name: 'range', metadata: subscription(['other']) }] }), CTX);
  g.groups.leaveGroup('g', [{ memberId: ids[1], groupInstanceId: null }]);
  const joined = await rejoin;
  assert.deepEqual([joined.errorCode, joined.generationId, joined.members.length], [ErrorCode.NONE, 2, 1]);
  await g.close();
});
