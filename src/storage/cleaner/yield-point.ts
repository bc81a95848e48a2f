/**
 * Cooperative yielding for the cleaner, which runs on the broker's event loop: after every
 * `everyBytes` of batches processed it waits for a setImmediate turn, so pending network
 * and disk callbacks (produce, fetch) run between two slices of cleaning work. One slice
 * is bounded by everyBytes plus one batch (at most max.message.bytes).
 */
export class YieldPoint {
  readonly everyBytes: number;
  #sinceYield = 0;

  constructor(everyBytes: number) {
    this.everyBytes = everyBytes;
  }

  /** Accounts for `bytes` of work; yields when a slice is complete. */
  async after(bytes: number): Promise<void> {
    this.#sinceYield += bytes;
    if (this.#sinceYield < this.everyBytes) return;
    this.#sinceYield = 0;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
