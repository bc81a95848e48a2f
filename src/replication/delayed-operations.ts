/**
 * DelayedOperations: Kafka's purgatory, reduced to what a single event loop needs. A
 * delayed fetch (minBytes not reached) or delayed produce (acks=-1 waiting for the HW)
 * parks here until its `ready` check passes after some change of the partitions it
 * watches, until its timeout, or until the broker closes. Partitions call their watchers
 * on HW moves, role changes and removal (see Partition.watch); nothing polls.
 *
 * Limits: at most `pendingMax` operations wait at once (Kafka bounds its purgatories by
 * memory; we bound by count). An operation that cannot park answers immediately, which
 * for a fetch means an early (possibly empty) response: safe, never wrong.
 */
import { performance } from 'node:perf_hooks';
import type { Partition } from './partition.ts';
import { requestScope } from './request-scope.ts';

/** Default bound on operations parked at once. */
export const DELAYED_OPERATIONS_MAX = 10_000;

/** How a wait ended. */
export type WaitOutcome = 'ready' | 'expired';

export class DelayedOperations {
  readonly pendingMax: number;
  #pending = new Set<() => void>();
  /** Parked operations by the API key of the request that parked them (purgatory sizes). */
  readonly #pendingByApiKey = new Map<number, number>();
  #closed = false;

  constructor(pendingMax = DELAYED_OPERATIONS_MAX) {
    this.pendingMax = pendingMax;
  }

  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Operations parked now for requests of `apiKey` (Kafka's per-purgatory size). */
  pendingCountFor(apiKey: number): number {
    return this.#pendingByApiKey.get(apiKey) ?? 0;
  }

  /**
   * Resolves 'ready' as soon as `ready()` holds (checked now and after every change of a
   * watched partition), 'expired' after `timeoutMs` or when the operation cannot park.
   */
  wait(partitions: readonly Partition[], timeoutMs: number, ready: () => boolean): Promise<WaitOutcome> {
    if (ready()) return Promise.resolve('ready');
    if (this.#closed || timeoutMs <= 0 || this.#pending.size >= this.pendingMax) return Promise.resolve('expired');
    const scope = requestScope.getStore();
    const parkedAtMs = performance.now();
    return new Promise((resolve) => {
      const unwatch: (() => void)[] = [];
      let done = false;
      const finish = (outcome: WaitOutcome): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        for (const stop of unwatch) stop();
        this.#pending.delete(expire);
        if (scope !== undefined) {
          scope.remoteMs += performance.now() - parkedAtMs;
          this.#countParked(scope.apiKey, -1);
        }
        resolve(outcome);
      };
      const expire = (): void => finish('expired');
      const timer = setTimeout(expire, timeoutMs);
      this.#pending.add(expire);
      if (scope !== undefined) this.#countParked(scope.apiKey, 1);
      for (const partition of partitions) {
        const stop = partition.watch(() => {
          if (ready()) finish('ready');
        });
        if (stop === null) return finish('expired');
        unwatch.push(stop);
      }
    });
  }

  #countParked(apiKey: number, delta: number): void {
    this.#pendingByApiKey.set(apiKey, (this.#pendingByApiKey.get(apiKey) ?? 0) + delta);
  }

  /** Completes every parked operation (as expired) and refuses new ones. */
  close(): void {
    this.#closed = true;
    for (const expire of [...this.#pending]) expire();
  }
}
