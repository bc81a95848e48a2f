/**
 * OffsetCommit (key 8), versions 0-9 (logic in src/coordinator/group/offset-commit.ts):
 * per-partition error codes. v0 carries no generation or member (a standalone commit,
 * accepted while the group is Empty); v2-4 may carry retentionTimeMs (an explicit
 * expiry, stored with OffsetCommitValue v1); v6+ carry the committed leader epoch; v9
 * answers GROUP_ID_NOT_FOUND for an unknown group where older versions get
 * ILLEGAL_GENERATION.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { OffsetCommitRequest, OffsetCommitResponse } from '../../protocol/generated/offset-commit.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 9;

export function createOffsetCommitHandler(services: GroupServices): ApiHandler<OffsetCommitRequest, OffsetCommitResponse> {
  return {
    apiKey: ApiKey.OffsetCommit,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request, ctx) => ({ throttleTimeMs: 0, topics: await services.groups.commitOffsets(request, ctx.apiVersion) }),
  };
}
