/**
 * Reading a partition with kafkajs without a consumer group. kafkajs's Consumer always
 * joins a group; this drives kafkajs's own Cluster/Broker objects instead (its real Fetch
 * v11 encoder, record batch decoder and the codecs registered in CompressionCodecs), the
 * way its consumer does after the group assigned the partition. Like kafkajs's consumer,
 * records before the requested offset (same batch) are dropped.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const FETCH_MAX_WAIT_MS = 200;
const FETCH_MAX_BYTES = 8 * 1024 * 1024;
const FETCH_ROUNDS_MAX = 10_000;

export interface KafkajsMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

interface FetchPartition {
  partition: number;
  errorCode: number;
  highWatermark: string;
  messages: KafkajsMessage[];
}

interface KafkajsBroker {
  fetch(req: Record<string, unknown>): Promise<{ responses: { topicName: string; partitions: FetchPartition[] }[] }>;
}

interface KafkajsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number; leader: number }[];
  findBroker(q: { nodeId: number }): Promise<KafkajsBroker>;
}

type ClusterCtor = new (opts: Record<string, unknown>) => KafkajsCluster;

export class KafkajsReader {
  readonly #cluster: KafkajsCluster;

  constructor(bootstrap: string) {
    const Cluster = require('kafkajs/src/cluster') as ClusterCtor;
    const { createLogger, LEVELS } = require('kafkajs/src/loggers') as {
      createLogger(o: Record<string, unknown>): unknown;
      LEVELS: { NOTHING: number };
    };
    const socketFactory = require('kafkajs/src/network/socketFactory') as () => unknown;
    this.#cluster = new Cluster({
      logger: createLogger({ level: LEVELS.NOTHING, logCreator: () => () => {} }),
      socketFactory: socketFactory(),
      brokers: [bootstrap],
      clientId: 'compat-kafkajs-reader',
      connectionTimeout: 5000,
      metadataMaxAge: 300_000,
      allowAutoTopicCreation: false,
      isolationLevel: 1,
      retry: { retries: 3 },
    });
  }

  async connect(): Promise<void> {
    await this.#cluster.connect();
  }

  async disconnect(): Promise<void> {
    await this.#cluster.disconnect();
  }

  async #leader(topic: string, partition: number): Promise<KafkajsBroker> {
    await this.#cluster.addTargetTopic(topic);
    await this.#cluster.refreshMetadata();
    const meta = this.#cluster.findTopicPartitionMetadata(topic).find((p) => p.partitionId === partition);
    if (meta === undefined) throw new Error(`no metadata for ${topic}-${partition}`);
    return this.#cluster.findBroker({ nodeId: meta.leader });
  }

  /** One Fetch from `offset`; returns the partition response as kafkajs decoded it. */
  async fetchOnce(topic: string, partition: number, offset: number, maxBytes = FETCH_MAX_BYTES): Promise<FetchPartition> {
    const broker = await this.#leader(topic, partition);
    const res = await broker.fetch({
      replicaId: -1,
      isolationLevel: 1,
      maxWaitTime: FETCH_MAX_WAIT_MS,
      minBytes: 1,
      maxBytes,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes }] }],
    });
    const p = res.responses.find((t) => t.topicName === topic)?.partitions.find((x) => x.partition === partition);
    if (p === undefined) throw new Error(`fetch response has no ${topic}-${partition}`);
    return p;
  }

  /** Every record from `from` up to the high watermark, in log order. */
  async readAll(topic: string, partition: number, from = 0): Promise<KafkajsMessage[]> {
    const out: KafkajsMessage[] = [];
    let next = from;
    for (let round = 0; round < FETCH_ROUNDS_MAX; round++) {
      const before = next;
      const p = await this.fetchOnce(topic, partition, next);
      if (p.errorCode !== 0) throw new Error(`fetch ${topic}-${partition}@${next}: error code ${p.errorCode}`);
      for (const m of p.messages) {
        if (Number(m.offset) < next) continue;
        out.push(m);
        next = Number(m.offset) + 1;
      }
      if (next >= Number(p.highWatermark)) return out;
      if (next === before) throw new Error(`fetch ${topic}-${partition}@${next}: no records below high watermark ${p.highWatermark}`);
    }
    throw new Error(`fetch ${topic}-${partition}: too many rounds`);
  }
}
