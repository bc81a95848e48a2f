/**
 * Produce requests read from sockets and not yet dispatched, over all connections of the
 * process, so that a consumer's Fetch can let them go first (scenario 5 of docs/PERFORMANCE.md:
 * a catch-up read and a producer share one core). Connections count a Produce frame when it
 * is queued and uncount it when it is dispatched or dropped. A consumer's Fetch, before each
 * partition read once it has read YIELD_EVERY_BYTES since it last did so (`readPacer`),
 * waits while Produce requests are waiting: until none is, at most YIELD_WAIT_MS_MAX. The
 * event loop serves the producers meanwhile (the wait is a timer, so the loop sleeps when
 * it has nothing to do and the append threads get the core). A bulk reader is slowed down,
 * never starved (at most 1 ms per 256 KiB), and small reads near the log end
 * (latency-sensitive consumers) never wait.
 */
import { ApiKey } from '../protocol/generated/api-table.ts';

/** Longest wait of a Fetch before one partition read. */
export const YIELD_WAIT_MS_MAX = 1;
/** Bytes a Fetch reads between two such waits. */
export const YIELD_EVERY_BYTES = 256 << 10;

export class ProduceBacklog {
  #waiting = 0;
  /** Fetches waiting for the count to reach zero; bounded by the Fetches in flight. */
  #wakers: (() => void)[] = [];

  get waiting(): number {
    return this.#waiting;
  }

  /** A request frame (header first) was queued (+1) or left the queue (-1). */
  count(frame: Buffer, delta: 1 | -1): void {
    if (frame.length < 2 || frame.readInt16BE(0) !== ApiKey.Produce) return;
    this.#waiting += delta;
    if (this.#waiting === 0 && this.#wakers.length > 0) for (const wake of this.#wakers.splice(0)) wake();
  }

  /**
   * A Fetch's hook before each partition read, given the record bytes it has read so far:
   * yieldToProduce() once per YIELD_EVERY_BYTES; null (nothing to await) otherwise, so the
   * many small reads of live consumers cost no promise.
   */
  readPacer(): (bytesRead: number) => Promise<void> | null {
    let next = YIELD_EVERY_BYTES;
    return (bytesRead) => {
      if (bytesRead < next) return null;
      next = bytesRead + YIELD_EVERY_BYTES;
      return this.yieldToProduce();
    };
  }

  /** Resolves once no Produce request is waiting, or after `waitMsMax`; null when none waits. */
  yieldToProduce(waitMsMax = YIELD_WAIT_MS_MAX): Promise<void> | null {
    if (this.#waiting === 0) return null;
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#wakers = this.#wakers.filter((w) => w !== wake);
        resolve();
      }, waitMsMax);
      this.#wakers.push(wake);
    });
  }
}

/** The process's backlog, shared by its listeners' connections and the Fetch handler. */
export const processProduceBacklog = new ProduceBacklog();
