/**
 * RequestScope: per-request facts that code deep in the data path adds to without the
 * handlers passing them along. The dispatcher runs each request inside
 * `requestScope.run(scope, ...)`; DelayedOperations adds the time the request spent
 * parked (Kafka's "remote time") and counts parked operations by API key (purgatory
 * sizes). The store is per request, so several brokers in one process do not mix.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  /** Set by the dispatcher once the request header is decoded (-1 before). */
  apiKey: number;
  apiVersion: number;
  /** Milliseconds this request spent parked in DelayedOperations. */
  remoteMs: number;
}

export function newRequestScope(): RequestScope {
  return { apiKey: -1, apiVersion: -1, remoteMs: 0 };
}

export const requestScope = new AsyncLocalStorage<RequestScope>();
