/**
 * OffsetDelete (key 47), version 0 (logic in src/coordinator/group/offset-delete.ts):
 * deletes committed offsets of an Empty group, or of topics a consumer-protocol group
 * does not subscribe to (GROUP_SUBSCRIBED_TO_TOPIC per partition otherwise).
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/generated/offset-delete.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

export function createOffsetDeleteHandler(services: GroupServices): ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
  return {
    apiKey: ApiKey.OffsetDelete,
    minVersion: 0,
    maxVersion: 0,
    handle: async (request) => ({ throttleTimeMs: 0, ...(await services.groups.deleteOffsets(request.groupId, request.topics)) }),
  };
}
