/**
 * Kafka checks the partitions of OffsetCommit and OffsetDelete against the metadata before
 * the group coordinator sees them (KafkaApis.handleOffsetCommitRequest /
 * handleOffsetDeleteRequest): partitions of unknown topics, or beyond a topic's partition
 * count, are answered UNKNOWN_TOPIC_OR_PARTITION and never stored. These helpers keep the
 * known partitions and put the answers back in request order.
 */
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import { ErrorCode } from '../../protocol/errors.ts';

interface RequestedTopic<P extends { partitionIndex: number }> {
  readonly name: string;
  readonly partitions: readonly P[];
}

interface AnsweredPartition {
  readonly partitionIndex: number;
  readonly errorCode: number;
}

export function partitionExists(image: MetadataImage, topic: string, partition: number): boolean {
  const info = image.topic(topic);
  return info !== undefined && partition >= 0 && partition < info.partitions.length;
}

/** The request's topics with only the partitions that exist (topics left empty dropped). */
export function knownPartitions<P extends { partitionIndex: number }, T extends RequestedTopic<P>>(image: MetadataImage, topics: readonly T[]): T[] {
  return topics
    .map((t) => ({ ...t, partitions: t.partitions.filter((p) => partitionExists(image, t.name, p.partitionIndex)) }))
    .filter((t) => t.partitions.length > 0);
}

/** Every requested partition's answer in request order; unanswered ones UNKNOWN_TOPIC_OR_PARTITION. */
export function answersInRequestOrder<A extends AnsweredPartition>(
  requested: readonly RequestedTopic<{ partitionIndex: number }>[],
  answered: readonly { name: string; partitions: readonly A[] }[],
  unknown: (partitionIndex: number) => A,
): { name: string; partitions: A[] }[] {
  const byKey = new Map<string, A>();
  for (const t of answered) for (const p of t.partitions) byKey.set(`${t.name}\u0000${p.partitionIndex}`, p);
  return requested.map((t) => ({
    name: t.name,
    partitions: t.partitions.map((p) => byKey.get(`${t.name}\u0000${p.partitionIndex}`) ?? unknown(p.partitionIndex)),
  }));
}

export const unknownPartition = (partitionIndex: number) => ({ partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION as number });
