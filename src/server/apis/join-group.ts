/**
 * JoinGroup (key 11), versions 0-9, classic protocol; the logic is the group
 * coordinator's (src/coordinator/group/classic-join.ts). Here: v0 has no rebalance
 * timeout, so the session timeout stands in (as Kafka's JoinGroupRequest does); v0-6
 * cannot carry a null protocol name, so "" is sent instead; the member's client host is
 * reported the way Kafka's InetAddress prints it ("/127.0.0.1"). The answer may be parked
 * until the group's join phase completes.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { JoinGroupRequest, JoinGroupResponse } from '../../protocol/generated/join-group.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 9;
/** First version whose protocolName is nullable. */
const NULLABLE_PROTOCOL_NAME_MIN_VERSION = 7;

export function createJoinGroupHandler(services: GroupServices): ApiHandler<JoinGroupRequest, JoinGroupResponse> {
  return {
    apiKey: ApiKey.JoinGroup,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request, ctx) => {
      const effective = ctx.apiVersion === 0 ? { ...request, rebalanceTimeoutMs: request.sessionTimeoutMs } : request;
      const result = await services.groups.joinGroup(effective, {
        apiVersion: ctx.apiVersion, clientId: ctx.clientId ?? '', clientHost: `/${ctx.clientHost}`,
      });
      const protocolName = ctx.apiVersion < NULLABLE_PROTOCOL_NAME_MIN_VERSION ? result.protocolName ?? '' : result.protocolName;
      return { throttleTimeMs: 0, ...result, protocolName };
    },
  };
}
