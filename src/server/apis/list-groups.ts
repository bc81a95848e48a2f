/**
 * ListGroups (key 16), versions 0-5: the groups this broker coordinates, with protocol
 * type, and from v4 their state, from v5 their type ("classic", "consumer"). The v4 states
 * filter and the v5 types filter compare case-insensitively, as Kafka's
 * GroupMetadataManager.listGroups; an empty filter matches every group. While one of its
 * coordinator partitions is loading the broker answers that error
 * (COORDINATOR_LOAD_IN_PROGRESS) and no groups, as Kafka does.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ListGroupsRequest, ListGroupsResponse } from '../../protocol/generated/list-groups.ts';
import type { ListedGroupSnapshot } from '../../coordinator/group/admin-view.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupAdminServices } from './describe-groups.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;

export function createListGroupsHandler(services: GroupAdminServices): ApiHandler<ListGroupsRequest, ListGroupsResponse> {
  return {
    apiKey: ApiKey.ListGroups,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => {
      const { error, groups } = services.groups.listGroups();
      if (error !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: error, groups: [] };
      const matches = groupFilter(request);
      return {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        groups: groups.filter(matches).map((g) => ({ groupId: g.groupId, protocolType: g.protocolType, groupState: g.state, groupType: g.type })),
      };
    },
  };
}

function groupFilter(request: ListGroupsRequest): (group: ListedGroupSnapshot) => boolean {
  const states = new Set(request.statesFilter.map((s) => s.trim().toLowerCase()));
  const types = new Set(request.typesFilter.map((t) => t.trim().toLowerCase()));
  return (group) => (states.size === 0 || states.has(group.state.toLowerCase()))
    && (types.size === 0 || types.has(group.type));
}
