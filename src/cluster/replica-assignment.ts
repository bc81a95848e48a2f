/**
 * Replica assignment: checks of manual assignments (Kafka's INVALID_REPLICA_ASSIGNMENT
 * rules) and the automatic round-robin placement used when none is given. The leader of a
 * new partition is its first replica.
 */
import { ErrorCode } from '../protocol/errors.ts';
import { KafkaApiError } from './kafka-api-error.ts';
import type { PartitionState } from './metadata-image.ts';

/**
 * Checks manual assignments: each non-empty, no duplicate broker, every broker registered,
 * and all with `replicationFactor` replicas (the first one's count when not given).
 */
export function checkManualAssignments(
  assignments: readonly (readonly number[])[],
  brokerIds: readonly number[],
  replicationFactor?: number,
): void {
  const registered = new Set(brokerIds);
  let expected = replicationFactor;
  assignments.forEach((replicas, index) => {
    const fail = (why: string) => {
      throw new KafkaApiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `Partition ${index}: ${why}`);
    };
    if (replicas.length === 0) fail('the replica list is empty.');
    if (new Set(replicas).size !== replicas.length) fail(`duplicate broker id in [${replicas.join(', ')}].`);
    const unknown = replicas.find((id) => !registered.has(id));
    if (unknown !== undefined) fail(`broker ${unknown} is not registered.`);
    expected ??= replicas.length;
    if (replicas.length !== expected) {
      fail(`has ${replicas.length} replica(s), inconsistent with the replication factor ${expected}.`);
    }
  });
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
 * Turns CreateTopics/CreatePartitions assignment entries ({partitionIndex, brokerIds})
 * into a list indexed by partition; indexes must be 0..n-1 (each once), in any order.
 */
export function assignmentsByPartition(
  entries: readonly { readonly partitionIndex: number; readonly brokerIds: readonly number[] }[],
): number[][] {
  const result: number[][] = [];
  for (const entry of entries) {
    const i = entry.partitionIndex;
    if (!Number.isInteger(i) || i < 0 || i >= entries.length || result[i] !== undefined) {
      throw new KafkaApiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Partitions should be numbered consecutively from 0 to ${entries.length - 1}; got partition index ${i}.`,
      );
    }
    result[i] = [...entry.brokerIds];
  }
  return result;
}
