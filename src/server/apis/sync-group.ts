/**
 * SyncGroup (key 14), versions 0-5, classic protocol (logic in
 * src/coordinator/group/classic-sync.ts). Followers' answers are parked until the
 * leader's assignment is stored. The assignment is always bytes (empty when there is
 * none), never null; protocolType/protocolName exist from v5.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { SyncGroupRequest, SyncGroupResponse } from '../../protocol/generated/sync-group.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;

export function createSyncGroupHandler(services: GroupServices): ApiHandler<SyncGroupRequest, SyncGroupResponse> {
  return {
    apiKey: ApiKey.SyncGroup,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request) => ({ throttleTimeMs: 0, ...(await services.groups.syncGroup(request)) }),
  };
}
