/**
 * One TCP connection to a Kafka broker, as a client sees it.
 *
 * Wire: each request is `int32 size | request header | body`, each response
 * `int32 size | response header | body`; the header versions follow from the API and
 * version (protocol/headers.ts). Requests are pipelined: up to `inFlightMax` wait for
 * their responses at once (more callers queue for a slot), and responses are matched
 * by correlation id. A request without a response within its timeout closes the
 * connection, as Kafka's clients do, because the stream can no longer be trusted.
 *
 * On open the connection negotiates versions with ApiVersions (KIP-511: it tries its
 * newest ApiVersions; a broker that does not know it answers UNSUPPORTED_VERSION in v0
 * form with its own range, and the client retries at the highest common version). Every
 * later request uses min(client max, broker max) for its API.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ApiVersionsResponse } from '../../protocol/generated/api-versions.ts';
import { decodeResponseHeader, encodeRequestHeader, responseHeaderVersion } from '../../protocol/headers.ts';
import { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import { FrameDecoder, FrameSizeError } from '../../server/frame-decoder.ts';
import { ApiVersionsCall } from './api-calls.ts';
import type { ApiCall } from './api-calls.ts';
import { ConnectionError, KafkaResponseError, throwIfError } from './kafka-error.ts';
import { withDefaults } from './with-defaults.ts';

export const CONNECTION_DEFAULTS = {
  clientId: 'gregor-cli',
  /** Kafka's request.timeout.ms default. */
  requestTimeoutMs: 30_000,
  connectTimeoutMs: 10_000,
  /** Largest response frame accepted (fetch responses are bounded by their maxBytes). */
  responseBytesMax: 256 * 1024 * 1024,
  /** Kafka's max.in.flight.requests.per.connection default. */
  inFlightMax: 5,
} as const;

export interface ConnectionOptions {
  host: string;
  port: number;
  clientId?: string;
  requestTimeoutMs?: number;
  connectTimeoutMs?: number;
  responseBytesMax?: number;
  inFlightMax?: number;
}

/** What ApiVersions v3+ requires (Kafka's software name/version pattern). */
const CLIENT_SOFTWARE = { clientSoftwareName: 'gregor-cli', clientSoftwareVersion: '0.1.0' };

interface Pending {
  apiKey: number;
  version: number;
  decode: (r: Reader) => unknown;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface VersionRange {
  min: number;
  max: number;
}

export class KafkaConnection {
  readonly host: string;
  readonly port: number;
  readonly #socket: Socket;
  readonly #opts: Required<ConnectionOptions>;
  readonly #decoder: FrameDecoder;
  readonly #pending = new Map<number, Pending>();
  /** Callers waiting for an in-flight slot, in arrival order. */
  readonly #slotWaiters: (() => void)[] = [];
  #inFlight = 0;
  #nextCorrelationId = 0;
  #closedBy: Error | null = null;
  #brokerVersions = new Map<number, VersionRange>();

  private constructor(socket: Socket, opts: Required<ConnectionOptions>) {
    this.host = opts.host;
    this.port = opts.port;
    this.#socket = socket;
    this.#opts = opts;
    this.#decoder = new FrameDecoder(opts.responseBytesMax);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#fail(new ConnectionError(`connection to ${this.address}: ${err.message}`)));
    socket.on('close', () => this.#fail(new ConnectionError(`connection to ${this.address} closed`)));
  }

  /** Connects and negotiates API versions. */
  static async open(options: ConnectionOptions): Promise<KafkaConnection> {
    const opts = withDefaults(CONNECTION_DEFAULTS, options);
    const socket = await connectSocket(opts.host, opts.port, opts.connectTimeoutMs);
    const conn = new KafkaConnection(socket, opts);
    try {
      await conn.#negotiateVersions();
    } catch (err) {
      conn.close();
      throw err;
    }
    return conn;
  }

  get address(): string {
    return `${this.host}:${this.port}`;
  }

  get isClosed(): boolean {
    return this.#closedBy !== null;
  }

  /** The version this connection uses for `call`: min(ours, broker's max), checked against both minimums. */
  versionFor(call: ApiCall<unknown, unknown>): number {
    const theirs = this.#brokerVersions.get(call.key);
    const version = theirs === undefined ? -1 : Math.min(call.maxVersion, theirs.max);
    if (theirs === undefined || version < Math.max(call.minVersion, theirs.min)) {
      const offer = theirs === undefined ? 'does not offer' : `offers versions ${theirs.min}-${theirs.max} of`;
      throw new KafkaResponseError(ErrorCode.UNSUPPORTED_VERSION, `broker ${this.address} ${offer} ${call.name}`,
        `this client speaks versions ${call.minVersion}-${call.maxVersion}`);
    }
    return version;
  }

  /**
   * Sends a request and resolves with the decoded response. `build` receives the
   * negotiated version, for requests whose fields differ between versions.
   */
  async send<In, Res>(call: ApiCall<In, Res>, build: (version: number) => In, timeoutMs?: number): Promise<Res> {
    const version = this.versionFor(call as ApiCall<unknown, unknown>);
    return this.#request(call.key, version, (w) => call.encodeRequest(w, version, build(version)),
      (r) => call.decodeResponse(r, version), timeoutMs ?? this.#opts.requestTimeoutMs);
  }

  /** Sends a request the broker does not answer (Produce with acks=0). */
  async sendWithoutResponse<In, Res>(call: ApiCall<In, Res>, build: (version: number) => In): Promise<void> {
    const version = this.versionFor(call as ApiCall<unknown, unknown>);
    if (this.#closedBy !== null) throw this.#closedBy;
    this.#writeFrame(call.key, version, this.#nextId(), (w) => call.encodeRequest(w, version, build(version)));
  }

  /** Fails what is still pending, then ends the socket after the bytes already written (acks=0 produce). */
  close(): void {
    this.#fail(new ConnectionError(`connection to ${this.address} closed by the client`), true);
  }

  async #negotiateVersions(): Promise<void> {
    let version = ApiVersionsCall.maxVersion;
    let response = await this.#requestApiVersions(version);
    if (response.errorCode === ErrorCode.UNSUPPORTED_VERSION) {
      const theirs = response.apiKeys.find((k) => k.apiKey === ApiKey.ApiVersions);
      version = Math.min(version, theirs?.maxVersion ?? 0);
      response = await this.#requestApiVersions(version);
    }
    throwIfError(response.errorCode, `ApiVersions to ${this.address}`);
    this.#brokerVersions = new Map(response.apiKeys.map((k) => [k.apiKey, { min: k.minVersion, max: k.maxVersion }]));
  }

  /** A broker that does not know `version` answers in v0 form with UNSUPPORTED_VERSION. */
  #requestApiVersions(version: number): Promise<ApiVersionsResponse> {
    const decode = (r: Reader): ApiVersionsResponse => {
      const errorCode = r.buf.readInt16BE(r.offset);
      const bodyVersion = errorCode === ErrorCode.UNSUPPORTED_VERSION ? 0 : version;
      return ApiVersionsCall.decodeResponse(r, bodyVersion);
    };
    return this.#request(ApiKey.ApiVersions, version,
      (w) => ApiVersionsCall.encodeRequest(w, version, CLIENT_SOFTWARE), decode, this.#opts.requestTimeoutMs);
  }

  async #request<T>(apiKey: number, version: number, encode: (w: Writer) => void,
    decode: (r: Reader) => T, timeoutMs: number): Promise<T> {
    await this.#acquireSlot();
    if (this.#closedBy !== null) {
      this.#releaseSlot();
      throw this.#closedBy;
    }
    const correlationId = this.#nextId();
    const { promise, resolve, reject } = Promise.withResolvers<T>();
    const timer = setTimeout(() => this.#timeOut(correlationId, timeoutMs), timeoutMs);
    this.#pending.set(correlationId, {
      apiKey, version, decode, resolve: resolve as (value: unknown) => void, reject, timer,
    });
    this.#writeFrame(apiKey, version, correlationId, encode);
    return promise;
  }

  #writeFrame(apiKey: number, apiVersion: number, correlationId: number, encode: (w: Writer) => void): void {
    const w = new Writer();
    encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: this.#opts.clientId });
    encode(w);
    const size = Buffer.allocUnsafe(4);
    size.writeInt32BE(w.length, 0);
    // Corked so the size prefix and every chunk leave in one writev.
    this.#socket.cork();
    this.#socket.write(size);
    for (const chunk of w.toChunks()) this.#socket.write(chunk);
    this.#socket.uncork();
  }

  #nextId(): number {
    const id = this.#nextCorrelationId;
    this.#nextCorrelationId = (id + 1) | 0;
    return id;
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    try {
      for (let frame = this.#decoder.next(); frame !== null; frame = this.#decoder.next()) this.#onFrame(frame);
    } catch (err) {
      // The frame decoder is the server's, so its size error speaks of requests; say what it means here.
      const problem = err instanceof FrameSizeError
        ? `response of ${err.size} bytes is over the client's limit of ${this.#opts.responseBytesMax}`
        : (err as Error).message;
      this.#fail(new ConnectionError(`bad response from ${this.address}: ${problem}`));
    }
  }

  #onFrame(frame: Buffer): void {
    const correlationId = frame.length >= 4 ? frame.readInt32BE(0) : -1;
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) throw new Error(`response with unknown correlation id ${correlationId}`);
    this.#settle(correlationId, pending);
    try {
      const r = new Reader(frame);
      decodeResponseHeader(r, responseHeaderVersion(pending.apiKey, pending.version));
      pending.resolve(pending.decode(r));
    } catch (err) {
      pending.reject(err as Error);
    }
  }

  #settle(correlationId: number, pending: Pending): void {
    clearTimeout(pending.timer);
    this.#pending.delete(correlationId);
    this.#releaseSlot();
  }

  #timeOut(correlationId: number, timeoutMs: number): void {
    const pending = this.#pending.get(correlationId);
    if (pending === undefined) return;
    this.#fail(new ConnectionError(`request to ${this.address} timed out after ${timeoutMs} ms`));
  }

  async #acquireSlot(): Promise<void> {
    if (this.#inFlight < this.#opts.inFlightMax) {
      this.#inFlight += 1;
      return;
    }
    await new Promise<void>((resolve) => this.#slotWaiters.push(resolve));
  }

  /** Hands the slot to the next waiter, or frees it. */
  #releaseSlot(): void {
    const next = this.#slotWaiters.shift();
    if (next !== undefined) next();
    else this.#inFlight -= 1;
  }

  /** Closes the socket and fails everything pending; the first reason wins. */
  #fail(reason: Error, graceful = false): void {
    if (this.#closedBy !== null) return;
    this.#closedBy = reason;
    if (graceful) this.#socket.end();
    else this.#socket.destroy();
    for (const [correlationId, pending] of this.#pending) {
      this.#settle(correlationId, pending);
      pending.reject(reason);
    }
  }
}

function connectSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionError(`connecting to ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(new ConnectionError(`cannot connect to ${host}:${port}: ${err.message}`));
    });
  });
}
