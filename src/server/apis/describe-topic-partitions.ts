/**
 * DescribeTopicPartitions (key 75), version 0, as Kafka's DescribeTopicPartitionsRequestHandler
 * and KRaftMetadataCache answer it (Java's Admin.describeTopics uses it since 3.8):
 *   - the named topics (an empty list = every topic), each once, in name order; with a
 *     cursor only the topics from the cursor's on, and a named list must hold the cursor
 *     topic (else INVALID_REQUEST for every named topic, as the request's error response);
 *     a negative cursor partition is INVALID_REQUEST too;
 *   - partitions from the cursor's index for the cursor topic, from 0 for the others, at
 *     most max(1, min(ResponsePartitionLimit, 2000)) in all (Kafka's
 *     max.request.partition.size.limit default). A topic cut short sets NextCursor to its
 *     next partition; running out exactly before a topic sets it to that topic's partition 0;
 *   - a named topic that does not exist: UNKNOWN_TOPIC_OR_PARTITION (INVALID_TOPIC_EXCEPTION
 *     for an illegal name), no partitions; when listing every topic, vanished ones are skipped;
 *   - per partition: the leader (-1 when it has no endpoint on this listener), epoch, all
 *     replicas and ISR (unfiltered), no eligible-leader replicas (Gregor has no ELR);
 *     topicAuthorizedOperations: all topic operations (no authorizer).
 */
import type { MetadataImage, PartitionState, TopicInfo } from '../../cluster/metadata-image.ts';
import { isInternalTopic, topicNameProblem } from '../../cluster/topic-names.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DescribeTopicPartitionsRequest,
  DescribeTopicPartitionsResponse,
  DescribeTopicPartitionsResponseDescribeTopicPartitionsResponsePartition as ResponsePartition,
  DescribeTopicPartitionsResponseDescribeTopicPartitionsResponseTopic as ResponseTopic,
} from '../../protocol/generated/describe-topic-partitions.ts';
import { ZERO_UUID } from '../../protocol/generated/runtime.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { AUTHORIZED_OPERATIONS_OMITTED, TOPIC_OPERATIONS_ALL } from './metadata.ts';

const VERSION = 0;
/** Kafka's max.request.partition.size.limit default: the most partitions one response holds. */
const MAX_PARTITIONS_PER_RESPONSE = 2000;
const NO_LEADER_ID = -1;

type Services = Pick<BrokerServices, 'metadata'>;

export function createDescribeTopicPartitionsHandler(
  services: Services,
): ApiHandler<DescribeTopicPartitionsRequest, DescribeTopicPartitionsResponse> {
  return {
    apiKey: ApiKey.DescribeTopicPartitions,
    minVersion: VERSION,
    maxVersion: VERSION,
    handle: (request, ctx) => describe(services.metadata.image(), request, ctx),
  };
}

function describe(image: MetadataImage, request: DescribeTopicPartitionsRequest, ctx: RequestContext): DescribeTopicPartitionsResponse {
  const cursor = request.cursor;
  const all = request.topics.length === 0;
  const named = new Set(request.topics.map((t) => t.name).filter((name) => cursor === null || name >= cursor.topicName));
  if ((cursor !== null && cursor.partitionIndex < 0) || (!all && cursor !== null && !named.has(cursor.topicName))) {
    return invalidRequest(request);
  }
  const names = all
    ? [...image.topicsByName.keys()].filter((name) => cursor === null || name >= cursor.topicName)
    : [...named];
  names.sort();
  const topics: ResponseTopic[] = [];
  let remaining = Math.max(1, Math.min(request.responsePartitionLimit, MAX_PARTITIONS_PER_RESPONSE));
  for (const name of names) {
    if (remaining === 0) return { throttleTimeMs: 0, topics, nextCursor: { topicName: name, partitionIndex: 0 } };
    const topic = image.topic(name);
    if (topic === undefined) {
      if (!all) topics.push(missingTopic(name));
      continue;
    }
    const first = cursor !== null && name === cursor.topicName ? cursor.partitionIndex : 0;
    const end = Math.min(topic.partitions.length, first + remaining);
    topics.push(describeTopic(image, topic, topic.partitions.slice(first, end), ctx));
    if (end < topic.partitions.length) return { throttleTimeMs: 0, topics, nextCursor: { topicName: name, partitionIndex: end } };
    remaining -= Math.max(0, end - first);
  }
  return { throttleTimeMs: 0, topics, nextCursor: null };
}

function describeTopic(image: MetadataImage, topic: TopicInfo, partitions: readonly PartitionState[], ctx: RequestContext): ResponseTopic {
  return {
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: topic.isInternal,
    partitions: partitions.map((p) => describePartition(image, p, ctx)),
    topicAuthorizedOperations: TOPIC_OPERATIONS_ALL,
  };
}

function describePartition(image: MetadataImage, p: PartitionState, ctx: RequestContext): ResponsePartition {
  const leaderReachable = image.broker(p.leader)?.endpoints.some((e) => e.listenerName === ctx.listenerName) ?? false;
  return {
    errorCode: ErrorCode.NONE,
    partitionIndex: p.partition,
    leaderId: leaderReachable ? p.leader : NO_LEADER_ID,
    leaderEpoch: p.leaderEpoch,
    replicaNodes: [...p.replicas],
    isrNodes: [...p.isr],
    eligibleLeaderReplicas: [],
    lastKnownElr: [],
    offlineReplicas: [...p.offlineReplicas],
  };
}

function missingTopic(name: string): ResponseTopic {
  const errorCode = topicNameProblem(name) === null ? ErrorCode.UNKNOWN_TOPIC_OR_PARTITION : ErrorCode.INVALID_TOPIC_EXCEPTION;
  return errorTopic(errorCode, name, isInternalTopic(name));
}

/** DescribeTopicPartitionsRequest.getErrorResponse: every named topic with the error. */
function invalidRequest(request: DescribeTopicPartitionsRequest): DescribeTopicPartitionsResponse {
  return { throttleTimeMs: 0, topics: request.topics.map((t) => errorTopic(ErrorCode.INVALID_REQUEST, t.name, false)), nextCursor: null };
}

function errorTopic(errorCode: number, name: string, isInternal: boolean): ResponseTopic {
  return {
    errorCode,
    name,
    topicId: ZERO_UUID,
    isInternal,
    partitions: [],
    topicAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
  };
}
