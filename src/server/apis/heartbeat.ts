/**
 * Heartbeat (key 12), versions 0-4, classic protocol (logic in
 * src/coordinator/group/classic-membership.ts): keeps a member's session, and tells it
 * to rejoin (REBALANCE_IN_PROGRESS) while its group rebalances.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { HeartbeatRequest, HeartbeatResponse } from '../../protocol/generated/heartbeat.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

export function createHeartbeatHandler(services: GroupServices): ApiHandler<HeartbeatRequest, HeartbeatResponse> {
  return {
    apiKey: ApiKey.Heartbeat,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({ throttleTimeMs: 0, errorCode: services.groups.heartbeat(request) }),
  };
}
