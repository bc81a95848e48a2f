/**
 * A raw TCP Kafka connection for feeding a broker bad input: send arbitrary bytes or a
 * request frame (size + header + body, encoded with the project's generated codecs), read
 * response frames, and observe whether the broker closed the connection.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { encodeRequestHeader } from '../../../src/protocol/headers.ts';
import { Writer } from '../../../src/protocol/writer.ts';

/** Response frames above this are treated as a protocol error by this test client. */
const RESPONSE_BYTES_MAX = 64 * 1024 * 1024;

export class RawConnection {
  readonly #socket: Socket;
  #buffered: Buffer = Buffer.alloc(0);
  readonly #frames: Buffer[] = [];
  #closed = false;
  #wake: (() => void) | null = null;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.#buffered = Buffer.concat([this.#buffered, chunk]);
      this.#split();
      this.#wake?.();
    });
    socket.on('close', () => {
      this.#closed = true;
      this.#wake?.();
    });
  }

  static async open(host: string, port: number): Promise<RawConnection> {
    const socket = connect({ host, port });
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  #split(): void {
    while (this.#buffered.length >= 4) {
      const size = this.#buffered.readInt32BE(0);
      if (size < 0 || size > RESPONSE_BYTES_MAX) {
        // Not a Kafka response: record it as a frame the test will fail on, and hang up.
        this.#frames.push(Buffer.from(`bad response frame size ${size}`));
        this.#buffered = Buffer.alloc(0);
        this.#socket.destroy();
        return;
      }
      if (this.#buffered.length < 4 + size) return;
      this.#frames.push(this.#buffered.subarray(4, 4 + size));
      this.#buffered = this.#buffered.subarray(4 + size);
    }
  }

  write(bytes: Buffer): void {
    this.#socket.write(bytes);
  }

  /** Sends what we have and half-closes (FIN): the broker sees end of stream. */
  end(bytes: Buffer = Buffer.alloc(0)): void {
    this.#socket.end(bytes);
  }

  sendRequest(apiKey: number, apiVersion: number, correlationId: number, body: (w: Writer) => void): void {
    this.write(requestFrame(apiKey, apiVersion, correlationId, body));
  }

  /** The next response frame without its size prefix; null if the connection closed first. */
  async nextFrame(): Promise<Buffer | null> {
    while (this.#frames.length === 0) {
      if (this.#closed) return null;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = null;
    }
    return this.#frames.shift() ?? null;
  }

  /** Resolves once the peer closed the connection; returns the frames it sent before. */
  async closedByPeer(): Promise<Buffer[]> {
    const frames: Buffer[] = [];
    for (let f = await this.nextFrame(); f !== null; f = await this.nextFrame()) frames.push(f);
    return frames;
  }

  destroy(): void {
    this.#socket.destroy();
  }
}

export function requestFrame(apiKey: number, apiVersion: number, correlationId: number, body: (w: Writer) => void): Buffer {
  const w = new Writer();
  encodeRequestHeader(w, { apiKey, apiVersion, correlationId, clientId: 'compat-raw' });
  body(w);
  const payload = w.toBuffer();
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length, 0);
  return Buffer.concat([size, payload]);
}
