/**
 * Test helpers for the server tests: a raw-socket Kafka client that writes request frames
 * and reads response frames, a Heartbeat handler whose behaviour each test steers, and a
 * deferred promise for holding a handler until a test lets it go.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { encodeRequestHeader } from '../../src/protocol/headers.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeHeartbeatResponse, encodeHeartbeatRequest } from '../../src/protocol/generated/heartbeat.ts';
import type { HeartbeatRequest, HeartbeatResponse } from '../../src/protocol/generated/heartbeat.ts';
import { createApiVersionsHandler } from '../../src/server/apis/api-versions.ts';
import { NO_RESPONSE } from '../../src/server/api-handler.ts';
import type { ApiHandler, HandlerResult, RequestContext } from '../../src/server/api-handler.ts';
import { FrameDecoder } from '../../src/server/frame-decoder.ts';
import { startListener } from '../../src/server/listener.ts';
import type { Listener, ListenerOptions } from '../../src/server/listener.ts';
import { ApiRegistry } from '../../src/server/registry.ts';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T = void>(): Deferred<T> {
  const { promise, resolve } = Promise.withResolvers<T>();
  return { promise, resolve };
}

/** A client speaking raw frames; responses are queued as they arrive. */
export class RawClient {
  readonly socket: Socket;
  readonly closed: Promise<void>;
  readonly #decoder = new FrameDecoder(1 << 30);
  readonly #frames: Buffer[] = [];
  #waiter: Deferred<void> | null = null;
  #isClosed = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.#decoder.push(chunk);
      for (let f = this.#decoder.next(); f !== null; f = this.#decoder.next()) this.#frames.push(f);
      this.#wake();
    });
    socket.once('close', () => {
      this.#isClosed = true;
      this.#wake();
    });
  }

  static async connect(port: number): Promise<RawClient> {
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    return new RawClient(socket);
  }

  /** Sends one request: header (in the version the API implies) + body. */
  send(apiKey: number, apiVersion: number, correlationId: number, body: (w: Writer) => void): void {
    this.socket.write(requestFrame(apiKey, apiVersion, correlationId, body));
  }

  /** The next response frame (size prefix removed); rejects if the connection closes first. */
  async nextFrame(): Promise<Buffer> {
    while (this.#frames.length === 0) {
      if (this.#isClosed) throw new Error('connection closed');
      this.#waiter = deferred();
      await this.#waiter.promise;
    }
    return this.#frames.shift() as Buffer;
  }

  /** Resolves true when the server closes the connection without sending anything else. */
  async closedWithoutResponse(): Promise<boolean> {
    await this.closed;
    return this.#frames.length === 0;
  }

  end(): void {
    this.socket.destroy();
  }

  #wake(): void {
    const waiter = this.#waiter;
    this.#waiter = null;
    waiter?.resolve();
  }
}

export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: (w: Writer) => void): Buffer {
  const w = new Writer();
  encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: 'test-client' });
  body(w);
  return withSizePrefix(w.toBuffer());
}

export function withSizePrefix(payload: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(payload.length, 0);
  return Buffer.concat([prefix, payload]);
}

/** Reads a response header; `flexible` = header v1 (with tagged fields). */
export function readResponseHeader(frame: Buffer, flexible: boolean): { correlationId: number; body: Reader } {
  const r = new Reader(frame);
  const correlationId = r.readInt32();
  if (flexible) {
    const tags = r.readUnsignedVarInt();
    if (tags !== 0) throw new Error('unexpected tagged fields in response header');
  }
  return { correlationId, body: r };
}

/**
 * Heartbeat handler steered by the request's generationId: answers with throttleTimeMs =
 * generationId; -1 -> NO_RESPONSE, -2 -> throws; a generationId in `holds` waits for it.
 */
export class TestHeartbeatHandler implements ApiHandler<HeartbeatRequest, HeartbeatResponse> {
  readonly apiKey = ApiKey.Heartbeat;
  readonly minVersion = 0;
  readonly maxVersion = 4;
  readonly holds = new Map<number, Deferred<void>>();
  /** Signalled when the handler starts a request, by generationId. */
  readonly started = new Map<number, Deferred<void>>();
  readonly calls: number[] = [];
  running = 0;
  maxRunning = 0;

  async handle(request: HeartbeatRequest, ctx: RequestContext): Promise<HandlerResult<HeartbeatResponse>> {
    assertContext(ctx);
    const id = request.generationId;
    this.calls.push(id);
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    this.started.get(id)?.resolve();
    try {
      await this.holds.get(id)?.promise;
      if (id === -2) throw new Error('handler bug');
      if (id === -1) return NO_RESPONSE;
      return { throttleTimeMs: id, errorCode: 0 };
    } finally {
      this.running -= 1;
    }
  }

  hold(id: number): Deferred<void> {
    const d = deferred();
    this.holds.set(id, d);
    return d;
  }

  whenStarted(id: number): Promise<void> {
    const d = deferred();
    this.started.set(id, d);
    return d.promise;
  }
}

function assertContext(ctx: RequestContext): void {
  if (ctx.apiKey !== ApiKey.Heartbeat || ctx.clientId !== 'test-client' || ctx.listenerName !== 'PLAINTEXT') {
    throw new Error(`unexpected request context ${JSON.stringify(ctx)}`);
  }
}

export interface TestBroker {
  listener: Listener;
  registry: ApiRegistry;
  heartbeat: TestHeartbeatHandler;
}

/** A listener on a random port serving ApiVersions and the test Heartbeat handler. */
export async function startTestBroker(overrides: Partial<ListenerOptions> = {}): Promise<TestBroker> {
  const registry = new ApiRegistry();
  const heartbeat = new TestHeartbeatHandler();
  registry.register(createApiVersionsHandler(registry)).register(heartbeat);
  const listener = await startListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, registry, ...overrides });
  return { listener, registry, heartbeat };
}

export function sendHeartbeat(client: RawClient, version: number, correlationId: number, generationId: number): void {
  client.send(ApiKey.Heartbeat, version, correlationId, (w) => {
    encodeHeartbeatRequest(w, version, { groupId: 'group', generationId, memberId: 'member' });
  });
}

/** Reads the next frame as a Heartbeat response of `version`. */
export async function readHeartbeat(client: RawClient, version: number): Promise<{ correlationId: number; throttleTimeMs: number }> {
  const { correlationId, body } = readResponseHeader(await client.nextFrame(), version >= 4);
  return { correlationId, throttleTimeMs: decodeHeartbeatResponse(body, version).throttleTimeMs };
}
