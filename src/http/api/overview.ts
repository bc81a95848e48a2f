/**
 * GET /api/overview (the console's front page) and GET /api/metrics/series (its charts).
 */
import type { Route } from '../router.ts';
import type { ApiContext } from './context.ts';
import type { MetricsSeriesResponse, OverviewResponse } from './types.ts';
import { GREGOR_VERSION } from '../../metrics/version.ts';

export function overviewRoutes(ctx: ApiContext): Route[] {
  return [
    { method: 'GET', pattern: '/api/overview', handler: () => ({ json: overview(ctx) }) },
    { method: 'GET', pattern: '/api/metrics/series', handler: () => ({ json: series(ctx) }) },
  ];
}

function overview(ctx: ApiContext): OverviewResponse {
  const { metadata, replicas, nodeId, clock } = ctx.services;
  const image = metadata.image();
  let partitions = 0;
  for (const topic of image.topicsByName.values()) partitions += topic.partitions.length;
  return {
    clusterId: image.clusterId,
    controllerId: image.controllerId,
    nodeId,
    version: GREGOR_VERSION,
    brokers: [...image.brokers.values()].map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    topics: image.topicsByName.size,
    partitions,
    bytesOnDisk: replicas.partitions().reduce((sum, p) => sum + p.log.size, 0),
    groups: groupCount(ctx),
    throughput: ctx.series.throughput(),
    uptimeMs: clock.now() - ctx.startedAtMs,
  };
}

/** Groups this broker coordinates; null while the coordinator is loading. */
function groupCount(ctx: ApiContext): number | null {
  const listed = ctx.services.groups.listGroups();
  return listed.error === 0 ? listed.groups.length : null;
}

function series(ctx: ApiContext): MetricsSeriesResponse {
  return { intervalMs: ctx.series.intervalMs, samples: [...ctx.series.samples()] };
}
