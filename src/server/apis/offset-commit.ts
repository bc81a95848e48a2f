/**
 * OffsetCommit (key 8), versions 0-9 (logic in src/coordinator/group/offset-commit.ts):
 * per-partition error codes. v0 carries no generation or member (a standalone commit,
 * accepted while the group is Empty); v2-4 may carry retentionTimeMs (an explicit
 * expiry, stored with OffsetCommitValue v1); v6+ carry the committed leader epoch; v9
 * answers GROUP_ID_NOT_FOUND for an unknown group where older versions get
 * ILLEGAL_GENERATION. Partitions that do not exist are answered
 * UNKNOWN_TOPIC_OR_PARTITION here and never reach the coordinator, as in Kafka.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/generated/offset-commit.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';
import { answersInRequestOrder, knownPartitions, unknownPartition } from './known-partitions.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 9;

export function createOffsetCommitHandler(services: GroupServices): ApiHandler<OffsetCommitRequest, OffsetCommitResponse> {
  return {
    apiKey: ApiKey.OffsetCommit,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request, ctx) => {
      const known = knownPartitions(services.metadata.image(), request.topics);
      const answered = known.length === 0 ? [] : await services.groups.commitOffsets({ ...request, topics: known }, ctx.apiVersion);
      return { throttleTimeMs: 0, topics: answersInRequestOrder(request.topics, answered, unknownPartition) };
    },
  };
}
