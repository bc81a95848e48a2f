/**
 * Replica assignment: checks of manual assignments (Kafka's INVALID_REPLICA_ASSIGNMENT
 * rules) and the automatic round-robin placement used when none is given. The leader of a
 * new partition is its first replica.
 */
import { ErrorCode } from '../protocol/errors.ts';
import { KafkaApiError } from './kafka-api-error.ts';
import type { PartitionState } from './metadata-image.ts';

/**
 * Checks manual assignments as Kafka's controller does (same messages): each non-empty,
 * every broker registered and listed once (checked in ascending id order), and all with
 * the same number of replicas (`replicationFactor` when given, else the first one's).
 */
export function checkManualAssignments(
  assignments: readonly (readonly number[])[],
  brokerIds: readonly number[],
  replicationFactor?: number,
): void {
  let expected = replicationFactor;
  for (const replicas of assignments) {
    const problem = manualAssignmentProblem(replicas, new Set(brokerIds), expected);
    if (problem !== null) throw new KafkaApiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, problem);
    expected ??= replicas.length;
  }
}

function manualAssignmentProblem(replicas: readonly number[], registered: ReadonlySet<number>, expected?: number): string | null {
  const prefix = 'The manual partition assignment includes';
  if (replicas.length === 0) return `${prefix} an empty replica list.`;
  const sorted = [...replicas].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    if (!registered.has(sorted[i])) return `${prefix} broker ${sorted[i]}, but no such broker is registered.`;
    if (i > 0 && sorted[i] === sorted[i - 1]) return `${prefix} the broker ${sorted[i]} more than once.`;
  }
  if (expected !== undefined && replicas.length !== expected) {
    return `${prefix} a partition with ${replicas.length} replica(s), but this is not consistent with previous partitions, which have ${expected} replica(s).`;
  }
  return null;
}

/**
 * Round-robin placement of partitions [firstPartition, firstPartition + count): replica j
 * of partition p goes to broker (p + j) mod n of the sorted broker list, so leaders spread
 * evenly. Callers have checked replicationFactor <= brokers.
 */
export function assignReplicas(
  brokerIds: readonly number[],
  firstPartition: number,
  count: number,
  replicationFactor: number,
): number[][] {
  const sorted = [...brokerIds].sort((a, b) => a - b);
  const result: number[][] = [];
  for (let p = firstPartition; p < firstPartition + count; p++) {
    const replicas: number[] = [];
    for (let j = 0; j < replicationFactor; j++) replicas.push(sorted[(p + j) % sorted.length]);
    result.push(replicas);
  }
  return result;
}

/** Initial state of a new partition: leader = first replica, epoch 0, ISR = replicas. */
export function newPartitionState(partition: number, replicas: readonly number[]): PartitionState {
  return {
    partition,
    leader: replicas[0],
    leaderEpoch: 0,
    partitionEpoch: 0,
    replicas: [...replicas],
    isr: [...replicas],
    offlineReplicas: [],
  };
}

/**
 * Turns CreateTopics assignment entries ({partitionIndex, brokerIds}) into a list indexed
 * by partition; each index once, together forming 0..n-1 (Kafka's messages).
 */
export function assignmentsByPartition(
  entries: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[],
): number[][] {
  const byIndex = new Map<number, number[]>();
  for (const entry of entries) {
    if (byIndex.has(entry.partitionIndex)) {
      throw new KafkaApiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Found multiple manual partition assignments for partition ${entry.partitionIndex}`,
      );
    }
    byIndex.set(entry.partitionIndex, [...entry.brokerIds]);
  }
  const result: number[][] = [];
  for (let i = 0; i < byIndex.size; i++) {
    const replicas = byIndex.get(i);
    if (replicas === undefined) {
      throw new KafkaApiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'partitions should be a consecutive 0-based integer sequence');
    }
    result.push(replicas);
  }
  return result;
}
