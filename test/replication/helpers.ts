/**
 * Test fixture for the data path: a temp log dir, a LogManager, a ReplicaManager on node
 * 1, a hand-built metadata image, and `call`, which runs a handler the way the
 * dispatcher does (request encoded and decoded at the version, response encoded and
 * decoded back), so version-specific defaults and encodability are exercised too.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { MetadataImage, type PartitionState, type TopicInfo } from '../../src/cluster/metadata-image.ts';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { resolveLogConfig } from '../../src/config/topic-config.ts';
import { silentLogger } from '../../src/logger.ts';
import { apiByKey } from '../../src/protocol/generated/api-table.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { buildRecordBatch, type BatchInput } from '../../src/protocol/records/builder.ts';
import { ReplicaManager } from '../../src/replication/replica-manager.ts';
import type { DataPathServices } from '../../src/replication/services.ts';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from '../../src/server/api-handler.ts';
import { LogManager } from '../../src/storage/log-manager.ts';

export const NODE_ID = 1;

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

export async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-replication-'));
  dirs.push(dir);
  return dir;
}

export interface TopicSpec {
  readonly name: string;
  readonly partitions?: number;
  readonly configs?: Record<string, string>;
  /** Leader of every partition (default this node). */
  readonly leader?: number;
  readonly leaderEpoch?: number;
  readonly replicas?: number[];
  readonly isr?: number[];
  readonly topicId?: string;
  readonly isInternal?: boolean;
}

let topicCounter = 0;

export function topicInfo(spec: TopicSpec): TopicInfo {
  const replicas = spec.replicas ?? [NODE_ID];
  const partitions: PartitionState[] = Array.from({ length: spec.partitions ?? 1 }, (_, partition) => ({
    partition,
    leader: spec.leader ?? NODE_ID,
    leaderEpoch: spec.leaderEpoch ?? 0,
    partitionEpoch: 0,
    replicas,
    isr: spec.isr ?? replicas,
    offlineReplicas: [],
  }));
  const id = spec.topicId ?? `topicid${String(++topicCounter).padStart(4, '0')}AAAAAAAAAAA`;
  return { name: spec.name, topicId: id, isInternal: spec.isInternal ?? false, partitions, configs: spec.configs ?? {} };
}

export class Fixture {
  readonly dir: string;
  readonly clock: ManualClock;
  readonly config: BrokerConfig;
  readonly logs: LogManager;
  readonly replicas: ReplicaManager;
  image: MetadataImage;
  readonly services: DataPathServices;

  private constructor(dir: string, config: BrokerConfig, clock: ManualClock, logs: LogManager, replicas: ReplicaManager) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    this.logs = logs;
    this.replicas = replicas;
    this.image = new MetadataImage({ clusterId: 'test-cluster', controllerId: NODE_ID }).withBroker({
      nodeId: NODE_ID, host: 'localhost', port: 9092, rack: null,
      endpoints: [{ listenerName: 'PLAINTEXT', host: 'localhost', port: 9092, securityProtocol: 'PLAINTEXT' }],
    }).withBroker({
      nodeId: 2, host: 'other', port: 9093, rack: 'r2',
      endpoints: [{ listenerName: 'PLAINTEXT', host: 'other', port: 9093, securityProtocol: 'PLAINTEXT' }],
    });
    this.services = { replicas, metadata: { image: () => this.image }, config, clock, logger: silentLogger };
  }

  static async open(opts: { dir?: string; props?: Record<string, string>; clock?: ManualClock } = {}): Promise<Fixture> {
    const dir = opts.dir ?? await tempDir();
    const config = BrokerConfig.from({ 'log.dirs': dir, ...opts.props });
    const clock = opts.clock ?? new ManualClock();
    const logs = await LogManager.open({ logDirs: [dir], clock, configFor: () => resolveLogConfig(config, {}), tickIntervalMs: 0 });
    const replicas = new ReplicaManager({ nodeId: NODE_ID, logs, config, clock, logger: silentLogger });
    return new Fixture(dir, config, clock, logs, replicas);
  }

  async setTopics(...specs: TopicSpec[]): Promise<TopicInfo[]> {
    const infos = specs.map(topicInfo);
    for (const info of infos) this.image = this.image.withTopic(info);
    await this.replicas.applyImage(this.image);
    return infos;
  }

  async apply(image: MetadataImage): Promise<void> {
    this.image = image;
    await this.replicas.applyImage(image);
  }

  async close(): Promise<void> {
    await this.replicas.close();
    await this.logs.close();
  }
}

export function context(apiKey: number, apiVersion: number): RequestContext {
  return { apiKey, apiVersion, correlationId: 7, clientId: 'test', connectionId: 'c-1', clientHost: '127.0.0.1', listenerName: 'PLAINTEXT' };
}

/**
 * Encodes `request` at `version`, decodes it, runs the handler, and returns the response
 * encoded and decoded at `version` (or NO_RESPONSE).
 */
export async function call<Res>(handler: ApiHandler, version: number, request: object, ctx: Partial<RequestContext> = {}): Promise<Res | typeof NO_RESPONSE> {
  const api = apiByKey.get(handler.apiKey)!;
  const w = new Writer();
  api.encodeRequest(w, version, request);
  const decoded = api.decodeRequest(new Reader(w.toBuffer()), version);
  const response = await handler.handle(decoded, { ...context(handler.apiKey, version), ...ctx });
  if (response === NO_RESPONSE) return NO_RESPONSE;
  const out = new Writer();
  api.encodeResponse(out, version, response);
  return api.decodeResponse(new Reader(out.toBuffer()), version) as Res;
}

/** Like call, for handlers that always answer. */
export async function answer<Res>(handler: ApiHandler, version: number, request: object, ctx: Partial<RequestContext> = {}): Promise<Res> {
  const res = await call<Res>(handler, version, request, ctx);
  if (res === NO_RESPONSE) throw new Error('expected a response');
  return res;
}

/** A v2 batch of `count` records with values "<prefix><i>", timestamps ts, ts+1, ... */
export function records(count: number, opts: Partial<BatchInput> & { ts?: number; prefix?: string; valueBytes?: number } = {}): Promise<Buffer> {
  const ts = opts.ts ?? 1_700_000_000_000;
  const pad = 'x'.repeat(opts.valueBytes ?? 0);
  const { ts: _ts, prefix, valueBytes: _vb, ...batch } = opts;
  return buildRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `${prefix ?? 'v'}${i}${pad}`, timestamp: ts + i })),
    ...batch,
  });
}
