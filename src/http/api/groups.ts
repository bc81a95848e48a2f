/**
 * /api/groups: consumer groups with members, assignments and per-partition lag, and
 * offset resets, from the broker's group coordinator (services.groups). A reset commits
 * through the coordinator as an admin commit (generation -1, no member), which Kafka
 * accepts only for a group with no members.
 */
import { ErrorCode, errorName } from '../../protocol/errors.ts';
import { HttpError, notFound } from '../http-error.ts';
import type { Route, RouteRequest } from '../router.ts';
import type { ApiContext } from './context.ts';
import { groupLag, groupMembers, throwIfCoordinatorError, totalLag } from './group-views.ts';
import { bodyObject, requiredString } from './params.ts';
import { resolveResetTargets } from './reset-targets.ts';
import type { GroupDetail, GroupsResponse, ResetOffsetsResponse } from './types.ts';

/** OffsetCommit version used for admin resets (v7+: group instance id; no retention time). */
const RESET_COMMIT_VERSION = 8;

export function groupRoutes(ctx: ApiContext): Route[] {
  return [
    { method: 'GET', pattern: '/api/groups', handler: () => ({ json: listGroups(ctx) }) },
    { method: 'GET', pattern: '/api/groups/:id', handler: (req) => ({ json: describeGroup(ctx, req.params.id) }) },
    { method: 'POST', pattern: '/api/groups/:id/reset-offsets', handler: async (req) => ({ json: await resetOffsets(ctx, req) }) },
  ];
}

export function listGroups(ctx: ApiContext): GroupsResponse {
  const { groups } = ctx.services;
  const listed = groups.listGroups();
  throwIfCoordinatorError(listed.error, '*');
  return {
    groups: listed.groups
      .map((g) => ({
        groupId: g.groupId,
        state: g.state,
        protocolType: g.protocolType,
        members: groups.classicGroup(g.groupId)?.members.length ?? 0,
        lag: totalLag(groupLag(ctx.services, g.groupId)),
      }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId)),
  };
}

function describeGroup(ctx: ApiContext, groupId: string): GroupDetail {
  throwIfCoordinatorError(ctx.services.groups.coordinatorError(groupId), groupId);
  const group = ctx.services.groups.classicGroup(groupId);
  if (group === null || group.state === 'Dead') throw notFound(`group '${groupId}' does not exist`);
  const { members, owners } = groupMembers(group);
  return {
    groupId,
    state: group.state,
    protocolType: group.protocolType ?? '',
    protocol: group.protocolName ?? '',
    generationId: group.generationId,
    members,
    offsets: groupLag(ctx.services, groupId, owners),
  };
}

async function resetOffsets(ctx: ApiContext, req: RouteRequest): Promise<ResetOffsetsResponse> {
  const groupId = req.params.id;
  const body = bodyObject(req.body);
  const topic = requiredString(body, 'topic');
  throwIfCoordinatorError(ctx.services.groups.coordinatorError(groupId), groupId);
  const members = ctx.services.groups.classicGroup(groupId)?.members.length ?? 0;
  if (members > 0) {
    throw new HttpError(409, 'NON_EMPTY_GROUP', `group '${groupId}' has ${members} active member(s); stop its consumers first (Kafka resets only inactive groups)`);
  }
  const targets = await resolveResetTargets(ctx, topic, body);
  const dryRun = body.dryRun === true;
  if (!dryRun) await commit(ctx, groupId, topic, targets);
  return { groupId, offsets: targets, dryRun };
}

async function commit(ctx: ApiContext, groupId: string, topic: string, targets: readonly { partition: number; offset: number }[]): Promise<void> {
  const result = await ctx.services.groups.commitOffsets({
    groupId,
    generationIdOrMemberEpoch: -1,
    memberId: '',
    groupInstanceId: null,
    retentionTimeMs: -1,
    topics: [{
      name: topic,
      partitions: targets.map((t) => ({
        partitionIndex: t.partition, committedOffset: t.offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null,
      })),
    }],
  }, RESET_COMMIT_VERSION);
  const failed = result.flatMap((t) => t.partitions).find((p) => p.errorCode !== ErrorCode.NONE);
  if (failed !== undefined) {
    const status = failed.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || failed.errorCode === ErrorCode.REBALANCE_IN_PROGRESS ? 409 : 503;
    throw new HttpError(status, errorName(failed.errorCode), `committing offsets for group '${groupId}' failed: ${errorName(failed.errorCode)}`);
  }
  ctx.services.logger.info({ groupId, topic, offsets: targets, via: 'http' }, 'reset group offsets');
}
