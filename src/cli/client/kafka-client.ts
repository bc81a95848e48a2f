/**
 * A small Kafka client: bootstrap servers, one connection per broker (opened on first
 * use and reused), Metadata to learn brokers and partition leaders, and typed requests
 * sent either to any broker or to a given node. Higher-level operations (admin calls,
 * producing, fetching) live in the files next to this one and are built on `send`.
 */
import { ConnectionError } from './kafka-error.ts';
import { KafkaConnection } from './connection.ts';
import type { ConnectionOptions } from './connection.ts';
import { MetadataCall } from './api-calls.ts';
import type { ApiCall } from './api-calls.ts';
import { toClusterMetadata } from './cluster-metadata.ts';
import type { BrokerAddress, ClusterMetadata } from './cluster-metadata.ts';

export interface ClientOptions extends Omit<ConnectionOptions, 'host' | 'port'> {
  /** host:port entries to start from (bootstrap.servers). */
  bootstrapServers: string[];
}

export interface HostPort {
  host: string;
  port: number;
}

/** Parses "host:port" (IPv6 hosts in brackets); throws on anything else. */
export function parseHostPort(text: string): HostPort {
  const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text.trim());
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || port < 1 || port > 65535) throw new Error(`'${text}' is not a host:port address`);
  const host = match[1].startsWith('[') ? match[1].slice(1, -1) : match[1];
  return { host, port };
}

export class KafkaClient {
  readonly #opts: ClientOptions;
  readonly #bootstrap: HostPort[];
  /** Open (or opening) connections by "host:port". */
  readonly #connections = new Map<string, Promise<KafkaConnection>>();
  #brokers = new Map<number, BrokerAddress>();

  constructor(opts: ClientOptions) {
    this.#opts = opts;
    this.#bootstrap = opts.bootstrapServers.map(parseHostPort);
    if (this.#bootstrap.length === 0) throw new Error('no bootstrap servers given');
  }

  /** Metadata for `topics` (null: all topics); also refreshes the broker list. */
  async metadata(topics: string[] | null, allowAutoTopicCreation = false): Promise<ClusterMetadata> {
    const res = await this.send(MetadataCall, () => ({
      topics: topics === null ? null : topics.map((name) => ({ name })),
      allowAutoTopicCreation,
    }));
    const metadata = toClusterMetadata(res);
    this.#brokers = metadata.brokers;
    return metadata;
  }

  /** Sends to `nodeId` (as learnt from the last metadata), or to any reachable broker when null. */
  async send<In, Res>(call: ApiCall<In, Res>, build: (version: number) => In,
    opts: { nodeId?: number | null; timeoutMs?: number } = {}): Promise<Res> {
    const conn = await this.connection(opts.nodeId ?? null);
    return conn.send(call, build, opts.timeoutMs);
  }

  /** The connection to `nodeId`, or to the first reachable broker (known brokers, then bootstrap) when null. */
  async connection(nodeId: number | null): Promise<KafkaConnection> {
    if (nodeId !== null) {
      const broker = this.#brokers.get(nodeId);
      if (broker === undefined) throw new ConnectionError(`broker ${nodeId} is not in the cluster metadata`);
      return this.#connect(broker);
    }
    const candidates = [...this.#brokers.values(), ...this.#bootstrap];
    let lastError: Error = new ConnectionError('no broker to connect to');
    for (const candidate of candidates) {
      try {
        return await this.#connect(candidate);
      } catch (err) {
        lastError = err as Error;
      }
    }
    throw lastError;
  }

  async close(): Promise<void> {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    const settled = await Promise.allSettled(connections);
    for (const result of settled) if (result.status === 'fulfilled') result.value.close();
  }

  /** Reuses an open connection to the address or opens one; a failed or closed one is replaced. */
  async #connect(address: HostPort): Promise<KafkaConnection> {
    const key = `${address.host}:${address.port}`;
    for (let existing = this.#connections.get(key); existing !== undefined; existing = this.#connections.get(key)) {
      const conn = await existing.catch(() => null);
      if (conn !== null && !conn.isClosed) return conn;
      if (this.#connections.get(key) === existing) this.#connections.delete(key);
    }
    const opening = KafkaConnection.open({ ...this.#opts, host: address.host, port: address.port });
    this.#connections.set(key, opening);
    opening.catch(() => {
      if (this.#connections.get(key) === opening) this.#connections.delete(key);
    });
    return opening;
  }
}
