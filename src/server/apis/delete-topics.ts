/**
 * DeleteTopics (key 20), versions 0-6, with Kafka's controller semantics
 * (ControllerApis.deleteTopics):
 * - v0-5 name topics in TopicNames; v6 in Topics, each by name or by id (not both,
 *   not neither -> INVALID_REQUEST);
 * - a name or id given twice -> one INVALID_REQUEST result for it;
 * - unknown name -> UNKNOWN_TOPIC_OR_PARTITION, unknown id -> UNKNOWN_TOPIC_ID;
 * - delete.topic.enable=false fails every topic: INVALID_REQUEST before v3 (those clients
 *   do not know TOPIC_DELETION_DISABLED), TOPIC_DELETION_DISABLED from v3.
 * The answer comes once the deletion is applied locally (logs gone).
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DeleteTopicsRequest,
  DeleteTopicsResponse,
  DeleteTopicsResponseDeletableTopicResult as TopicResult,
} from '../../protocol/generated/delete-topics.ts';
import { ZERO_UUID } from '../../protocol/generated/runtime.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { duplicates } from './create-topics.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 6;
/** First version that names topics in Topics (with ids) instead of TopicNames. */
const TOPIC_STATES_MIN_VERSION = 6;
/** First version whose clients know TOPIC_DELETION_DISABLED. */
const DELETION_DISABLED_MIN_VERSION = 3;

type Services = Pick<BrokerServices, 'metadata' | 'config' | 'logger' | 'metadataApplied'>;

interface Target {
  readonly name: string | null;
  readonly topicId: string;
}

export function createDeleteTopicsHandler(services: Services): ApiHandler<DeleteTopicsRequest, DeleteTopicsResponse> {
  return {
    apiKey: ApiKey.DeleteTopics,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handleDeleteTopics(services, request, ctx),
  };
}

async function handleDeleteTopics(services: Services, request: DeleteTopicsRequest, ctx: RequestContext): Promise<DeleteTopicsResponse> {
  const targets: Target[] = ctx.apiVersion >= TOPIC_STATES_MIN_VERSION
    ? request.topics
    : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }));
  if (!services.config.deleteTopicEnable) {
    const code = ctx.apiVersion >= DELETION_DISABLED_MIN_VERSION ? ErrorCode.TOPIC_DELETION_DISABLED : ErrorCode.INVALID_REQUEST;
    const message = 'Topic deletion is disabled.';
    return { throttleTimeMs: 0, responses: targets.map((t) => result(t.name, t.topicId, code, message)) };
  }
  const dupeNames = duplicates(targets.flatMap((t) => (t.name !== null && t.topicId === ZERO_UUID ? [t.name] : [])));
  const dupeIds = duplicates(targets.flatMap((t) => (t.name === null && t.topicId !== ZERO_UUID ? [t.topicId] : [])));
  const rejected: TopicResult[] = [
    ...[...dupeNames].map((name) => result(name, ZERO_UUID, ErrorCode.INVALID_REQUEST, 'Duplicate topic name.')),
    ...[...dupeIds].map((id) => result(null, id, ErrorCode.INVALID_REQUEST, 'Duplicate topic id.')),
  ];
  const unique = targets.filter((t) => !dupeNames.has(t.name ?? '') && !dupeIds.has(t.topicId));
  const deleted: TopicResult[] = [];
  // One at a time: the store serializes anyway, and results keep the request's order.
  for (const target of unique) deleted.push(await deleteOne(services, target));
  await services.metadataApplied();
  return { throttleTimeMs: 0, responses: [...deleted, ...rejected] };
}

async function deleteOne(services: Services, target: Target): Promise<TopicResult> {
  const { name, topicId } = target;
  if (name !== null && topicId !== ZERO_UUID) {
    return result(name, topicId, ErrorCode.INVALID_REQUEST, 'You may not specify both topic name and topic id.');
  }
  if (name === null && topicId === ZERO_UUID) {
    return result(null, topicId, ErrorCode.INVALID_REQUEST, 'Neither topic name nor id were specified.');
  }
  try {
    const topic = name !== null ? await services.metadata.deleteTopic(name) : await services.metadata.deleteTopicById(topicId);
    services.logger.info({ topic: topic.name, topicId: topic.topicId }, 'deleted topic');
    return result(topic.name, topic.topicId, ErrorCode.NONE, null);
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    return result(name, topicId, err.code, err.message);
  }
}

function result(name: string | null, topicId: string, errorCode: number, errorMessage: string | null): TopicResult {
  return { name, topicId, errorCode, errorMessage };
}
