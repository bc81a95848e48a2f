/**
 * /api/topics: list, create, describe, delete topics and add partitions. Changes go
 * through the metadata store (the same calls the CreateTopics/DeleteTopics/
 * CreatePartitions handlers make) and answer once applied locally, so the topic is usable
 * when the response arrives.
 */
import { CLUSTER_METADATA_TOPIC } from '../../server/apis/create-topics.ts';
import { badRequest, notFound } from '../http-error.ts';
import type { Route, RouteRequest } from '../router.ts';
import type { ApiContext } from './context.ts';
import { bodyObject, optionalInt, requiredString, stringMap } from './params.ts';
import { topicDetail, topicSummary } from './topic-views.ts';
import type { TopicDetail, TopicsResponse } from './types.ts';

/** Kafka's upper bound on a partition count (an int32). */
const PARTITIONS_MAX = 2_147_483_647;
const REPLICATION_FACTOR_MAX = 32_767;

export function topicRoutes(ctx: ApiContext): Route[] {
  return [
    { method: 'GET', pattern: '/api/topics', handler: () => ({ json: listTopics(ctx) }) },
    { method: 'POST', pattern: '/api/topics', handler: async (req) => ({ status: 201, json: await createTopic(ctx, req) }) },
    { method: 'GET', pattern: '/api/topics/:name', handler: (req) => ({ json: describeTopic(ctx, req.params.name) }) },
    { method: 'DELETE', pattern: '/api/topics/:name', handler: async (req) => ({ json: await deleteTopic(ctx, req.params.name) }) },
    { method: 'POST', pattern: '/api/topics/:name/partitions', handler: async (req) => ({ json: await addPartitions(ctx, req) }) },
  ];
}

function listTopics(ctx: ApiContext): TopicsResponse {
  const { metadata, replicas } = ctx.services;
  const topics = [...metadata.image().topicsByName.values()]
    .map((t) => topicSummary(t, replicas))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { topics };
}

export function describeTopic(ctx: ApiContext, name: string): TopicDetail {
  const topic = ctx.services.metadata.image().topic(name);
  if (topic === undefined) throw notFound(`topic '${name}' does not exist`);
  return topicDetail(topic, ctx.services.replicas);
}

async function createTopic(ctx: ApiContext, req: RouteRequest): Promise<TopicDetail> {
  const body = bodyObject(req.body);
  const name = requiredString(body, 'name');
  if (name === CLUSTER_METADATA_TOPIC) throw badRequest(`${CLUSTER_METADATA_TOPIC} is reserved for the metadata log`);
  const validateOnly = body.validateOnly === true;
  const created = await ctx.services.metadata.createTopic({
    name,
    numPartitions: optionalInt(body, 'partitions', 1, PARTITIONS_MAX) ?? -1,
    replicationFactor: optionalInt(body, 'replicationFactor', 1, REPLICATION_FACTOR_MAX) ?? -1,
    configs: stringMap(body, 'configs'),
    validateOnly,
  });
  if (!validateOnly) {
    await ctx.services.metadataApplied();
    ctx.services.logger.info({ topic: name, topicId: created.topicId, via: 'http' }, 'created topic');
  }
  return topicDetail(created, ctx.services.replicas);
}

async function deleteTopic(ctx: ApiContext, name: string): Promise<{ deleted: string; topicId: string }> {
  const deleted = await ctx.services.metadata.deleteTopic(name);
  await ctx.services.metadataApplied();
  ctx.services.logger.info({ topic: name, topicId: deleted.topicId, via: 'http' }, 'deleted topic');
  return { deleted: deleted.name, topicId: deleted.topicId };
}

async function addPartitions(ctx: ApiContext, req: RouteRequest): Promise<TopicDetail> {
  const name = req.params.name;
  const count = optionalInt(bodyObject(req.body), 'count', 1, PARTITIONS_MAX);
  if (count === undefined) throw badRequest("'count' (the new total number of partitions) is required");
  await ctx.services.metadata.createPartitions(name, count);
  await ctx.services.metadataApplied();
  return describeTopic(ctx, name);
}
