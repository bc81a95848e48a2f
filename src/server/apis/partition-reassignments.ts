/**
 * AlterPartitionReassignments (key 45) and ListPartitionReassignments (key 46), version 0,
 * as Kafka's controller answers them (ReplicationControlManager), on one node:
 *   - Alter, per partition: unknown topic or partition -> UNKNOWN_TOPIC_OR_PARTITION;
 *     replicas null cancels a reassignment, and none is ever in progress here ->
 *     NO_REASSIGNMENT_IN_PROGRESS; a target replica list is checked as Kafka checks a
 *     manual assignment (non-empty, registered brokers, each once) -> otherwise
 *     INVALID_REPLICA_ASSIGNMENT. The only broker registered is this one, which holds
 *     every partition's only replica, so a valid target is the current replica list and
 *     the reassignment is complete at once (Kafka's no-op case): NONE.
 *   - List: the ongoing reassignments of all partitions (topics null) or of the named
 *     ones (unknown topics are skipped, as Kafka): none, so always an empty list.
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import { checkManualAssignments } from '../../cluster/replica-assignment.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import type {
  AlterPartitionReassignmentsRequest,
  AlterPartitionReassignmentsRequestReassignablePartition as ReassignablePartition,
  AlterPartitionReassignmentsResponse,
  AlterPartitionReassignmentsResponseReassignablePartitionResponse as PartitionResponse,
} from '../../protocol/generated/alter-partition-reassignments.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse } from '../../protocol/generated/list-partition-reassignments.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';

const VERSION = 0;

type Services = Pick<BrokerServices, 'metadata'>;

export function createAlterPartitionReassignmentsHandler(
  services: Services,
): ApiHandler<AlterPartitionReassignmentsRequest, AlterPartitionReassignmentsResponse> {
  return {
    apiKey: ApiKey.AlterPartitionReassignments,
    minVersion: VERSION,
    maxVersion: VERSION,
    handle(request) {
      const image = services.metadata.image();
      const responses = request.topics.map((topic) => ({
        name: topic.name,
        partitions: topic.partitions.map((p) => alterOne(image, topic.name, p)),
      }));
      return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, responses };
    },
  };
}

export function createListPartitionReassignmentsHandler(): ApiHandler<ListPartitionReassignmentsRequest, ListPartitionReassignmentsResponse> {
  return {
    apiKey: ApiKey.ListPartitionReassignments,
    minVersion: VERSION,
    maxVersion: VERSION,
    handle: () => ({ throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, topics: [] }),
  };
}

function alterOne(image: MetadataImage, topicName: string, target: ReassignablePartition): PartitionResponse {
  const partitionIndex = target.partitionIndex;
  const topic = image.topic(topicName);
  if (topic === undefined) {
    return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unable to find a topic named ${topicName}.` };
  }
  if (topic.partitions[partitionIndex] === undefined) {
    return { partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: `Unable to find partition ${topicName}:${partitionIndex}.` };
  }
  if (target.replicas === null) {
    return { partitionIndex, errorCode: ErrorCode.NO_REASSIGNMENT_IN_PROGRESS, errorMessage: 'No partition reassignment is in progress.' };
  }
  try {
    checkManualAssignments([target.replicas], image.brokerIds());
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return { partitionIndex, errorCode: err.code, errorMessage: err.message };
  }
  return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null };
}
