/**
 * CreateTopics (key 19), versions 0-7, with Kafka's controller semantics
 * (ControllerApis.createTopics + ReplicationControlManager):
 * - a name given more than once -> one INVALID_REQUEST result for it, the others proceed;
 * - numPartitions / replicationFactor -1 (v4+) take num.partitions /
 *   default.replication.factor; explicit assignments exclude both;
 * - configs are validated (INVALID_CONFIG naming the key); duplicates keys -> INVALID_REQUEST;
 * - __cluster_metadata (Kafka's metadata log topic; ours lives in that directory name) is
 *   refused with INVALID_REQUEST, as Kafka's ControllerApis does;
 * - validateOnly runs every check and creates nothing (the answer still carries a fresh
 *   topic id, as Kafka's does);
 * - v1+ carries an error message; v5+ reports partitions, replication factor and every
 *   effective config with its source; v7 the topic id.
 * The store decides each topic independently and durably; the answer comes once the
 * change is applied locally, so the topic is usable right after (timeoutMs is not needed:
 * nothing here waits on other brokers).
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import type { TopicInfo } from '../../cluster/metadata-image.ts';
import { assignmentsByPartition } from '../../cluster/replica-assignment.ts';
import { describeTopicConfig } from '../../config/topic-config.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  CreateTopicsRequest,
  CreateTopicsRequestCreatableTopic as CreatableTopic,
  CreateTopicsResponse,
  CreateTopicsResponseCreatableTopicResult as TopicResult,
} from '../../protocol/generated/create-topics.ts';
import { ZERO_UUID } from '../../protocol/generated/runtime.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';

/** Kafka's metadata topic: never a user topic (its directory holds our metadata log). */
export const CLUSTER_METADATA_TOPIC = '__cluster_metadata';

const MIN_VERSION = 0;
const MAX_VERSION = 7;

type Services = Pick<BrokerServices, 'metadata' | 'config' | 'logger' | 'metadataApplied'>;

export function createCreateTopicsHandler(services: Services): ApiHandler<CreateTopicsRequest, CreateTopicsResponse> {
  return {
    apiKey: ApiKey.CreateTopics,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const dupes = duplicates(request.topics.map((t) => t.name));
      const unique = request.topics.filter((t) => !dupes.has(t.name));
      const results = await Promise.all(unique.map((t) => createOne(services, t, request.validateOnly)));
      if (!request.validateOnly) await services.metadataApplied();
      const duplicateResults = [...dupes].map((name) => failure(name, ErrorCode.INVALID_REQUEST, 'Duplicate topic name.'));
      return { throttleTimeMs: 0, topics: [...results, ...duplicateResults] };
    },
  };
}

async function createOne(services: Services, topic: CreatableTopic, validateOnly: boolean): Promise<TopicResult> {
  if (topic.name === CLUSTER_METADATA_TOPIC) {
    return failure(topic.name, ErrorCode.INVALID_REQUEST, `Creation of internal topic ${CLUSTER_METADATA_TOPIC} is prohibited.`);
  }
  try {
    const configs = configOverrides(topic);
    const assignments = topic.assignments.length === 0 ? undefined : assignmentsByPartition(topic.assignments);
    const created = await services.metadata.createTopic({
      name: topic.name,
      numPartitions: topic.numPartitions,
      replicationFactor: topic.replicationFactor,
      assignments,
      configs,
      validateOnly,
    });
    if (!validateOnly) services.logger.info({ topic: topic.name, topicId: created.topicId }, 'created topic');
    return success(services, created);
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return failure(topic.name, err.code, err.message);
  }
}

/** Config entries as an override map; a key given twice or a null value is refused as Kafka does. */
function configOverrides(topic: CreatableTopic): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const { name, value } of topic.configs) {
    if (Object.hasOwn(configs, name)) throw new KafkaApiError(ErrorCode.INVALID_REQUEST, `Duplicate config key ${name}.`);
    if (value === null) throw new KafkaApiError(ErrorCode.INVALID_CONFIG, `Null value not supported for topic configs: ${name}`);
    configs[name] = value;
  }
  return configs;
}

/** Names given more than once in one request (Kafka answers those INVALID_REQUEST). */
export function duplicates(names: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const name of names) (seen.has(name) ? twice : seen).add(name);
  return twice;
}

function success(services: Services, topic: TopicInfo): TopicResult {
  const configs = describeTopicConfig(services.config, topic.configs, 'resolution').map((entry) => ({
    name: entry.name,
    value: entry.isSensitive ? null : entry.value,
    readOnly: entry.readOnly,
    configSource: entry.source,
    isSensitive: entry.isSensitive,
  }));
  return {
    name: topic.name,
    topicId: topic.topicId,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: topic.partitions.length,
    replicationFactor: topic.partitions[0]?.replicas.length ?? -1,
    configs: configs.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

function failure(name: string, errorCode: number, errorMessage: string): TopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    errorCode,
    errorMessage,
    topicConfigErrorCode: ErrorCode.NONE,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  };
}
