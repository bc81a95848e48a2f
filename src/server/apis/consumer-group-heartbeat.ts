/**
 * ConsumerGroupHeartbeat (key 68), KIP-848 consumer protocol; the logic is the group
 * coordinator's (src/coordinator/group/consumer/heartbeat.ts). Version 0 only, as Kafka
 * 4.0 advertises it: v1 (client-made member ids, SubscribedTopicRegex) is marked
 * latestVersionUnstable in 4.0's schema. The client host is reported as Kafka prints it.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from '../../protocol/generated/consumer-group-heartbeat.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 0;

export function createConsumerGroupHeartbeatHandler(services: GroupServices): ApiHandler<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> {
  return {
    apiKey: ApiKey.ConsumerGroupHeartbeat,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request, ctx) => {
      const result = await services.groups.consumerGroupHeartbeat(request, {
        apiVersion: ctx.apiVersion, clientId: ctx.clientId ?? '', clientHost: `/${ctx.clientHost}`,
      });
      return { throttleTimeMs: 0, ...result };
    },
  };
}
