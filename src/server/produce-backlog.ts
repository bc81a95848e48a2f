/**
 * Produce requests read from sockets and not yet dispatched, over all connections of the
 * process, so that a consumer's Fetch can let them go first (scenario 5 of docs/PERFORMANCE.md:
 * a catch-up read and a producer share one core). Connections count a Produce frame when it
 * is queued and uncount it when it is dispatched or dropped. A consumer's Fetch, before each
 * partition read once it has read YIELD_EVERY_BYTES since it last did so (`readPacer`),
 * waits whole event-loop turns while Produce requests are waiting, at most YIELD_TURNS_MAX
 * turns: a bulk reader is slowed down, never starved, and small reads near the log end
 * (latency-sensitive consumers) never wait.
 */
import { ApiKey } from '../protocol/generated/api-table.ts';

/** Event-loop turns a Fetch waits at most before one partition read. */
export const YIELD_TURNS_MAX = 4;
/** Bytes a Fetch reads between two such waits. */
export const YIELD_EVERY_BYTES = 256 << 10;

export class ProduceBacklog {
  #waiting = 0;

  get waiting(): number {
    return this.#waiting;
  }

  /** A request frame (header first) was queued (+1) or left the queue (-1). */
  count(frame: Buffer, delta: 1 | -1): void {
    if (frame.length >= 2 && frame.readInt16BE(0) === ApiKey.Produce) this.#waiting += delta;
  }

  /**
   * A Fetch's hook before each partition read, given the record bytes it has read so far:
   * yieldToProduce() once per YIELD_EVERY_BYTES.
   */
  readPacer(): (bytesRead: number) => Promise<void> {
    let next = YIELD_EVERY_BYTES;
    return async (bytesRead) => {
      if (bytesRead < next) return;
      next = bytesRead + YIELD_EVERY_BYTES;
      await this.yieldToProduce();
    };
  }

  /** Waits up to `turnsMax` event-loop turns while Produce requests are waiting. */
  async yieldToProduce(turnsMax = YIELD_TURNS_MAX): Promise<void> {
    for (let turn = 0; turn < turnsMax && this.#waiting > 0; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** The process's backlog, shared by its listeners' connections and the Fetch handler. */
export const processProduceBacklog = new ProduceBacklog();
