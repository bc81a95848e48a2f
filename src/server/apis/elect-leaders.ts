/**
 * ElectLeaders (key 43), versions 0-2, as Kafka's controller answers it
 * (ReplicationControlManager.electLeaders), per partition:
 *   - unknown topic or partition -> UNKNOWN_TOPIC_OR_PARTITION;
 *   - PREFERRED (0): the leader already is the first replica -> ELECTION_NOT_NEEDED;
 *     UNCLEAN (1): the partition has a leader -> ELECTION_NOT_NEEDED;
 *   - otherwise the election cannot run here (Gregor is one node: there is no other
 *     replica to elect) -> PREFERRED_LEADER_NOT_AVAILABLE / ELIGIBLE_LEADERS_NOT_AVAILABLE.
 * topicPartitions null means every partition of every topic, and then, as Kafka, the
 * partitions that need no election are left out (each topic is still listed). An unknown
 * election type fails the whole request with INVALID_REQUEST (top-level error, v1+, and
 * every named partition), as Kafka's ElectLeadersRequest.getErrorResponse.
 */
import { ErrorCode, errorMessage, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  ElectLeadersRequest,
  ElectLeadersResponse,
  ElectLeadersResponsePartitionResult as PartitionResult,
  ElectLeadersResponseReplicaElectionResult as TopicResult,
} from '../../protocol/generated/elect-leaders.ts';
import type { MetadataImage, TopicInfo } from '../../cluster/metadata-image.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 2;
/** ElectionType values of the request. */
const PREFERRED = 0;
const UNCLEAN = 1;

type Services = Pick<BrokerServices, 'metadata'>;

export function createElectLeadersHandler(services: Services): ApiHandler<ElectLeadersRequest, ElectLeadersResponse> {
  return {
    apiKey: ApiKey.ElectLeaders,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => electLeaders(services.metadata.image(), request),
  };
}

function electLeaders(image: MetadataImage, request: ElectLeadersRequest): ElectLeadersResponse {
  if (request.electionType !== PREFERRED && request.electionType !== UNCLEAN) {
    const message = `Unknown election type ${request.electionType}`;
    const replicaElectionResults = (request.topicPartitions ?? []).map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((p) => ({ partitionId: p, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: message })),
    }));
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, replicaElectionResults };
  }
  const replicaElectionResults: TopicResult[] = request.topicPartitions === null
    ? [...image.topicsByName.values()].map((topic) => ({
      topic: topic.name,
      partitionResult: topic.partitions
        .map((p) => result(p.partition, electOne(topic, p.partition, request.electionType)))
        .filter((r) => r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED),
    }))
    : request.topicPartitions.map((t) => ({
      topic: t.topic,
      partitionResult: t.partitions.map((p) => result(p, electOne(image.topic(t.topic), p, request.electionType))),
    }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults };
}

function electOne(topic: TopicInfo | undefined, partitionId: number, electionType: number): ErrorCodeValue {
  const partition = topic?.partitions[partitionId];
  if (partition === undefined) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
  if (electionType === PREFERRED) {
    return partition.leader === partition.replicas[0] ? ErrorCode.ELECTION_NOT_NEEDED : ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE;
  }
  return partition.leader >= 0 ? ErrorCode.ELECTION_NOT_NEEDED : ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE;
}

function result(partitionId: number, errorCode: ErrorCodeValue): PartitionResult {
  return { partitionId, errorCode, errorMessage: errorMessage(errorCode) };
}
