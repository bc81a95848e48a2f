/**
 * /api/topics/:name/configs: every topic config with its effective value and source (as
 * DescribeConfigs reports it), and incremental changes (SET / DELETE of overrides, as
 * IncrementalAlterConfigs). The store replaces a topic's whole override set, so the new
 * set is the current overrides with the changes applied; validation is the store's.
 */
import { describeTopicConfig } from '../../config/topic-config.ts';
import { CONFIG_TYPE_ID, ConfigSource } from '../../config/config-types.ts';
import { badRequest, notFound } from '../http-error.ts';
import type { Route, RouteRequest } from '../router.ts';
import type { ApiContext } from './context.ts';
import { bodyObject, stringList, stringMap } from './params.ts';
import type { ConfigsResponse } from './types.ts';

const SOURCE_NAMES = new Map<number, string>(Object.entries(ConfigSource).map(([name, id]) => [id, name]));
const TYPE_NAMES = new Map<number, string>(Object.entries(CONFIG_TYPE_ID).map(([name, id]) => [id, name]));

export function topicConfigRoutes(ctx: ApiContext): Route[] {
  return [
    { method: 'GET', pattern: '/api/topics/:name/configs', handler: (req) => ({ json: describeConfigs(ctx, req.params.name) }) },
    { method: 'PATCH', pattern: '/api/topics/:name/configs', handler: async (req) => ({ json: await alterConfigs(ctx, req) }) },
  ];
}

function describeConfigs(ctx: ApiContext, name: string): ConfigsResponse {
  const topic = ctx.services.metadata.image().topic(name);
  if (topic === undefined) throw notFound(`topic '${name}' does not exist`);
  const configs = describeTopicConfig(ctx.services.config, topic.configs).map((entry) => ({
    name: entry.name,
    value: entry.isSensitive ? null : entry.value,
    source: SOURCE_NAMES.get(entry.source) ?? 'UNKNOWN',
    isDefault: entry.isDefault,
    readOnly: entry.readOnly,
    sensitive: entry.isSensitive,
    type: TYPE_NAMES.get(entry.type) ?? 'UNKNOWN',
    documentation: entry.documentation === '' ? null : entry.documentation,
  }));
  return { topic: name, configs: configs.sort((a, b) => a.name.localeCompare(b.name)) };
}

async function alterConfigs(ctx: ApiContext, req: RouteRequest): Promise<ConfigsResponse> {
  const name = req.params.name;
  const body = bodyObject(req.body);
  const set = stringMap(body, 'set');
  const remove = stringList(body, 'delete');
  if (Object.keys(set).length === 0 && remove.length === 0) throw badRequest("give 'set' (key: value) and/or 'delete' (keys)");
  const topic = ctx.services.metadata.image().topic(name);
  if (topic === undefined) throw notFound(`topic '${name}' does not exist`);
  const next: Record<string, string> = { ...topic.configs, ...set };
  for (const key of remove) delete next[key];
  await ctx.services.metadata.alterTopicConfigs(name, next);
  await ctx.services.metadataApplied();
  ctx.services.logger.info({ topic: name, set, deleted: remove, via: 'http' }, 'altered topic configs');
  return describeConfigs(ctx, name);
}
