/**
 * RequestScope: per-request facts that code deep in the data path adds to without the
 * handlers passing them along. The connection runs each request inside
 * `requestScope.run(scope, ...)`; DelayedOperations adds the time the request spent
 * parked (Kafka's "remote time") and counts parked operations by API key (purgatory
 * sizes); the fetch reader leaves the bytes-out count of the read it answers with, and the
 * Fetch handler the release of its read buffers.
 * The store is per request, so several brokers in one process do not mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** Set by the dispatcher once the request header is decoded (-1 before). */
  apiKey: number;
  apiVersion: number;
  /** Milliseconds this request spent parked in DelayedOperations. */
  remoteMs: number;
  /**
   * Run by the connection once the response is written: bookkeeping that must count what
   * was sent, not every attempt (a parked fetch reads twice; only the last read is sent).
   */
  afterResponse: (() => void) | null;
  /**
   * Run by the connection once the response's bytes are all in the kernel (not when the
   * write failed): gives back buffers the response referred to (a Fetch's read buffers).
   */
  afterResponseWritten: (() => void) | null;
  /**
   * Set when a client quota was violated (src/server/quotas): the connection reads and
   * serves nothing more until this time (broker clock, ms) once the response is written,
   * Kafka's channel throttling (KIP-219). 0 = not throttled.
   */
  throttleUntilMs: number;
}

export function newRequestScope(): RequestScope {
  return { apiKey: -1, apiVersion: -1, remoteMs: 0, afterResponse: null, afterResponseWritten: null, throttleUntilMs: 0 };
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
