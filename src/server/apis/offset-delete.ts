/**
 * OffsetDelete (key 47), version 0 (logic in src/coordinator/group/offset-delete.ts):
 * deletes committed offsets of an Empty group, or of topics a consumer-protocol group
 * does not subscribe to (GROUP_SUBSCRIBED_TO_TOPIC per partition otherwise). Partitions
 * that do not exist are answered UNKNOWN_TOPIC_OR_PARTITION here, as in Kafka.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { OffsetDeleteRequest, OffsetDeleteResponse } from '../../protocol/generated/offset-delete.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';
import { answersInRequestOrder, knownPartitions, unknownPartition } from './known-partitions.ts';

export function createOffsetDeleteHandler(services: GroupServices): ApiHandler<OffsetDeleteRequest, OffsetDeleteResponse> {
  return {
    apiKey: ApiKey.OffsetDelete,
    minVersion: 0,
    maxVersion: 0,
    handle: async (request) => {
      const known = knownPartitions(services.metadata.image(), request.topics);
      const result = await services.groups.deleteOffsets(request.groupId, known);
      if (result.errorCode !== ErrorCode.NONE) return { throttleTimeMs: 0, errorCode: result.errorCode, topics: [] };
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, topics: answersInRequestOrder(request.topics, result.topics, unknownPartition) };
    },
  };
}
