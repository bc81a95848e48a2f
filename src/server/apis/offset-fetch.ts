/**
 * OffsetFetch (key 9), versions 0-9 (logic in src/coordinator/group/offset-fetch.ts).
 * v0-7: one group; topics null (v2+) asks for every committed offset; a group-level
 * error (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, ...) is the top-level errorCode
 * from v2, and each requested partition's error in v0-1 (which have no top-level field).
 * v8+: several groups, each with its own error. requireStable (v7+): partitions with an
 * offset pending in an open transaction answer UNSTABLE_OFFSET_COMMIT (txn-offsets.ts).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  OffsetFetchRequest, OffsetFetchResponse, OffsetFetchResponseOffsetFetchResponseTopics,
} from '../../protocol/generated/offset-fetch.ts';
import type { FetchTopic } from '../../coordinator/group/offset-fetch.ts';
import { markUnstableOffsets } from '../../coordinator/group/txn-offsets.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 9;
const MULTI_GROUP_MIN_VERSION = 8;
const TOP_LEVEL_ERROR_MIN_VERSION = 2;

export function createOffsetFetchHandler(services: GroupServices): ApiHandler<OffsetFetchRequest, OffsetFetchResponse> {
  return {
    apiKey: ApiKey.OffsetFetch,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => {
      if (ctx.apiVersion >= MULTI_GROUP_MIN_VERSION) {
        const groups = request.groups.map((g) => ({ groupId: g.groupId, ...stable(services, request, g.groupId, services.groups.fetchOffsets(g.groupId, g.topics)) }));
        return { throttleTimeMs: 0, topics: [], errorCode: ErrorCode.NONE, groups };
      }
      const result = stable(services, request, request.groupId, services.groups.fetchOffsets(request.groupId, request.topics));
      if (result.errorCode === ErrorCode.NONE || ctx.apiVersion >= TOP_LEVEL_ERROR_MIN_VERSION) {
        return { throttleTimeMs: 0, topics: result.topics, errorCode: result.errorCode, groups: [] };
      }
      return { throttleTimeMs: 0, topics: partitionErrors(request.topics ?? [], result.errorCode), errorCode: result.errorCode, groups: [] };
    },
  };
}

/** requireStable: pending transactional offsets become UNSTABLE_OFFSET_COMMIT. */
function stable<R extends { topics: OffsetFetchResponseOffsetFetchResponseTopics[] }>(s: GroupServices, request: OffsetFetchRequest, groupId: string, result: R): R {
  if (request.requireStable) markUnstableOffsets(s.groups.runtime, groupId, result.topics);
  return result;
}

function partitionErrors(topics: readonly FetchTopic[], errorCode: ErrorCodeValue): OffsetFetchResponseOffsetFetchResponseTopics[] {
  return topics.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode })),
  }));
}
