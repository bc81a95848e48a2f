/**
 * Kafka's default partitioning for the producer. A record with a key goes to
 * toPositive(murmur2(key)) % numPartitions (over all partitions, available or not, so a
 * key's partition only changes when the partition count does). Records without a key
 * stick to one randomly chosen partition until a batch for it is closed, then move to
 * another (the sticky partitioner, KIP-480/KIP-794), which fills batches instead of
 * spreading single records.
 */
import { partitionForKey } from './murmur2.ts';

export class DefaultPartitioner {
  readonly #numPartitions: number;
  readonly #random: () => number;
  #sticky: number;

  /** `random` returns [0, 1) like Math.random; tests pass a seeded one. */
  constructor(numPartitions: number, random: () => number = Math.random) {
    if (numPartitions < 1) throw new RangeError(`a topic has at least one partition, got ${numPartitions}`);
    this.#numPartitions = numPartitions;
    this.#random = random;
    this.#sticky = this.#pick(numPartitions);
  }

  partition(key: Buffer | null): number {
    return key === null ? this.#sticky : partitionForKey(key, this.#numPartitions);
  }

  /** A batch for `partition` was closed: keyless records move to a different partition. */
  onBatchClosed(partition: number): void {
    if (partition !== this.#sticky || this.#numPartitions === 1) return;
    const other = this.#pick(this.#numPartitions - 1);
    this.#sticky = other >= partition ? other + 1 : other;
  }

  #pick(count: number): number {
    return Math.floor(this.#random() * count);
  }
}
