/**
 * Committed offsets of the groups of one __consumer_offsets partition (the committed
 * half of Kafka's OffsetMetadataManager): group -> topic -> partition -> offset. Only
 * committed writes land here (replayed records, or commits whose append is durable).
 * Transactional (pending) offsets do not exist yet.
 */
import type { OffsetAndMetadata } from './records.ts';

export class OffsetStore {
  readonly #byGroup = new Map<string, Map<string, Map<number, OffsetAndMetadata>>>();

  get(group: string, topic: string, partition: number): OffsetAndMetadata | undefined {
    return this.#byGroup.get(group)?.get(topic)?.get(partition);
  }

  put(group: string, topic: string, partition: number, value: OffsetAndMetadata): void {
    let topics = this.#byGroup.get(group);
    if (topics === undefined) this.#byGroup.set(group, (topics = new Map()));
    let partitions = topics.get(topic);
    if (partitions === undefined) topics.set(topic, (partitions = new Map()));
    partitions.set(partition, value);
  }

  remove(group: string, topic: string, partition: number): void {
    const topics = this.#byGroup.get(group);
    const partitions = topics?.get(topic);
    if (topics === undefined || partitions === undefined) return;
    partitions.delete(partition);
    if (partitions.size === 0) topics.delete(topic);
    if (topics.size === 0) this.#byGroup.delete(group);
  }

  /** Every offset of the group: [topic, partition, value]. */
  entries(group: string): [string, number, OffsetAndMetadata][] {
    const out: [string, number, OffsetAndMetadata][] = [];
    for (const [topic, partitions] of this.#byGroup.get(group) ?? []) {
      for (const [partition, value] of partitions) out.push([topic, partition, value]);
    }
    return out;
  }

  hasOffsets(group: string): boolean {
    return this.#byGroup.has(group);
  }

  groups(): string[] {
    return [...this.#byGroup.keys()];
  }
}
