/**
 * ProducerIdManager: hands out producer ids for InitProducerId (Kafka's
 * RPCProducerIdManager, broker side). Ids come from durable blocks of the
 * ProducerIdBlockSource; when 90% of the current block is used the next one is fetched
 * in the background, so a request rarely waits for a block write.
 */
import type { ProducerIdBlock, ProducerIdBlockSource } from './producer-id-block-store.ts';

/** Fraction of a block used before the next one is prefetched (Kafka's 90%). */
const PREFETCH_AT_FRACTION = 0.9;

export class ProducerIdManager {
  readonly #source: ProducerIdBlockSource;
  #block: ProducerIdBlock | null = null;
  #nextId = 0;
  #prefetch: Promise<ProducerIdBlock> | null = null;

  constructor(source: ProducerIdBlockSource) {
    this.#source = source;
  }

  /** A producer id never handed out before. */
  async generateProducerId(): Promise<number> {
    while (this.#block === null || this.#nextId >= this.#block.firstProducerId + this.#block.size) {
      const pending = this.#prefetch ?? this.#fetchNext();
      const block = await pending;
      if (this.#prefetch === pending) this.#prefetch = null;
      // Another caller may have installed this block (and used some of it) already.
      if (this.#block !== block) this.#install(block);
    }
    const id = this.#nextId++;
    this.#maybePrefetch();
    return id;
  }

  #install(block: ProducerIdBlock): void {
    this.#block = block;
    this.#nextId = block.firstProducerId;
  }

  #fetchNext(): Promise<ProducerIdBlock> {
    const fetch = this.#source.allocateBlock();
    this.#prefetch = fetch;
    fetch.catch(() => {
      if (this.#prefetch === fetch) this.#prefetch = null;
    });
    return fetch;
  }

  #maybePrefetch(): void {
    const block = this.#block!;
    const used = this.#nextId - block.firstProducerId;
    if (this.#prefetch === null && used >= block.size * PREFETCH_AT_FRACTION) void this.#fetchNext().catch(() => {});
  }
}
