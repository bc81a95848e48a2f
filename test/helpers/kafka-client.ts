/**
 * A minimal Kafka client for tests: sends one request at any API version with the
 * generated encoder and decodes the response with the generated decoder, so a test can
 * check exactly what a broker answers at each version. Responses are matched by
 * correlation id; requests may be pipelined.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { apiByKey } from '../../src/protocol/generated/api-table.ts';
import { decodeResponseHeader, encodeRequestHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { FrameDecoder } from '../../src/server/frame-decoder.ts';

/** Largest response frame the test client accepts. */
const MAX_RESPONSE_BYTES = 1 << 30;

interface Pending {
  readonly apiKey: number;
  readonly version: number;
  resolve(response: unknown): void;
  reject(err: Error): void;
}

export class KafkaTestClient {
  readonly #socket: Socket;
  readonly #decoder = new FrameDecoder(MAX_RESPONSE_BYTES);
  readonly #pending = new Map<number, Pending>();
  #nextCorrelationId = 1;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
    socket.on('close', () => this.#failAll(new Error('connection closed')));
  }

  static async connect(port: number, host = '127.0.0.1'): Promise<KafkaTestClient> {
    const socket = connect({ host, port });
    await once(socket, 'connect');
    return new KafkaTestClient(socket);
  }

  /** Sends `body` as (apiKey, version) and resolves with the decoded response. */
  request<Res>(apiKey: number, version: number, body: object, clientId: string | null = 'gregor-test'): Promise<Res> {
    const api = apiByKey.get(apiKey);
    if (api === undefined) throw new Error(`unknown API key ${apiKey}`);
    const correlationId = this.#nextCorrelationId++;
    const w = new Writer();
    encodeRequestHeader(w, { apiKey, apiVersion: version, correlationId, clientId });
    api.encodeRequest(w, version, body);
    const payload = w.toBuffer();
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(payload.length);
    const { promise, resolve, reject } = Promise.withResolvers<unknown>();
    this.#pending.set(correlationId, { apiKey, version, resolve, reject });
    this.#socket.write(Buffer.concat([prefix, payload]));
    return promise as Promise<Res>;
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#decoder.push(chunk);
    for (let frame = this.#decoder.next(); frame !== null; frame = this.#decoder.next()) {
      const correlationId = frame.readInt32BE(0);
      const pending = this.#pending.get(correlationId);
      if (pending === undefined) continue;
      this.#pending.delete(correlationId);
      try {
        const r = new Reader(frame);
        decodeResponseHeader(r, responseHeaderVersion(pending.apiKey, pending.version));
        const response = apiByKey.get(pending.apiKey)!.decodeResponse(r, pending.version);
        if (r.remaining() !== 0) throw new Error(`${r.remaining()} bytes left after the response`);
        pending.resolve(response);
      } catch (err) {
        pending.reject(err as Error);
      }
    }
  }

  #failAll(err: Error): void {
    for (const pending of this.#pending.values()) pending.reject(err);
    this.#pending.clear();
  }
}
