/**
 * Metadata (key 3), versions 0-12: brokers, cluster id, controller id and topic/partition
 * state, as Kafka's KafkaApis.handleTopicMetadataRequest + KRaftMetadataCache answer it.
 *
 * - Which topics: v0 empty list or v1+ null = every topic; otherwise the named ones, or
 *   (v12+) the ones named by topic id (unknown id -> UNKNOWN_TOPIC_ID, null name). Before
 *   v12 a null name or a non-zero id makes the whole request INVALID_REQUEST.
 * - Unknown names: created with num.partitions / default.replication.factor when
 *   auto.create.topics.enable and the request allows it (v4+; always before), answered
 *   LEADER_NOT_AVAILABLE so the client asks again once the partitions are ready; else
 *   UNKNOWN_TOPIC_OR_PARTITION. Creation here is synchronous, so a topic that cannot be
 *   created (e.g. default.replication.factor above the broker count) is answered with the
 *   reason, where Kafka's asynchronous creation leaves the client retrying until timeout. Illegal names -> INVALID_TOPIC_EXCEPTION. Internal topics
 *   are never created here (their coordinators create them with their own settings).
 * - Brokers and leaders are reported with their endpoint for the listener the request
 *   came in on; a leader without one is LISTENER_NOT_FOUND (v6+) or LEADER_NOT_AVAILABLE,
 *   and v0 drops replicas without one (REPLICA_NOT_AVAILABLE), as Kafka does.
 * - Authorized operations: there is no authorizer yet, so when asked for they are every
 *   operation the resource supports (Kafka's answer without an authorizer); otherwise
 *   Kafka's "not requested" value.
 */
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import type { BrokerInfo, MetadataImage, PartitionState, TopicInfo } from '../../cluster/metadata-image.ts';
import { isInternalTopic, topicNameProblem } from '../../cluster/topic-names.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  MetadataRequest,
  MetadataResponse,
  MetadataResponseMetadataResponseBroker as ResponseBroker,
  MetadataResponseMetadataResponsePartition as ResponsePartition,
  MetadataResponseMetadataResponseTopic as ResponseTopic,
} from '../../protocol/generated/metadata.ts';
import { ZERO_UUID } from '../../protocol/generated/runtime.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { CLUSTER_METADATA_TOPIC } from './create-topics.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 12;
/** First version where a null topic list (not an empty one) means "all topics". */
const NULL_MEANS_ALL_MIN_VERSION = 1;
/** First version where the client may forbid auto-creation. */
const ALLOW_AUTO_CREATE_MIN_VERSION = 4;
/** First version answering LISTENER_NOT_FOUND for a leader without the request's listener. */
const LISTENER_NOT_FOUND_MIN_VERSION = 6;
/** First version that may name topics by id. */
const TOPIC_ID_LOOKUP_MIN_VERSION = 12;
const NO_LEADER_ID = -1;

/** Kafka's "authorized operations not requested" value (Integer.MIN_VALUE). */
export const AUTHORIZED_OPERATIONS_OMITTED = -2147483648;

/** AclOperation codes (Kafka's AclOperation enum). */
const AclOperation = {
  READ: 3, WRITE: 4, CREATE: 5, DELETE: 6, ALTER: 7, DESCRIBE: 8, CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10, ALTER_CONFIGS: 11, IDEMPOTENT_WRITE: 12,
} as const;

function bitfield(operations: readonly number[]): number {
  return operations.reduce((bits, op) => bits | (1 << op), 0);
}

/** Every operation Kafka supports on a topic / on the cluster (AclEntry.supportedOperations). */
export const TOPIC_OPERATIONS_ALL = bitfield([
  AclOperation.READ, AclOperation.WRITE, AclOperation.CREATE, AclOperation.DELETE, AclOperation.ALTER,
  AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
]);
export const CLUSTER_OPERATIONS_ALL = bitfield([
  AclOperation.CREATE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
  AclOperation.IDEMPOTENT_WRITE, AclOperation.ALTER, AclOperation.DESCRIBE,
]);

type Services = Pick<BrokerServices, 'metadata' | 'config' | 'logger' | 'metadataApplied'>;

export function createMetadataHandler(services: Services): ApiHandler<MetadataRequest, MetadataResponse> {
  return {
    apiKey: ApiKey.Metadata,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handleMetadata(services, request, ctx),
  };
}

async function handleMetadata(services: Services, request: MetadataRequest, ctx: RequestContext): Promise<MetadataResponse> {
  const invalid = invalidTopicEntries(request, ctx.apiVersion);
  if (invalid !== null) return errorResponse(invalid);
  const topics = await resolveTopics(services, request, ctx);
  // Read the image after any auto-creation so the response reflects it.
  const image = services.metadata.image();
  const topicOps = request.includeTopicAuthorizedOperations ? TOPIC_OPERATIONS_ALL : AUTHORIZED_OPERATIONS_OMITTED;
  const answered = topics.map((t) => (t.kind === 'found' ? describeTopic(image, t.topic, ctx) : t.response));
  for (const topic of answered) if (topic.name !== null) topic.topicAuthorizedOperations = topicOps;
  const clusterOps = request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS_ALL : AUTHORIZED_OPERATIONS_OMITTED;
  return response(image, brokersFor(image, ctx.listenerName), answered, clusterOps);
}

function response(
  image: MetadataImage, brokers: ResponseBroker[], topics: ResponseTopic[], clusterAuthorizedOperations: number,
): MetadataResponse {
  return { throttleTimeMs: 0, brokers, clusterId: image.clusterId, controllerId: image.controllerId, topics, clusterAuthorizedOperations };
}

/** Kafka's MetadataRequest.getErrorResponse: only the topics, everything else default. */
function errorResponse(topics: ResponseTopic[]): MetadataResponse {
  return {
    throttleTimeMs: 0, brokers: [], clusterId: null, controllerId: -1, topics,
    clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** Before v12, topics must be named and ids zero; Kafka fails the whole request otherwise. */
function invalidTopicEntries(request: MetadataRequest, version: number): ResponseTopic[] | null {
  if (version >= TOPIC_ID_LOOKUP_MIN_VERSION || request.topics === null) return null;
  const bad = request.topics.some((t) => t.name === null || t.topicId !== ZERO_UUID);
  if (!bad) return null;
  return request.topics.map((t) => errorTopic(ErrorCode.INVALID_REQUEST, t.name ?? '', t.topicId));
}

type ResolvedTopic = { kind: 'found'; topic: TopicInfo } | { kind: 'answered'; response: ResponseTopic };

async function resolveTopics(services: Services, request: MetadataRequest, ctx: RequestContext): Promise<ResolvedTopic[]> {
  const image = services.metadata.image();
  const v = ctx.apiVersion;
  const all = request.topics === null || (v < NULL_MEANS_ALL_MIN_VERSION && request.topics.length === 0);
  if (all) return [...image.topicsByName.keys()].sort().map((name) => ({ kind: 'found', topic: image.topic(name)! }));
  const ids = unique(request.topics!.map((t) => t.topicId).filter((id) => id !== ZERO_UUID));
  if (ids.length > 0) return ids.map((id) => byId(image, id));
  const names = unique(request.topics!.map((t) => t.name ?? ''));
  const allowAutoCreate = services.config.autoCreateTopicsEnable
    && (v < ALLOW_AUTO_CREATE_MIN_VERSION || request.allowAutoTopicCreation);
  return Promise.all(names.map((name) => byName(services, image, name, allowAutoCreate)));
}

function byId(image: MetadataImage, topicId: string): ResolvedTopic {
  const topic = image.topicById(topicId);
  if (topic !== undefined) return { kind: 'found', topic };
  return { kind: 'answered', response: errorTopic(ErrorCode.UNKNOWN_TOPIC_ID, null, topicId) };
}

async function byName(services: Services, image: MetadataImage, name: string, allowAutoCreate: boolean): Promise<ResolvedTopic> {
  const topic = image.topic(name);
  if (topic !== undefined) return { kind: 'found', topic };
  if (topicNameProblem(name) !== null) return { kind: 'answered', response: errorTopic(ErrorCode.INVALID_TOPIC_EXCEPTION, name) };
  if (!allowAutoCreate || isInternalTopic(name) || name === CLUSTER_METADATA_TOPIC) {
    return { kind: 'answered', response: errorTopic(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, name) };
  }
  return { kind: 'answered', response: errorTopic(await autoCreate(services, name), name) };
}

/**
 * Creates a topic the way Kafka's AutoTopicCreationManager does and returns the error the
 * client gets for it: LEADER_NOT_AVAILABLE (created, or created concurrently by another
 * request: ask again), or why it could not be created.
 */
async function autoCreate(services: Services, name: string): Promise<number> {
  try {
    await services.metadata.createTopic({ name, numPartitions: -1, replicationFactor: -1, configs: {} });
    services.logger.info({ topic: name }, 'auto-created topic');
    await services.metadataApplied();
    return ErrorCode.LEADER_NOT_AVAILABLE;
  } catch (err) {
    if (!(err instanceof KafkaApiError)) throw err;
    if (err.code === ErrorCode.TOPIC_ALREADY_EXISTS) return ErrorCode.LEADER_NOT_AVAILABLE;
    services.logger.warn({ topic: name, err: err.message }, 'auto-creating topic failed');
    return err.code;
  }
}

function describeTopic(image: MetadataImage, topic: TopicInfo, ctx: RequestContext): ResponseTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: topic.partitions.map((p) => describePartition(image, p, ctx)),
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

/** KRaftMetadataCache.partitionMetadata: leader and replicas as seen on this listener. */
function describePartition(image: MetadataImage, p: PartitionState, ctx: RequestContext): ResponsePartition {
  const reachable = (id: number) => endpointFor(image.broker(id), ctx.listenerName) !== null;
  // Only v0 hides replicas without an endpoint (Kafka's errorUnavailableEndpoints).
  const visible = (ids: readonly number[]) => (ctx.apiVersion === 0 ? ids.filter(reachable) : [...ids]);
  const replicaNodes = visible(p.replicas);
  const isrNodes = visible(p.isr);
  const base = { partitionIndex: p.partition, leaderEpoch: p.leaderEpoch, replicaNodes, isrNodes, offlineReplicas: [...p.offlineReplicas] };
  if (!reachable(p.leader)) {
    const registered = image.broker(p.leader) !== undefined;
    const errorCode = registered && ctx.apiVersion >= LISTENER_NOT_FOUND_MIN_VERSION
      ? ErrorCode.LISTENER_NOT_FOUND
      : ErrorCode.LEADER_NOT_AVAILABLE;
    return { ...base, errorCode, leaderId: NO_LEADER_ID };
  }
  const missing = replicaNodes.length < p.replicas.length || isrNodes.length < p.isr.length;
  return { ...base, errorCode: missing ? ErrorCode.REPLICA_NOT_AVAILABLE : ErrorCode.NONE, leaderId: p.leader };
}

/** Registered brokers with an endpoint for `listenerName`, that endpoint's address each. */
export function brokersFor(image: MetadataImage, listenerName: string): ResponseBroker[] {
  const brokers: ResponseBroker[] = [];
  for (const nodeId of image.brokerIds()) {
    const broker = image.broker(nodeId)!;
    const endpoint = endpointFor(broker, listenerName);
    if (endpoint !== null) brokers.push({ nodeId, host: endpoint.host, port: endpoint.port, rack: broker.rack });
  }
  return brokers;
}

function endpointFor(broker: BrokerInfo | undefined, listenerName: string): { host: string; port: number } | null {
  return broker?.endpoints.find((e) => e.listenerName === listenerName) ?? null;
}

function errorTopic(errorCode: number, name: string | null, topicId: string = ZERO_UUID): ResponseTopic {
  return {
    errorCode,
    name,
    topicId,
    isInternal: name !== null && isInternalTopic(name),
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
