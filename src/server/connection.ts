/**
 * One client connection. Requests are handled one at a time in arrival order (Kafka mutes
 * a channel while its request is in flight), so responses go out in request order. The
 * socket keeps reading ahead into a queue of frames bounded in count (queuedMaxRequests)
 * and bytes (queuedMaxBytes); when the queue is full the socket is paused until the
 * handler catches up. A response is written
 * as one corked batch of the encoder's chunks (writev, large record buffers by reference);
 * the next request waits while the socket's send buffer is above its high-water mark, or,
 * for a response that refers to pooled buffers (Fetch), until the kernel has all of it.
 * Any protocol violation closes this connection only.
 */
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { apiByKey, ApiKey } from '../protocol/generated/api-table.ts';
import { newRequestScope, requestScope } from '../replication/request-scope.ts';
import type { RequestScope } from '../replication/request-scope.ts';
import { dispatchFrame } from './dispatcher.ts';
import type { ConnectionInfo, DispatchDeps, DispatchResult } from './dispatcher.ts';
import { FrameDecoder } from './frame-decoder.ts';
import { processProduceBacklog } from './produce-backlog.ts';
import type { RequestObserver } from './request-observer.ts';

/** A complete frame waiting for its turn, with when it was read (for queue time). */
interface QueuedFrame {
  readonly frame: Buffer;
  readonly queuedAtMs: number;
}

export interface ConnectionOptions extends DispatchDeps {
  info: ConnectionInfo;
  clock: Clock;
  /** socket.request.max.bytes: largest request frame accepted. */
  requestBytesMax: number;
  /** Frames read ahead and waiting for their turn, per connection. */
  queuedMaxRequests: number;
  /** Bytes of frames read ahead, per connection; reading pauses at this many. */
  queuedMaxBytes: number;
  logger: Logger;
  /** Told about every finished request (metrics); optional. */
  observer?: RequestObserver;
}

export class Connection {
  readonly info: ConnectionInfo;
  readonly #socket: Socket;
  readonly #opts: ConnectionOptions;
  readonly #decoder: FrameDecoder;
  /** Complete frames read ahead, oldest first; within queuedMaxRequests/queuedMaxBytes. */
  readonly #queue: QueuedFrame[] = [];
  #queuedBytes = 0;
  #processing = false;
  /** Set by drain(): take no new requests, finish the one in flight. */
  #draining = false;
  #closed = false;
  #lastActivityMs: number;
  /** Resolved when the request in flight (if any) has finished and its response is written. */
  #idleWaiters: (() => void)[] = [];
  /** Ends a quota mute early (drain, close); null when not muted. */
  #unmute: (() => void) | null = null;
  readonly closed: Promise<void>;

  constructor(socket: Socket, opts: ConnectionOptions) {
    this.#socket = socket;
    this.#opts = opts;
    this.info = opts.info;
    this.#decoder = new FrameDecoder(opts.requestBytesMax);
    this.#lastActivityMs = opts.clock.now();
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => opts.logger.debug({ err, connectionId: this.info.connectionId }, 'socket error'));
    socket.once('close', () => this.#onClose());
  }

  get lastActivityMs(): number {
    return this.#lastActivityMs;
  }

  /** True while a request is being handled or waiting in the queue. */
  get busy(): boolean {
    return this.#processing || this.#queue.length > 0;
  }

  /** Closes at once, dropping queued requests; `reason` is logged. */
  destroy(reason: string): void {
    if (this.#socket.destroyed) return;
    this.#opts.logger.debug({ connectionId: this.info.connectionId, reason }, 'closing connection');
    this.#markClosed();
    this.#socket.destroy();
  }

  /**
   * Graceful close: take no more requests, drop those not started yet, let the one in flight
   * finish and its response flush, then end the socket. Callers bound the wait.
   */
  async drain(): Promise<void> {
    this.#draining = true;
    this.#clearQueue();
    this.#unmute?.();
    if (this.#processing) await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    if (!this.#closed) {
      this.#markClosed();
      // Keep reading (and discarding, see #onData) so the peer's FIN is seen and 'close' fires.
      this.#socket.resume();
      this.#socket.end();
    }
    await this.closed;
  }

  #onData(chunk: Buffer): void {
    if (this.#closed || this.#draining) return;
    this.#lastActivityMs = this.#opts.clock.now();
    this.#decoder.push(chunk);
    this.#fillQueue();
  }

  /** Moves complete frames into the queue and pauses/resumes reading as it fills/empties. */
  #fillQueue(): void {
    if (this.#draining) return;
    try {
      while (!this.#queueFull()) {
        const frame = this.#decoder.next();
        if (frame === null) break;
        this.#queue.push({ frame, queuedAtMs: performance.now() });
        this.#queuedBytes += frame.length;
        processProduceBacklog.count(frame, 1);
      }
    } catch (err) {
      this.#opts.logger.warn({ connectionId: this.info.connectionId, err: (err as Error).message }, 'closing connection: bad request frame');
      this.#closeOnError();
      return;
    }
    if (this.#queueFull()) this.#socket.pause();
    else if (this.#socket.isPaused()) this.#socket.resume();
    if (!this.#processing && this.#queue.length > 0) void this.#processQueue();
  }

  #queueFull(): boolean {
    return this.#queue.length >= this.#opts.queuedMaxRequests || this.#queuedBytes >= this.#opts.queuedMaxBytes;
  }

  #nextQueued(): QueuedFrame | undefined {
    const queued = this.#queue.shift();
    if (queued !== undefined) {
      this.#queuedBytes -= queued.frame.length;
      processProduceBacklog.count(queued.frame, -1);
    }
    return queued;
  }

  #clearQueue(): void {
    for (const { frame } of this.#queue) processProduceBacklog.count(frame, -1);
    this.#queue.length = 0;
    this.#queuedBytes = 0;
  }

  async #processQueue(): Promise<void> {
    this.#processing = true;
    let queued = this.#nextQueued();
    while (queued !== undefined && !this.#closed) {
      this.#fillQueue();
      if (this.#closed) break;
      const scope = newRequestScope();
      const dispatchedAtMs = performance.now();
      const result = await this.#dispatch(queued.frame, scope);
      if (this.#closed) break;
      if (result.kind === 'close') {
        this.#opts.logger.warn({ connectionId: this.info.connectionId, reason: result.reason }, 'closing connection');
        this.#closeOnError();
        break;
      }
      const sendStartMs = performance.now();
      if (result.kind === 'response') await this.#send(result.chunks, scope.afterResponseWritten);
      scope.afterResponse?.();
      this.#releaseFrame(scope, queued.frame);
      this.#completed(scope, queued.queuedAtMs, dispatchedAtMs, sendStartMs, result.correlationId);
      await this.#muteUntil(scope.throttleUntilMs);
      queued = this.#draining ? undefined : this.#nextQueued();
    }
    this.#processing = false;
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }

  /**
   * A client over its quota (src/server/quotas): after the response, read and serve nothing
   * until `untilMs` (Kafka mutes the channel for the throttle time, KIP-219), then resume.
   */
  async #muteUntil(untilMs: number): Promise<void> {
    const muteMs = untilMs - this.#opts.clock.now();
    if (muteMs <= 0 || this.#closed || this.#draining) return;
    this.#socket.pause();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#unmute?.(), muteMs);
      this.#unmute = () => {
        clearTimeout(timer);
        this.#unmute = null;
        resolve();
      };
    });
    if (!this.#closed) this.#fillQueue();
  }

  async #dispatch(frame: Buffer, scope: RequestScope): Promise<DispatchResult> {
    try {
      return await requestScope.run(scope, () => dispatchFrame(frame, this.info, this.#opts, scope));
    } catch (err) {
      return { kind: 'close', reason: `request failed: ${(err as Error).message}` };
    }
  }

  /**
   * A finished Produce's frame goes back to the decoder for reuse (see frame-decoder.ts):
   * its records were written to the log before the response (acks=0 included), nothing
   * keeps views of them afterwards, and a Produce response never refers to request bytes.
   * Other APIs' frames are left to the GC (small, or possibly still referenced).
   */
  #releaseFrame(scope: RequestScope, frame: Buffer): void {
    if (scope.apiKey === ApiKey.Produce) this.#decoder.release(frame);
  }

  /** Reports a finished request to the observer and, at debug level, to the log. */
  #completed(scope: RequestScope, queuedAtMs: number, dispatchedAtMs: number, sendStartMs: number, correlationId: number): void {
    const doneMs = performance.now();
    const timing = {
      queueMs: dispatchedAtMs - queuedAtMs,
      localMs: Math.max(0, sendStartMs - dispatchedAtMs - scope.remoteMs),
      remoteMs: scope.remoteMs,
      sendMs: doneMs - sendStartMs,
    };
    this.#opts.observer?.requestCompleted(scope.apiKey, scope.apiVersion, timing);
    if (this.#opts.logger.isLevelEnabled('debug')) {
      this.#opts.logger.debug({
        api: apiByKey.get(scope.apiKey)?.name, apiVersion: scope.apiVersion, correlationId,
        connectionId: this.info.connectionId, totalMs: doneMs - queuedAtMs, ...timing,
      }, 'request');
    }
  }

  /**
   * Writes one response as one corked batch. With `written` (a response that refers to
   * pooled buffers) it waits until all of it is in the kernel and then calls `written` (not
   * when the write failed or the socket closed first); otherwise it waits only while the
   * send buffer is above its high-water mark. Either way one response per connection is in
   * the socket at a time (bounds memory).
   */
  async #send(chunks: Buffer[], written: (() => void) | null): Promise<void> {
    if (written === null) await this.#writeBuffered(chunks);
    else if (await this.#writeAll(chunks)) written();
  }

  async #writeBuffered(chunks: Buffer[]): Promise<void> {
    const socket = this.#socket;
    this.#corked(chunks, undefined);
    if (socket.writableNeedDrain && !this.#closed) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          socket.off('drain', done);
          socket.off('close', done);
          resolve();
        };
        socket.on('drain', done);
        socket.on('close', done);
      });
    }
  }

  /** True once every chunk is in the kernel; false when the write failed or the socket closed first. */
  #writeAll(chunks: Buffer[]): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const closed = (): void => resolve(false);
      this.#socket.once('close', closed);
      this.#corked(chunks, (err) => {
        this.#socket.off('close', closed);
        resolve(err === null || err === undefined);
      });
    });
  }

  /** One writev of all chunks; `done` is the last chunk's write callback. */
  #corked(chunks: Buffer[], done: ((err?: Error | null) => void) | undefined): void {
    const socket = this.#socket;
    socket.cork();
    for (let i = 0; i < chunks.length - 1; i++) socket.write(chunks[i]);
    socket.write(chunks[chunks.length - 1], done);
    socket.uncork();
    this.#lastActivityMs = this.#opts.clock.now();
  }

  #closeOnError(): void {
    this.#opts.stats.connectionsClosedOnError += 1;
    this.#markClosed();
    this.#socket.destroy();
  }

  #markClosed(): void {
    this.#closed = true;
    this.#clearQueue();
    this.#unmute?.();
  }

  #onClose(): void {
    this.#markClosed();
    for (const wake of this.#idleWaiters.splice(0)) wake();
  }
}
