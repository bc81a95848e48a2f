/**
 * ConsumerGroupDescribe (key 69), version 0 (Kafka 4.0's only one): each consumer-protocol
 * group's state, group and assignment epochs, assignor, and members with their current
 * and target assignments (src/coordinator/group/consumer/describe.ts). Unknown groups and
 * classic groups: GROUP_ID_NOT_FOUND; groups coordinated elsewhere or loading: the
 * coordinator error. Authorized operations, when asked, go to groups answered without
 * error (every group operation, there being no authorizer).
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse } from '../../protocol/generated/consumer-group-describe.ts';
import type { ApiHandler } from '../api-handler.ts';
import { GROUP_OPERATIONS_ALL } from './describe-groups.ts';
import type { GroupServices } from './group-services.ts';
import { AUTHORIZED_OPERATIONS_OMITTED } from './metadata.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 0;

export function createConsumerGroupDescribeHandler(services: GroupServices): ApiHandler<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse> {
  return {
    apiKey: ApiKey.ConsumerGroupDescribe,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({
      throttleTimeMs: 0,
      groups: request.groupIds.map((groupId) => {
        const described = services.groups.consumerGroupDescribe(groupId);
        const authorized = request.includeAuthorizedOperations && described.errorCode === ErrorCode.NONE;
        return { ...described, authorizedOperations: authorized ? GROUP_OPERATIONS_ALL : AUTHORIZED_OPERATIONS_OMITTED };
      }),
    }),
  };
}
