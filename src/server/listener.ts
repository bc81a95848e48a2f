/**
 * A TCP listener (one per entry of `listeners`): accepts connections, enforces the
 * connection caps (max.connections, max.connections.per.ip: a connection over a cap is
 * closed right after accept, with a log line), closes connections idle for longer than
 * connections.max.idle.ms, and shuts down gracefully. Request handling is in connection.ts.
 */
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import { systemClock } from '../clock.ts';
import type { Clock } from '../clock.ts';
import { componentLogger, silentLogger } from '../logger.ts';
import type { Logger } from '../logger.ts';
import { Connection } from './connection.ts';
import type { ApiRegistry } from './registry.ts';
import type { RequestObserver } from './request-observer.ts';
import { ServerStats } from './stats.ts';

/** Kafka's defaults for the limits below. */
export const LISTENER_DEFAULTS = {
  requestBytesMax: 104_857_600, // socket.request.max.bytes
  queuedMaxRequests: 500, // queued.max.requests (Kafka: per broker; here per connection)
  // Read-ahead bytes per connection (ours; Kafka reads one request per connection at a time).
  queuedMaxBytes: 104_857_600,
  maxConnections: 2_147_483_647, // max.connections
  maxConnectionsPerIp: 2_147_483_647, // max.connections.per.ip
  connectionsMaxIdleMs: 600_000, // connections.max.idle.ms
  shutdownTimeoutMs: 30_000, // our own bound on graceful close
} as const;

export interface ListenerOptions {
  /** Listener name, e.g. "PLAINTEXT"; handlers see it in RequestContext.listenerName. */
  name: string;
  host: string;
  /** 0 picks a free port; read the bound one from Listener.port. */
  port: number;
  registry: ApiRegistry;
  logger?: Logger;
  /** Shared across listeners when given. */
  stats?: ServerStats;
  /** Told about every finished request (request metrics). */
  observer?: RequestObserver;
  clock?: Clock;
  requestBytesMax?: number;
  queuedMaxRequests?: number;
  queuedMaxBytes?: number;
  maxConnections?: number;
  maxConnectionsPerIp?: number;
  connectionsMaxIdleMs?: number;
  /** Longest wait in close() for in-flight requests before sockets are destroyed. */
  shutdownTimeoutMs?: number;
}

type Limits = { -readonly [K in keyof typeof LISTENER_DEFAULTS]: number };

export class Listener {
  readonly name: string;
  readonly host: string;
  /** The bound port (the real one when 0 was asked for). */
  readonly port: number;
  readonly stats: ServerStats;
  readonly #server: Server;
  readonly #opts: ListenerOptions;
  readonly #limits: Limits;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #connections = new Set<Connection>();
  readonly #connectionsPerIp = new Map<string, number>();
  readonly #idleTimer: NodeJS.Timeout;
  #nextConnectionIndex = 0;
  #closing: Promise<void> | null = null;

  private constructor(server: Server, opts: ListenerOptions, limits: Limits) {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
    this.#server = server;
    this.#opts = opts;
    this.#limits = limits;
    this.name = opts.name;
    this.host = opts.host;
    this.port = address.port;
    this.stats = opts.stats ?? new ServerStats();
    this.#clock = opts.clock ?? systemClock;
    this.#logger = componentLogger(opts.logger ?? silentLogger, `listener-${opts.name}`);
    server.on('connection', (socket) => this.#accept(socket));
    // Idle connections are looked for a few times per idle period; the check is cheap.
    const sweepEveryMs = Math.max(1_000, Math.min(limits.connectionsMaxIdleMs / 4, 60_000));
    this.#idleTimer = setInterval(() => this.closeIdleConnections(), sweepEveryMs).unref();
  }

  static async start(opts: ListenerOptions): Promise<Listener> {
    const limits: Limits = { ...LISTENER_DEFAULTS };
    for (const key of Object.keys(LISTENER_DEFAULTS) as (keyof Limits)[]) {
      const value = opts[key];
      if (value !== undefined) limits[key] = value;
    }
    const server = createServer({ noDelay: true });
    server.listen({ host: opts.host, port: opts.port });
    await once(server, 'listening');
    const listener = new Listener(server, opts, limits);
    listener.#logger.info({ host: opts.host, port: listener.port }, 'listening');
    return listener;
  }

  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Closes connections with no activity for connections.max.idle.ms and no request pending. */
  closeIdleConnections(): number {
    const cutoffMs = this.#clock.now() - this.#limits.connectionsMaxIdleMs;
    let closedCount = 0;
    for (const conn of this.#connections) {
      if (conn.busy || conn.lastActivityMs >= cutoffMs) continue;
      this.stats.connectionsClosedIdle += 1;
      conn.destroy('idle for longer than connections.max.idle.ms');
      closedCount += 1;
    }
    return closedCount;
  }

  /**
   * Stops accepting, lets each connection finish its in-flight request and flush the
   * response (at most shutdownTimeoutMs), then closes every socket.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearInterval(this.#idleTimer);
    const serverClosed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    const drained = Promise.all([...this.#connections].map((conn) => conn.drain()));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#limits.shutdownTimeoutMs);
    });
    await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    for (const conn of this.#connections) conn.destroy('listener closed');
    await serverClosed;
    this.#logger.info('closed');
  }

  #accept(socket: Socket): void {
    const clientHost = socket.remoteAddress ?? 'unknown';
    const rejection = this.#closing !== null ? 'listener is closing' : this.#capExceeded(clientHost);
    if (rejection !== null) {
      this.stats.connectionsRejected += 1;
      this.#logger.warn({ clientHost, reason: rejection }, 'rejected connection');
      socket.destroy();
      return;
    }
    const connection = new Connection(socket, {
      info: { connectionId: this.#connectionId(socket), clientHost, listenerName: this.name },
      clock: this.#clock,
      requestBytesMax: this.#limits.requestBytesMax,
      queuedMaxRequests: this.#limits.queuedMaxRequests,
      queuedMaxBytes: this.#limits.queuedMaxBytes,
      registry: this.#opts.registry,
      stats: this.stats,
      logger: this.#logger,
      observer: this.#opts.observer,
    });
    this.#track(connection, clientHost);
  }

  #capExceeded(clientHost: string): string | null {
    if (this.#connections.size >= this.#limits.maxConnections) {
      return `max.connections (${this.#limits.maxConnections}) reached`;
    }
    if ((this.#connectionsPerIp.get(clientHost) ?? 0) >= this.#limits.maxConnectionsPerIp) {
      return `max.connections.per.ip (${this.#limits.maxConnectionsPerIp}) reached`;
    }
    return null;
  }

  #track(connection: Connection, clientHost: string): void {
    this.#connections.add(connection);
    this.#connectionsPerIp.set(clientHost, (this.#connectionsPerIp.get(clientHost) ?? 0) + 1);
    this.stats.connectionsAccepted += 1;
    this.stats.connectionsOpen += 1;
    void connection.closed.then(() => {
      this.#connections.delete(connection);
      const left = (this.#connectionsPerIp.get(clientHost) ?? 1) - 1;
      if (left === 0) this.#connectionsPerIp.delete(clientHost);
      else this.#connectionsPerIp.set(clientHost, left);
      this.stats.connectionsOpen -= 1;
    });
  }

  /** Kafka's connection id form: local address-remote address-index. */
  #connectionId(socket: Socket): string {
    const index = this.#nextConnectionIndex++;
    return `${socket.localAddress}:${socket.localPort}-${socket.remoteAddress}:${socket.remotePort}-${index}`;
  }
}

export function startListener(opts: ListenerOptions): Promise<Listener> {
  return Listener.start(opts);
}
