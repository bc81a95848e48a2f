/**
 * Runs async tasks one at a time in submission order (a partition's append lock). The
 * number of waiting tasks is bounded by `pendingMax`; beyond it `run` rejects with
 * QueueFullError instead of growing without limit.
 */
export class QueueFullError extends Error {
  override name = 'QueueFullError';
}

export class SerialQueue {
  readonly pendingMax: number;
  #tail: Promise<unknown> = Promise.resolve();
  #pending = 0;

  constructor(pendingMax: number) {
    this.pendingMax = pendingMax;
  }

  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#pending >= this.pendingMax) return Promise.reject(new QueueFullError(`more than ${this.pendingMax} tasks queued`));
    this.#pending++;
    const result = this.#tail.then(task).finally(() => this.#pending--);
    this.#tail = result.catch(() => {});
    return result;
  }
}
