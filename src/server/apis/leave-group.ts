/**
 * LeaveGroup (key 13), versions 0-5, classic protocol (logic in
 * src/coordinator/group/classic-membership.ts). v0-2 name one member (memberId) and
 * carry its error at the top level, as Kafka's LeaveGroupResponse does for them; v3+
 * (KIP-345) name several members, by member id and/or group.instance.id, each answered
 * with its own error, the top level holding group-wide errors only.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { LeaveGroupRequest, LeaveGroupResponse } from '../../protocol/generated/leave-group.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;
const BATCH_MIN_VERSION = 3;

export function createLeaveGroupHandler(services: GroupServices): ApiHandler<LeaveGroupRequest, LeaveGroupResponse> {
  return {
    apiKey: ApiKey.LeaveGroup,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => {
      if (ctx.apiVersion >= BATCH_MIN_VERSION) {
        const result = services.groups.leaveGroup(request.groupId, request.members);
        return { throttleTimeMs: 0, errorCode: result.errorCode, members: result.members };
      }
      const result = services.groups.leaveGroup(request.groupId, [{ memberId: request.memberId, groupInstanceId: null }]);
      const memberError = result.members[0]?.errorCode ?? ErrorCode.NONE;
      return { throttleTimeMs: 0, errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError, members: [] };
    },
  };
}
