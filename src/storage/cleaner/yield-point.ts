/**
 * Cooperative yielding for the cleaner, which runs on the broker's event loop: the cleaner
 * calls `maybeYield()` after each batch and every few hundred records; once `sliceMs` of
 * work has run since the last turn it waits for a setImmediate turn, so pending network and
 * disk callbacks (produce, fetch) run between two slices. The longest stretch without a
 * turn is sliceMs plus the decoding of one batch (at most max.message.bytes).
 */
import { performance } from 'node:perf_hooks';

/** Records handled between two maybeYield() calls inside one batch. */
export const RECORDS_PER_CHECK = 512;

export class YieldPoint {
  readonly sliceMs: number;
  #sliceStart = performance.now();

  constructor(sliceMs: number) {
    this.sliceMs = sliceMs;
  }

  async maybeYield(): Promise<void> {
    if (performance.now() - this.#sliceStart < this.sliceMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.#sliceStart = performance.now();
  }
}
