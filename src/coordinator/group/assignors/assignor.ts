/**
 * Server-side assignors of the consumer protocol (KIP-848; Kafka's
 * ConsumerGroupPartitionAssignor): given every member's subscribed topic ids and its
 * current target assignment, and each topic's partition count, compute the new target
 * assignment of every member. Pure functions; `assignorFor` picks one by name
 * (`group.consumer.assignors`).
 */
import { rangeAssignor } from './range.ts';
import { uniformAssignor } from './uniform.ts';

/** topic id -> partitions. */
export type TopicPartitions = ReadonlyMap<string, ReadonlySet<number>>;

export interface AssignmentMember {
  readonly memberId: string;
  readonly subscribedTopicIds: readonly string[];
  /** The member's current target assignment (assignors keep it where they can). */
  readonly target: TopicPartitions;
}

export interface PartitionAssignor {
  readonly name: string;
  /** `partitionCount(topicId)` is 0 for a topic that no longer exists. */
  assign(members: readonly AssignmentMember[], partitionCount: (topicId: string) => number): Map<string, Map<string, Set<number>>>;
}

const ASSIGNORS: readonly PartitionAssignor[] = [uniformAssignor, rangeAssignor];

export function assignorFor(name: string): PartitionAssignor | undefined {
  return ASSIGNORS.find((a) => a.name === name);
}

/** Adds `partition` of `topicId` to `into`. */
export function addPartition(into: Map<string, Set<number>>, topicId: string, partition: number): void {
  let set = into.get(topicId);
  if (set === undefined) into.set(topicId, (set = new Set()));
  set.add(partition);
}
