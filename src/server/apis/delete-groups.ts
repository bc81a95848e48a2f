/**
 * DeleteGroups (key 42), versions 0-2: deletes groups that have no members, with their
 * committed offsets (the coordinator writes tombstones for both to __consumer_offsets
 * before answering). Per group, as Kafka: an empty id is INVALID_GROUP_ID, a group this
 * broker does not coordinate (or is still loading) gets NOT_COORDINATOR /
 * COORDINATOR_LOAD_IN_PROGRESS, an unknown one GROUP_ID_NOT_FOUND, one with members
 * NON_EMPTY_GROUP. A group named twice is answered once.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { DeleteGroupsRequest, DeleteGroupsResponse } from '../../protocol/generated/delete-groups.ts';
import type { GroupAdminView } from '../../coordinator/group/admin-view.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupAdminServices } from './describe-groups.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 2;

export function createDeleteGroupsHandler(services: GroupAdminServices): ApiHandler<DeleteGroupsRequest, DeleteGroupsResponse> {
  return {
    apiKey: ApiKey.DeleteGroups,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request) => {
      const groupIds = [...new Set(request.groupsNames)];
      const errors = await deleteGroups(services.groups, groupIds);
      return { throttleTimeMs: 0, results: groupIds.map((groupId) => ({ groupId, errorCode: errors.get(groupId) ?? ErrorCode.UNKNOWN_SERVER_ERROR })) };
    },
  };
}

/** Answers what the handler can decide itself; the coordinator deletes the rest. */
async function deleteGroups(groups: GroupAdminView, groupIds: string[]): Promise<Map<string, ErrorCodeValue>> {
  const errors = new Map<string, ErrorCodeValue>();
  for (const groupId of groupIds) {
    const error = groupId === '' ? ErrorCode.INVALID_GROUP_ID : groups.coordinatorError(groupId);
    if (error !== ErrorCode.NONE) errors.set(groupId, error);
  }
  const deletable = groupIds.filter((g) => !errors.has(g));
  if (deletable.length > 0) for (const [groupId, error] of await groups.deleteGroups(deletable)) errors.set(groupId, error);
  return errors;
}
