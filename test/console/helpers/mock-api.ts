/**
 * A stand-in for the broker's consumer-group API (docs/HTTP-API.md) while the real broker
 * answers 501 for groups: serves the built console plus /api/overview, /api/metrics/series
 * and /api/groups* from in-memory state, typed with the broker's own API types. Tests
 * move the state (commit offsets, remove members) and watch the console follow.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  GroupDetail,
  GroupsResponse,
  MetricsSample,
  MetricsSeriesResponse,
  OverviewResponse,
  ResetOffsetsBody,
  ResetOffsetsResponse,
} from '../../../src/http/api/types.ts';
import { serveStatic } from './static-files.ts';

export interface MockApi {
  readonly url: string;
  readonly groups: Map<string, GroupDetail>;
  /** Appends a metrics sample at `time` (group lag taken from the current offsets). */
  sample(time: number): void;
  /** The reset-offsets requests received, in order. */
  readonly resets: ResetOffsetsBody[];
  close(): Promise<void>;
}

/** Most samples the mock keeps, like the broker's bounded series. */
const SAMPLES_MAX = 120;
const INTERVAL_MS = 1000;

function totalLag(g: GroupDetail): number {
  return g.offsets.reduce((n, o) => n + Math.max(0, o.lag), 0);
}

function overview(groups: number): OverviewResponse {
  return {
    clusterId: 'mock-cluster-0001', controllerId: 1, nodeId: 1, version: '0.1.0-mock',
    brokers: [{ nodeId: 1, host: '127.0.0.1', port: 9092, rack: null }],
    topics: 1, partitions: 3, bytesOnDisk: 0, groups,
    throughput: { messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0 }, uptimeMs: 60_000,
  };
}

function resetOffsets(g: GroupDetail, body: ResetOffsetsBody): ResetOffsetsResponse {
  const rows = g.offsets.filter((o) => o.topic === body.topic && (body.partitions === undefined || body.partitions.includes(o.partition)));
  const target = (hw: number) => ('earliest' in body.to ? 0 : 'latest' in body.to ? hw : 'offset' in body.to ? body.to.offset : 0);
  const offsets = rows.map((o) => ({ topic: o.topic, partition: o.partition, offset: target(o.highWatermark) }));
  if (body.dryRun !== true) {
    for (const o of rows) {
      o.committedOffset = target(o.highWatermark);
      o.lag = o.highWatermark - o.committedOffset;
    }
  }
  return { groupId: g.groupId, offsets, dryRun: body.dryRun === true };
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

export async function startMockApi(groups: GroupDetail[]): Promise<MockApi> {
  const state = new Map(groups.map((g) => [g.groupId, g]));
  const samples: MetricsSample[] = [];
  const resets: ResetOffsetsBody[] = [];

  const route = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (path === '/api/overview') return json(res, 200, overview(state.size));
    if (path === '/api/metrics/series') return json(res, 200, { intervalMs: INTERVAL_MS, samples } satisfies MetricsSeriesResponse);
    if (path === '/api/groups') {
      const list: GroupsResponse = { groups: [...state.values()].map((g) => ({ groupId: g.groupId, state: g.state, protocolType: g.protocolType, members: g.members.length, lag: totalLag(g) })) };
      return json(res, 200, list);
    }
    const m = /^\/api\/groups\/([^/]+)(\/reset-offsets)?$/.exec(path);
    const g = m ? state.get(decodeURIComponent(m[1])) : undefined;
    if (m && g === undefined) return json(res, 404, { error: 'GROUP_ID_NOT_FOUND', message: 'no such group' });
    if (g !== undefined && m?.[2] === undefined) return json(res, 200, g);
    if (g !== undefined && req.method === 'POST') {
      if (g.members.length > 0) return json(res, 409, { error: 'NON_EMPTY_GROUP', message: `group '${g.groupId}' has active members: stop them first` });
      const body = (await readBody(req)) as ResetOffsetsBody;
      resets.push(body);
      return json(res, 200, resetOffsets(g, body));
    }
    if (path.startsWith('/api/')) return json(res, 404, { error: 'NOT_FOUND', message: `mock has no ${path}` });
    return serveStatic(path, res);
  };

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    route(req, res, path).catch((err: unknown) => json(res, 500, { error: 'INTERNAL', message: String(err) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    groups: state,
    resets,
    sample(time) {
      samples.push({ time, messagesInPerSec: 0, bytesInPerSec: 0, bytesOutPerSec: 0, requestsPerSec: 0, connections: 0, groupLag: Object.fromEntries([...state.values()].map((g) => [g.groupId, totalLag(g)])) });
      if (samples.length > SAMPLES_MAX) samples.shift();
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
