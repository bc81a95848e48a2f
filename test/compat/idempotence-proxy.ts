/**
 * A TCP proxy for the idempotence tests that loses a Produce response: every connection
 * is relayed to the broker frame by frame; when armed, the next Produce request is
 * forwarded, the proxy waits until the broker's response to it arrives (so the broker
 * did append), then closes both sides without relaying that response. The client sees
 * a dropped connection and must retry the same batch, which the broker answers as a
 * duplicate. `hold()` / `release()` park new connections (e.g. while the broker restarts).
 */
import net from 'node:net';
import { once } from 'node:events';
import { FrameDecoder } from '../../src/server/frame-decoder.ts';

const FRAME_BYTES_MAX = 64 * 1024 * 1024;
const PRODUCE_API_KEY = 0;

export interface Cut {
  /** Correlation id of the Produce whose response was lost. */
  readonly correlationId: number;
}

export class DroppingProxy {
  readonly #server: net.Server;
  #upstreamPort: number;
  #armed: ((cut: Cut) => void) | null = null;
  #gate: Promise<void> = Promise.resolve();
  #openGate: (() => void) | null = null;
  readonly #sockets = new Set<net.Socket>();

  private constructor(server: net.Server, upstreamPort: number) {
    this.#server = server;
    this.#upstreamPort = upstreamPort;
    server.on('connection', (client) => void this.#relay(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1; the upstream port can be set later. */
  static async start(upstreamPort = 0): Promise<DroppingProxy> {
    const server = net.createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new DroppingProxy(server, upstreamPort);
  }

  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }
  set upstreamPort(port: number) {
    this.#upstreamPort = port;
  }

  /** Loses the response of the next Produce request; resolves once it did. */
  dropNextProduceResponse(): Promise<Cut> {
    const { promise, resolve } = Promise.withResolvers<Cut>();
    this.#armed = resolve;
    return promise;
  }

  /** New connections wait (not refused) until release(). */
  hold(): void {
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#gate = promise;
    this.#openGate = resolve;
  }

  release(): void {
    this.#openGate?.();
    this.#gate = Promise.resolve();
  }

  async close(): Promise<void> {
    this.release();
    for (const s of this.#sockets) s.destroy();
    this.#server.close();
    await once(this.#server, 'close');
  }

  async #relay(client: net.Socket): Promise<void> {
    this.#track(client);
    client.pause();
    await this.#gate;
    const upstream = net.connect(this.#upstreamPort, '127.0.0.1');
    this.#track(upstream);
    /** The Produce (by correlation id) whose response this connection loses, and who waits for it. */
    let cut: { correlationId: number; notify: (cut: Cut) => void } | null = null;
    const fromClient = new FrameDecoder(FRAME_BYTES_MAX);
    const fromBroker = new FrameDecoder(FRAME_BYTES_MAX);
    client.on('data', (chunk: Buffer) => {
      fromClient.push(chunk);
      for (let f = fromClient.next(); f !== null; f = fromClient.next()) {
        if (f.readInt16BE(0) === PRODUCE_API_KEY && this.#armed !== null && cut === null) {
          cut = { correlationId: f.readInt32BE(4), notify: this.#armed };
          this.#armed = null;
        }
        upstream.write(frame(f));
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      fromBroker.push(chunk);
      for (let f = fromBroker.next(); f !== null; f = fromBroker.next()) {
        if (cut !== null && f.readInt32BE(0) === cut.correlationId) {
          client.destroy();
          upstream.destroy();
          cut.notify({ correlationId: cut.correlationId });
          return;
        }
        client.write(frame(f));
      }
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.resume();
  }

  #track(socket: net.Socket): void {
    this.#sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => this.#sockets.delete(socket));
  }
}

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

/** A port that was free a moment ago (for a broker that must keep its port across a restart). */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}
