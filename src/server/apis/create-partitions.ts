/**
 * CreatePartitions (key 37), versions 0-3, with Kafka's controller semantics: a topic only
 * grows (a count not above the current one -> INVALID_PARTITIONS); assignments, when
 * given, list the replicas of each new partition (wrong number or bad broker ids ->
 * INVALID_REPLICA_ASSIGNMENT); a topic named twice -> INVALID_REQUEST; unknown topic ->
 * UNKNOWN_TOPIC_OR_PARTITION; validateOnly checks without changing anything. The answer
 * comes once the new partitions exist locally.
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  CreatePartitionsRequest,
  CreatePartitionsRequestCreatePartitionsTopic as PartitionsTopic,
  CreatePartitionsResponse,
  CreatePartitionsResponseCreatePartitionsTopicResult as TopicResult,
} from '../../protocol/generated/create-partitions.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { duplicates } from './create-topics.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 3;

type Services = Pick<BrokerServices, 'metadata' | 'logger' | 'metadataApplied'>;

export function createCreatePartitionsHandler(services: Services): ApiHandler<CreatePartitionsRequest, CreatePartitionsResponse> {
  return {
    apiKey: ApiKey.CreatePartitions,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const dupes = duplicates(request.topics.map((t) => t.name));
      const unique = request.topics.filter((t) => !dupes.has(t.name));
      const results = await Promise.all(unique.map((t) => growOne(services, t, request.validateOnly)));
      if (!request.validateOnly) await services.metadataApplied();
      const rejected = [...dupes].map((name) => result(name, ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'));
      return { throttleTimeMs: 0, results: [...results, ...rejected] };
    },
  };
}

async function growOne(services: Services, topic: PartitionsTopic, validateOnly: boolean): Promise<TopicResult> {
  try {
    const assignments = topic.assignments?.map((a) => a.brokerIds);
    await services.metadata.createPartitions(topic.name, topic.count, assignments, validateOnly);
    if (!validateOnly) services.logger.info({ topic: topic.name, count: topic.count }, 'created partitions');
    return result(topic.name, ErrorCode.NONE, null);
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return result(topic.name, err.code, err.message);
  }
}

function result(name: string, errorCode: number, errorMessage: string | null): TopicResult {
  return { name, errorCode, errorMessage };
}
