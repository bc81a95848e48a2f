/**
 * DescribeGroups, ListGroups and DeleteGroups handlers against a fake group coordinator
 * view: what Kafka answers per group state, per version (each response goes through the
 * generated encoder and decoder of that version), and the coordinator errors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { ErrorCodeValue } from '../../../src/protocol/errors.ts';
import { apiByKey, ApiKey } from '../../../src/protocol/generated/api-table.ts';
import type { DeleteGroupsResponse } from '../../../src/protocol/generated/delete-groups.ts';
import type { DescribeGroupsResponse } from '../../../src/protocol/generated/describe-groups.ts';
import type { ListGroupsResponse } from '../../../src/protocol/generated/list-groups.ts';
import { Reader } from '../../../src/protocol/reader.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import type {
  ClassicGroupSnapshot, GroupAdminView, ListedGroupSnapshot,
} from '../../../src/coordinator/group/admin-view.ts';
import type { ApiHandler } from '../../../src/server/api-handler.ts';
import { createDeleteGroupsHandler } from '../../../src/server/apis/delete-groups.ts';
import { createDescribeGroupsHandler, GROUP_OPERATIONS_ALL } from '../../../src/server/apis/describe-groups.ts';
import { createListGroupsHandler } from '../../../src/server/apis/list-groups.ts';
import { AUTHORIZED_OPERATIONS_OMITTED } from '../../../src/server/apis/metadata.ts';

const CTX = { apiKey: 0, apiVersion: 0, correlationId: 1, clientId: 't', connectionId: 'c', clientHost: '127.0.0.1', listenerName: 'PLAINTEXT' };

function member(id: string, instance: string | null = null): ClassicGroupSnapshot['members'][number] {
  return {
    memberId: id, groupInstanceId: instance, clientId: `client-${id}`, clientHost: '/127.0.0.1',
    metadata: Buffer.from(`meta-${id}`), assignment: Buffer.from(`assign-${id}`),
  };
}

const GROUPS: Record<string, ClassicGroupSnapshot> = {
  stable: { groupId: 'stable', state: 'Stable', protocolType: 'consumer', protocolName: 'range', generationId: 3, members: [member('m1', 'i1'), member('m2')] },
  rebalancing: { groupId: 'rebalancing', state: 'PreparingRebalance', protocolType: 'consumer', protocolName: 'range', generationId: 3, members: [member('m1')] },
  empty: { groupId: 'empty', state: 'Empty', protocolType: null, protocolName: null, generationId: 0, members: [] },
  dead: { groupId: 'dead', state: 'Dead', protocolType: 'consumer', protocolName: null, generationId: 4, members: [member('gone')] },
};

const LISTED: ListedGroupSnapshot[] = [
  { groupId: 'stable', protocolType: 'consumer', state: 'Stable', type: 'classic' },
  { groupId: 'empty', protocolType: '', state: 'Empty', type: 'classic' },
  { groupId: 'kip848', protocolType: 'consumer', state: 'Assigning', type: 'consumer' },
];

class FakeGroups implements GroupAdminView {
  listError: ErrorCodeValue = ErrorCode.NONE;
  deleted: string[] = [];

  coordinatorError(groupId: string): ErrorCodeValue {
    if (groupId.startsWith('elsewhere')) return ErrorCode.NOT_COORDINATOR;
    if (groupId.startsWith('loading')) return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    return ErrorCode.NONE;
  }

  classicGroup(groupId: string): ClassicGroupSnapshot | null {
    return GROUPS[groupId] ?? null;
  }

  listGroups(): { error: ErrorCodeValue; groups: ListedGroupSnapshot[] } {
    return { error: this.listError, groups: LISTED };
  }

  async deleteGroups(groupIds: readonly string[]): Promise<Map<string, ErrorCodeValue>> {
    this.deleted.push(...groupIds);
    return new Map(groupIds.map((g) => {
      const group = GROUPS[g];
      if (group === undefined || group.state === 'Dead') return [g, ErrorCode.GROUP_ID_NOT_FOUND];
      return [g, group.state === 'Empty' ? ErrorCode.NONE : ErrorCode.NON_EMPTY_GROUP];
    }));
  }
}

/** Calls the handler at `version` and passes request and response through that version's codecs. */
async function call<Res>(handler: ApiHandler, version: number, request: object): Promise<Res> {
  const api = apiByKey.get(handler.apiKey);
  assert.ok(api);
  const w = new Writer();
  api.encodeRequest(w, version, request);
  const decoded = api.decodeRequest(new Reader(w.toBuffer()), version);
  const res = await handler.handle(decoded, { ...CTX, apiKey: handler.apiKey, apiVersion: version });
  const out = new Writer();
  api.encodeResponse(out, version, res as object);
  return api.decodeResponse(new Reader(out.toBuffer()), version) as Res;
}

describe('DescribeGroups', () => {
  const handler = createDescribeGroupsHandler({ groups: new FakeGroups() }) as ApiHandler;

  test('serves versions 0-5', () => {
    assert.equal(handler.apiKey, ApiKey.DescribeGroups);
    assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 5]);
  });

  test('a Stable group: protocol, members with metadata and assignment; instance id from v4', async () => {
    for (let v = 0; v <= 5; v++) {
      const res = await call<DescribeGroupsResponse>(handler, v, { groups: ['stable'] });
      const [g] = res.groups;
      assert.equal(g.errorCode, ErrorCode.NONE);
      assert.deepEqual([g.groupId, g.groupState, g.protocolType, g.protocolData], ['stable', 'Stable', 'consumer', 'range']);
      assert.deepEqual(g.members.map((m) => [m.memberId, m.groupInstanceId, m.clientId, m.clientHost,
        m.memberMetadata.toString(), m.memberAssignment.toString()]), [
        ['m1', v >= 4 ? 'i1' : null, 'client-m1', '/127.0.0.1', 'meta-m1', 'assign-m1'],
        ['m2', null, 'client-m2', '/127.0.0.1', 'meta-m2', 'assign-m2'],
      ], `v${v}`);
    }
  });

  test('other states: members without metadata or assignment, no protocol data', async () => {
    const res = await call<DescribeGroupsResponse>(handler, 5, { groups: ['rebalancing', 'empty'] });
    const [rebalancing, empty] = res.groups;
    assert.deepEqual([rebalancing.groupState, rebalancing.protocolType, rebalancing.protocolData], ['PreparingRebalance', 'consumer', '']);
    assert.deepEqual(rebalancing.members.map((m) => [m.memberId, m.memberMetadata.length, m.memberAssignment.length]), [['m1', 0, 0]]);
    assert.deepEqual([empty.errorCode, empty.groupState, empty.protocolType, empty.members], [ErrorCode.NONE, 'Empty', '', []]);
  });

  test('unknown and Dead groups are NONE with state Dead and no members', async () => {
    const res = await call<DescribeGroupsResponse>(handler, 0, { groups: ['nope', 'dead', ''] });
    for (const g of res.groups) {
      assert.deepEqual([g.errorCode, g.groupState, g.protocolType, g.protocolData, g.members], [ErrorCode.NONE, 'Dead', '', '', []]);
    }
    assert.deepEqual(res.groups.map((g) => g.groupId), ['nope', 'dead', '']);
  });

  test('coordinator errors per group', async () => {
    const res = await call<DescribeGroupsResponse>(handler, 2, { groups: ['elsewhere-1', 'loading-1', 'stable'] });
    assert.deepEqual(res.groups.map((g) => [g.groupId, g.errorCode, g.groupState]), [
      ['elsewhere-1', ErrorCode.NOT_COORDINATOR, ''], ['loading-1', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ''], ['stable', ErrorCode.NONE, 'Stable'],
    ]);
  });

  test('authorized operations (v3+) only when asked, and only for groups without error', async () => {
    const asked = await call<DescribeGroupsResponse>(handler, 3, { groups: ['stable', 'nope', 'elsewhere'], includeAuthorizedOperations: true });
    assert.deepEqual(asked.groups.map((g) => g.authorizedOperations), [GROUP_OPERATIONS_ALL, GROUP_OPERATIONS_ALL, AUTHORIZED_OPERATIONS_OMITTED]);
    const notAsked = await call<DescribeGroupsResponse>(handler, 5, { groups: ['stable'], includeAuthorizedOperations: false });
    assert.equal(notAsked.groups[0].authorizedOperations, AUTHORIZED_OPERATIONS_OMITTED);
  });
});

describe('ListGroups', () => {
  const groups = new FakeGroups();
  const handler = createListGroupsHandler({ groups }) as ApiHandler;

  test('every version lists id and protocol type; state from v4, type from v5', async () => {
    for (let v = 0; v <= 5; v++) {
      const res = await call<ListGroupsResponse>(handler, v, {});
      assert.equal(res.errorCode, ErrorCode.NONE);
      assert.deepEqual(res.groups.map((g) => [g.groupId, g.protocolType, g.groupState, g.groupType]), LISTED.map((g) => [
        g.groupId, g.protocolType, v >= 4 ? g.state : '', v >= 5 ? g.type : '',
      ]), `v${v}`);
    }
  });

  test('states filter (v4+) and types filter (v5+) are case-insensitive', async () => {
    const byState = await call<ListGroupsResponse>(handler, 4, { statesFilter: ['stable', 'EMPTY'] });
    assert.deepEqual(byState.groups.map((g) => g.groupId), ['stable', 'empty']);
    const byType = await call<ListGroupsResponse>(handler, 5, { typesFilter: ['Consumer'] });
    assert.deepEqual(byType.groups.map((g) => g.groupId), ['kip848']);
    const both = await call<ListGroupsResponse>(handler, 5, { statesFilter: ['Empty'], typesFilter: ['classic'] });
    assert.deepEqual(both.groups.map((g) => g.groupId), ['empty']);
    const unknownType = await call<ListGroupsResponse>(handler, 5, { typesFilter: ['share'] });
    assert.deepEqual(unknownType.groups, []);
  });

  test('a loading coordinator partition is the answer\'s error, with no groups', async () => {
    groups.listError = ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    try {
      const res = await call<ListGroupsResponse>(handler, 3, {});
      assert.deepEqual([res.errorCode, res.groups], [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, []]);
    } finally {
      groups.listError = ErrorCode.NONE;
    }
  });
});

describe('DeleteGroups', () => {
  test('every version: empty groups deleted; members, unknown, empty id and coordinator errors per group', async () => {
    for (let v = 0; v <= 2; v++) {
      const groups = new FakeGroups();
      const handler = createDeleteGroupsHandler({ groups }) as ApiHandler;
      const res = await call<DeleteGroupsResponse>(handler, v, {
        groupsNames: ['empty', 'stable', 'nope', 'dead', '', 'elsewhere', 'loading', 'empty'],
      });
      assert.deepEqual(res.results.map((r) => [r.groupId, r.errorCode]), [
        ['empty', ErrorCode.NONE], ['stable', ErrorCode.NON_EMPTY_GROUP], ['nope', ErrorCode.GROUP_ID_NOT_FOUND],
        ['dead', ErrorCode.GROUP_ID_NOT_FOUND], ['', ErrorCode.INVALID_GROUP_ID], ['elsewhere', ErrorCode.NOT_COORDINATOR],
        ['loading', ErrorCode.COORDINATOR_LOAD_IN_PROGRESS],
      ], `v${v}`);
      assert.deepEqual(groups.deleted, ['empty', 'stable', 'nope', 'dead'], 'only coordinated, valid ids reach the coordinator');
    }
  });
});
