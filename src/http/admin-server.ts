/**
 * The admin HTTP server (`http.listener`): Prometheus `/metrics`, `/health` (the process
 * is up and answering), `/ready` (listeners up and logs recovered: 503 until then), the
 * JSON API under `/api` (docs/HTTP-API.md) and the web console's static files.
 * Request bodies are JSON, at most BODY_BYTES_MAX.
 *
 * It starts before the broker's logs are recovered so /health and /ready answer during a
 * long recovery; `serve()` adds the API and broker metrics once the broker's services
 * exist (until then /api answers 503 and /metrics has only the process's Node.js metrics),
 * `setReady()` flips /ready.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { Logger } from '../logger.ts';
import { badRequest, HttpError, toHttpError } from './http-error.ts';
import { Router } from './router.ts';
import type { Route, RouteReply } from './router.ts';
import { serveStatic } from './static-files.ts';
import { nodeProcessRegistry } from '../metrics/node-metrics.ts';

/** Largest JSON body accepted (topic creation with configs is a few KB). */
export const BODY_BYTES_MAX = 1_048_576;

export interface AdminServerOptions {
  readonly host: string;
  /** 0 picks a free port; read the bound one from AdminServer.port. */
  readonly port: number;
  /** Directory of the console's built assets. */
  readonly consoleDir: string;
  readonly logger: Logger;
}

/** Prometheus exposition text and its content type. */
export type MetricsRenderer = () => Promise<{ contentType: string; body: string }>;

/** What serve() adds; mutable state of a running server, set once. */
interface Served {
  router: Router | null;
  metrics: MetricsRenderer;
  ready: boolean;
  /** The start-up phase /ready reports while not ready. */
  phase: string;
}

export class AdminServer {
  readonly host: string;
  readonly port: number;
  readonly #server: Server;
  readonly #served: Served;

  private constructor(server: Server, host: string, port: number, served: Served) {
    this.#server = server;
    this.host = host;
    this.port = port;
    this.#served = served;
  }

  static async start(opts: AdminServerOptions): Promise<AdminServer> {
    const served: Served = { router: null, metrics: renderNodeMetrics, ready: false, phase: 'starting' };
    const server = createServer((req, res) => {
      void handle(opts, served, req, res);
    });
    server.listen({ host: opts.host, port: opts.port });
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('admin HTTP server has no TCP address');
    return new AdminServer(server, opts.host, address.port, served);
  }

  /** Adds the /api routes and the broker's metrics. */
  serve(routes: readonly Route[], metrics: MetricsRenderer): void {
    this.#served.router = new Router().add(routes);
    this.#served.metrics = metrics;
  }

  /** What /ready says the broker is doing while it is not ready ("recovering logs", ...). */
  setPhase(phase: string): void {
    this.#served.phase = phase;
  }

  /** /ready answers 200 from now on. */
  setReady(): void {
    this.#served.ready = true;
    this.#served.phase = 'ready';
  }

  /** http://host:port, for log lines and clients. */
  get url(): string {
    const host = this.host.includes(':') ? `[${this.host}]` : this.host;
    return `http://${host === '' ? 'localhost' : host}:${this.port}`;
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }
}

async function renderNodeMetrics(): Promise<{ contentType: string; body: string }> {
  const registry = nodeProcessRegistry();
  return { contentType: registry.contentType, body: await registry.metrics() };
}

async function handle(opts: AdminServerOptions, served: Served, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  try {
    if (await handleFixed(served, url.pathname, req, res)) return;
    if (url.pathname.startsWith('/api/') && served.router === null) {
      throw new HttpError(503, 'STARTING', 'the broker is still starting (recovering logs); retry shortly');
    }
    const match = served.router?.match(req.method ?? 'GET', url.pathname) ?? null;
    if (match !== null) {
      const body = await readJsonBody(req);
      sendReply(res, await match.handler({ params: match.params, query: url.searchParams, body }));
      return;
    }
    if (req.method === 'GET' && !url.pathname.startsWith('/api/') && await serveStatic(opts.consoleDir, url.pathname, res)) return;
    throw new HttpError(404, 'NOT_FOUND', `no such endpoint: ${req.method} ${url.pathname} (see docs/HTTP-API.md)`);
  } catch (err) {
    const error = toHttpError(err);
    if (error.status === 500) opts.logger.error({ err, method: req.method, path: url.pathname }, 'admin HTTP request failed');
    sendReply(res, { status: error.status, json: { error: error.code, message: error.message } });
  }
}

/** /metrics, /health, /ready; false for any other path. */
async function handleFixed(served: Served, path: string, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (path !== '/metrics' && path !== '/health' && path !== '/ready') return false;
  if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${path} answers GET only`);
  if (path === '/metrics') {
    const { contentType, body } = await served.metrics();
    sendReply(res, { contentType, raw: body });
  } else if (path === '/health') {
    sendReply(res, { json: { status: 'up' } });
  } else {
    const ready = served.ready;
    sendReply(res, { status: ready ? 200 : 503, json: { status: ready ? 'ready' : 'starting', phase: served.phase } });
  }
  return true;
}

function sendReply(res: ServerResponse, reply: RouteReply): void {
  if (res.headersSent) return;
  const status = reply.status ?? 200;
  const [type, body] = 'json' in reply
    ? ['application/json; charset=utf-8', `${JSON.stringify(reply.json)}\n`]
    : [reply.contentType, reply.raw];
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > BODY_BYTES_MAX) throw new HttpError(413, 'PAYLOAD_TOO_LARGE', `request body over ${BODY_BYTES_MAX} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch (err) {
    throw badRequest(`request body is not valid JSON: ${(err as Error).message}`);
  }
}
