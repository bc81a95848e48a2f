/**
 * DescribeGroups (key 15), versions 0-5: each classic group's state, protocol type,
 * members (client id, client host, group.instance.id from v4) and, in the Stable state
 * only, the chosen protocol and each member's metadata and assignment bytes (Kafka
 * describes members of other states without them). An unknown group is answered as Kafka
 * 4.0 answers v0-5: error NONE, state "Dead", no members. A group this broker does not
 * coordinate, or whose partition is loading, gets NOT_COORDINATOR /
 * COORDINATOR_LOAD_IN_PROGRESS. Authorized operations (v3+, when asked) go to groups
 * answered without error; without an authorizer that is every group operation.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DescribeGroupsRequest, DescribeGroupsResponse, DescribeGroupsResponseDescribedGroup,
} from '../../protocol/generated/describe-groups.ts';
import type { ClassicGroupSnapshot, GroupAdminView } from '../../coordinator/group/admin-view.ts';
import type { ApiHandler } from '../api-handler.ts';
import { AUTHORIZED_OPERATIONS_OMITTED } from './metadata.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;
const EMPTY = Buffer.alloc(0);

/** AclEntry.supportedOperations(GROUP): READ (3), DELETE (6), DESCRIBE (8), as a bit field. */
export const GROUP_OPERATIONS_ALL = (1 << 3) | (1 << 6) | (1 << 8);

export interface GroupAdminServices {
  readonly groups: GroupAdminView;
}

export function createDescribeGroupsHandler(services: GroupAdminServices): ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> {
  return {
    apiKey: ApiKey.DescribeGroups,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({
      throttleTimeMs: 0,
      groups: request.groups.map((groupId) => {
        const described = describeGroup(services.groups, groupId);
        const authorized = request.includeAuthorizedOperations && described.errorCode === ErrorCode.NONE;
        return { ...described, authorizedOperations: authorized ? GROUP_OPERATIONS_ALL : AUTHORIZED_OPERATIONS_OMITTED };
      }),
    }),
  };
}

function describeGroup(groups: GroupAdminView, groupId: string): DescribeGroupsResponseDescribedGroup {
  const error = groups.coordinatorError(groupId);
  if (error !== ErrorCode.NONE) return described(groupId, error, '');
  const group = groups.classicGroup(groupId);
  if (group === null || group.state === 'Dead') return described(groupId, ErrorCode.NONE, 'Dead');
  return { ...described(groupId, ErrorCode.NONE, group.state), ...membersOf(group) };
}

function described(groupId: string, errorCode: number, groupState: string): DescribeGroupsResponseDescribedGroup {
  return {
    errorCode, groupId, groupState, protocolType: '', protocolData: '', members: [], authorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function membersOf(group: ClassicGroupSnapshot): Pick<DescribeGroupsResponseDescribedGroup, 'protocolType' | 'protocolData' | 'members'> {
  const stable = group.state === 'Stable';
  return {
    protocolType: group.protocolType ?? '',
    protocolData: stable ? group.protocolName ?? '' : '',
    members: group.members.map((m) => ({
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      memberMetadata: stable ? m.metadata : EMPTY,
      memberAssignment: stable ? m.assignment : EMPTY,
    })),
  };
}
