/**
 * Pure planning of topic changes against a MetadataImage and the broker config, with
 * Kafka's validation order and error codes. Backends call these, then persist and apply
 * the result; nothing here does I/O, so the etcd backend reuses it unchanged.
 */
import type { BrokerConfig } from '../config/broker-config.ts';
import { validateTopicConfigs } from '../config/topic-config.ts';
import { ErrorCode } from '../protocol/errors.ts';
import { KafkaApiError } from './kafka-api-error.ts';
import type { MetadataImage, PartitionState, TopicInfo } from './metadata-image.ts';
import type { CreateTopicSpec } from './metadata-store.ts';
import { assignReplicas, checkManualAssignments, newPartitionState } from './replica-assignment.ts';
import { collisionKey, isInternalTopic, topicNameProblem } from './topic-names.ts';
import { randomUuid } from './uuid.ts';

/** Most partitions one request may create (Kafka's controller uses the same bound). */
export const MAX_PARTITIONS_PER_REQUEST = 10_000;

/**
 * Validates a CreateTopics entry in Kafka's order (name, existence, configs, then
 * assignment / replication factor / partition count) and returns the topic to create.
 * As in Kafka, a validateOnly request also gets a fresh topic id in its answer.
 */
export function planCreateTopic(image: MetadataImage, broker: BrokerConfig, spec: CreateTopicSpec): TopicInfo {
  checkNewTopicName(image, spec.name);
  checkConfigs(spec.configs, broker);
  const assignments = spec.assignments !== undefined ? checkedManualAssignments(spec, image) : autoAssignments(spec, broker, image);
  return {
    name: spec.name,
    topicId: randomUuid(),
    isInternal: isInternalTopic(spec.name),
    partitions: assignments.map((replicas, p) => newPartitionState(p, replicas)),
    configs: { ...spec.configs },
  };
}

/** Validates a CreatePartitions entry and returns the new partitions only. */
export function planCreatePartitions(
  image: MetadataImage,
  topic: TopicInfo,
  totalCount: number,
  assignments: readonly (readonly number[])[] | undefined,
): PartitionState[] {
  const current = topic.partitions.length;
  if (totalCount < current) {
    throw new KafkaApiError(ErrorCode.INVALID_PARTITIONS, `Topic currently has ${current} partitions, which is higher than the requested ${totalCount}.`);
  }
  if (totalCount === current) throw new KafkaApiError(ErrorCode.INVALID_PARTITIONS, `Topic already has ${current} partition(s).`);
  const added = totalCount - current;
  checkPartitionBound(added);
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 1;
  const brokerIds = image.brokerIds();
  if (assignments !== undefined) {
    if (assignments.length !== added) {
      throw new KafkaApiError(
        ErrorCode.INVALID_REPLICA_ASSIGNMENT,
        `Attempted to add ${added} additional partition(s), but only ${assignments.length} assignment(s) were specified.`,
      );
    }
    checkManualAssignments(assignments, brokerIds, replicationFactor);
  } else {
    checkReplicationFactor(replicationFactor, brokerIds.length);
  }
  const replicaLists = assignments ?? assignReplicas(brokerIds, current, added, replicationFactor);
  return replicaLists.map((replicas, i) => newPartitionState(current + i, replicas));
}

/** Validates a full replacement of a topic's config overrides. */
export function checkConfigs(configs: Readonly<Record<string, string>>, broker: BrokerConfig): void {
  const problem = validateTopicConfigs(configs, broker);
  if (problem !== null) throw new KafkaApiError(ErrorCode.INVALID_CONFIG, problem.message);
}

function checkNewTopicName(image: MetadataImage, name: string): void {
  const problem = topicNameProblem(name);
  if (problem !== null) throw new KafkaApiError(ErrorCode.INVALID_TOPIC_EXCEPTION, problem);
  if (image.topic(name) !== undefined) throw new KafkaApiError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
  const key = collisionKey(name);
  for (const existing of image.topicsByName.keys()) {
    if (collisionKey(existing) === key) {
      throw new KafkaApiError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Topic '${name}' collides with existing topic: ${existing}`);
    }
  }
}

function checkedManualAssignments(spec: CreateTopicSpec, image: MetadataImage): readonly (readonly number[])[] {
  const assignments = spec.assignments ?? [];
  if (spec.replicationFactor !== -1) {
    throw new KafkaApiError(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but replication factor was not set to -1.');
  }
  if (spec.numPartitions !== -1) {
    throw new KafkaApiError(ErrorCode.INVALID_REQUEST, 'A manual partition assignment was specified, but numPartitions was not set to -1.');
  }
  if (assignments.length === 0) throw new KafkaApiError(ErrorCode.INVALID_REPLICA_ASSIGNMENT, 'No partition assignments were given.');
  checkPartitionBound(assignments.length);
  checkManualAssignments(assignments, image.brokerIds());
  return assignments;
}

function autoAssignments(spec: CreateTopicSpec, broker: BrokerConfig, image: MetadataImage): number[][] {
  if (!Number.isInteger(spec.replicationFactor) || spec.replicationFactor < -1 || spec.replicationFactor === 0) {
    throw new KafkaApiError(ErrorCode.INVALID_REPLICATION_FACTOR, 'Replication factor must be larger than 0, or -1 to use the default value.');
  }
  if (!Number.isInteger(spec.numPartitions) || spec.numPartitions < -1 || spec.numPartitions === 0) {
    throw new KafkaApiError(ErrorCode.INVALID_PARTITIONS, 'Number of partitions was set to an invalid non-positive value.');
  }
  const numPartitions = spec.numPartitions === -1 ? broker.numPartitions : spec.numPartitions;
  const replicationFactor = spec.replicationFactor === -1 ? broker.defaultReplicationFactor : spec.replicationFactor;
  checkPartitionBound(numPartitions);
  const brokerIds = image.brokerIds();
  checkReplicationFactor(replicationFactor, brokerIds.length);
  return assignReplicas(brokerIds, 0, numPartitions, replicationFactor);
}

function checkReplicationFactor(replicationFactor: number, liveBrokers: number): void {
  if (replicationFactor > liveBrokers) {
    throw new KafkaApiError(
      ErrorCode.INVALID_REPLICATION_FACTOR,
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${liveBrokers} broker(s) are registered.`,
    );
  }
}

function checkPartitionBound(count: number): void {
  if (count > MAX_PARTITIONS_PER_REQUEST) {
    throw new KafkaApiError(ErrorCode.POLICY_VIOLATION, `Excessively large number of partitions per request (${count} > ${MAX_PARTITIONS_PER_REQUEST}).`);
  }
}
