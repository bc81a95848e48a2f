/**
 * /api/groups: consumer groups, their members, assignments and per-partition lag, and
 * offset resets. Groups are read and changed through the Kafka protocol (ListGroups,
 * DescribeGroups, OffsetFetch, OffsetCommit) against this broker's own listener, with the
 * project's client, exactly as `gregor groups` does, so the API needs nothing of the
 * coordinator's internals. Lag = the partition's high watermark (from the replica
 * manager) minus the committed offset.
 *
 * Until the broker has a group coordinator (`groups` in BrokerServices), every endpoint
 * answers 501 NOT_IMPLEMENTED, so the console can say so instead of showing "no groups".
 */
import { KafkaClient } from '../../cli/client/kafka-client.ts';
import {
  assignedPartitions, commitOffsets, describeGroup, fetchCommittedOffsets, listGroups,
} from '../../cli/client/groups.ts';
import type { CommittedOffset } from '../../cli/client/groups.ts';
import { HttpError } from '../http-error.ts';
import type { Route, RouteRequest } from '../router.ts';
import type { ApiContext } from './context.ts';
import { bodyObject, requiredString } from './params.ts';
import { resolveResetTargets } from './reset-targets.ts';
import type { GroupDetail, GroupPartitionLag, GroupsResponse, ResetOffsetsResponse } from './types.ts';

/** Groups described per /api/groups call (each costs a DescribeGroups and an OffsetFetch). */
export const GROUPS_LISTED_MAX = 500;

export function groupRoutes(ctx: ApiContext): Route[] {
  const handler = <T>(fn: (client: KafkaClient, req: RouteRequest) => Promise<T>) =>
    async (req: RouteRequest) => ({ json: await withSelfClient(ctx, (client) => fn(client, req)) });
  return [
    { method: 'GET', pattern: '/api/groups', handler: handler((client) => groupsOverview(ctx, client)) },
    { method: 'GET', pattern: '/api/groups/:id', handler: handler((client, req) => groupDetail(ctx, client, req.params.id)) },
    { method: 'POST', pattern: '/api/groups/:id/reset-offsets', handler: handler((client, req) => resetOffsets(ctx, client, req)) },
  ];
}

async function withSelfClient<T>(ctx: ApiContext, fn: (client: KafkaClient) => Promise<T>): Promise<T> {
  if (!ctx.hasGroupCoordinator) {
    throw new HttpError(501, 'NOT_IMPLEMENTED', 'consumer groups are not available: this broker has no group coordinator yet');
  }
  const client = new KafkaClient({ bootstrapServers: [ctx.kafkaBootstrap()] });
  try {
    return await fn(client);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    throw new HttpError(502, 'GROUP_REQUEST_FAILED', (err as Error).message);
  } finally {
    await client.close();
  }
}

/** Lag of every committed partition of every group, for metrics and charts. */
export async function collectGroupLag(ctx: ApiContext): Promise<{ group: string; lags: GroupPartitionLag[] }[]> {
  return withSelfClient(ctx, async (client) => {
    const out = [];
    for (const group of (await listGroups(client)).slice(0, GROUPS_LISTED_MAX)) {
      out.push({ group: group.groupId, lags: lagOf(ctx, await fetchCommittedOffsets(client, group.groupId), new Map()) });
    }
    return out;
  });
}

async function groupsOverview(ctx: ApiContext, client: KafkaClient): Promise<GroupsResponse> {
  const listed = (await listGroups(client)).slice(0, GROUPS_LISTED_MAX);
  const groups = [];
  for (const group of listed) {
    const described = await describeGroup(client, group.groupId);
    const offsets = await fetchCommittedOffsets(client, group.groupId);
    groups.push({
      groupId: group.groupId,
      state: described.groupState,
      protocolType: described.protocolType,
      members: described.members.length,
      lag: lagOf(ctx, offsets, new Map()).reduce((sum, p) => sum + Math.max(0, p.lag), 0),
    });
  }
  return { groups };
}

async function groupDetail(ctx: ApiContext, client: KafkaClient, groupId: string): Promise<GroupDetail> {
  const described = await describeGroup(client, groupId);
  if (described.groupState === 'Dead') throw new HttpError(404, 'GROUP_ID_NOT_FOUND', `group '${groupId}' does not exist`);
  const owners = new Map<string, string>();
  const members = described.members.map((m) => {
    const partitions = described.protocolType === 'consumer' ? assignedPartitions(m.memberAssignment) : [];
    for (const p of partitions) owners.set(`${p.topic}\u0000${p.partition}`, m.memberId);
    const byTopic = Map.groupBy(partitions, (p) => p.topic);
    return {
      memberId: m.memberId,
      groupInstanceId: m.groupInstanceId,
      clientId: m.clientId,
      clientHost: m.clientHost,
      assignment: [...byTopic].map(([topic, list]) => ({ topic, partitions: list.map((p) => p.partition).sort((a, b) => a - b) })),
    };
  });
  const offsets = lagOf(ctx, await fetchCommittedOffsets(client, groupId), owners);
  return {
    groupId,
    state: described.groupState,
    protocolType: described.protocolType,
    protocol: described.protocolData,
    generationId: -1,
    members,
    offsets,
  };
}

async function resetOffsets(ctx: ApiContext, client: KafkaClient, req: RouteRequest): Promise<ResetOffsetsResponse> {
  const groupId = req.params.id;
  const body = bodyObject(req.body);
  const topic = requiredString(body, 'topic');
  const described = await describeGroup(client, groupId);
  if (described.members.length > 0) {
    throw new HttpError(409, 'NON_EMPTY_GROUP', `group '${groupId}' has ${described.members.length} active member(s); stop its consumers first (Kafka only resets inactive groups)`);
  }
  const targets = await resolveResetTargets(ctx, topic, body);
  const dryRun = body.dryRun === true;
  if (!dryRun) {
    const committed: CommittedOffset[] = targets.map((t) => ({ ...t, metadata: null }));
    await commitOffsets(client, groupId, committed);
    ctx.services.logger.info({ groupId, topic, offsets: targets, via: 'http' }, 'reset group offsets');
  }
  return { groupId, offsets: targets, dryRun };
}

/** Per committed partition: lag against the high watermark of the partition hosted here. */
function lagOf(ctx: ApiContext, offsets: readonly CommittedOffset[], owners: ReadonlyMap<string, string>): GroupPartitionLag[] {
  return offsets.map((o) => {
    const hw = ctx.services.replicas.getPartition(o.topic, o.partition)?.highWatermark ?? -1;
    return {
      topic: o.topic,
      partition: o.partition,
      committedOffset: o.offset,
      highWatermark: hw,
      lag: hw < 0 ? -1 : Math.max(0, hw - o.offset),
      memberId: owners.get(`${o.topic}\u0000${o.partition}`) ?? null,
    };
  });
}
