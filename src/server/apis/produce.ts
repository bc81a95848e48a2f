/**
 * Produce (key 0), versions 0-11 (Kafka 4 keeps advertising v0, KAFKA-18659; v0-2 carry
 * magic 0/1 message sets, up-converted on append). Kafka's handleProduceRequest +
 * ReplicaManager.appendRecords:
 *
 *  - acks not in {0, 1, -1}: every partition INVALID_REQUIRED_ACKS;
 *  - topic not in the metadata: UNKNOWN_TOPIC_OR_PARTITION (Produce never auto-creates);
 *  - internal topics (__consumer_offsets, __transaction_state): INVALID_TOPIC_EXCEPTION
 *    unless the client id is Kafka's "__admin_client" (ReplicaManager's
 *    internalTopicsAllowed); coordinators append through the ReplicaManager directly;
 *  - request-level record checks (produce-request-records.ts), then the partition's
 *    validation and append (Partition.appendRecordsToLeader);
 *  - acks=-1: waits (up to timeoutMs) until the HW covers the append; on a single node
 *    it already does. Timeout: REQUEST_TIMED_OUT;
 *  - acks=0: no response; if any partition failed the connection is closed instead
 *    (Kafka's way to tell an acks=0 producer something went wrong);
 *  - v10+: NOT_LEADER_OR_FOLLOWER carries CurrentLeader and the leader's NodeEndpoint.
 *
 * Per-partition fields on errors as Kafka fills them: baseOffset/logAppendTimeMs -1;
 * logStartOffset -1 for request-level, routing and size/corruption errors, the log's
 * start for errors raised by validation or the ISR check; errorMessage and recordErrors
 * only for record-level validation errors.
 */
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  ProduceRequest,
  ProduceResponse,
  ProduceResponsePartitionProduceResponse,
  ProduceResponseTopicProduceResponse,
} from '../../protocol/generated/produce.ts';
import { endpointsFor, leaderHint, NO_LEADER_HINT } from '../../replication/leader-hint.ts';
import type { AppendOutcome, Partition } from '../../replication/partition.ts';
import { checkProduceRecords } from '../../replication/produce-request-records.ts';
import type { DataPathServices } from '../../replication/services.ts';
import { NO_RESPONSE, type ApiHandler, type HandlerResult, type RequestContext } from '../api-handler.ts';
import { produceThrottleTimeMs, type QuotaServices } from '../quotas/data-path-quotas.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 11;
/** First version with CurrentLeader / NodeEndpoints (KIP-951). */
const LEADER_HINT_MIN_VERSION = 10;
/** The client id allowed to produce to internal topics (Kafka's AdminUtils.ADMIN_CLIENT_ID). */
const ADMIN_CLIENT_ID = '__admin_client';

/** Errors for which Kafka reports logStartOffset -1 (UNKNOWN_LOG_APPEND_INFO). */
const NO_LOG_START_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.MESSAGE_TOO_LARGE,
  ErrorCode.CORRUPT_MESSAGE, ErrorCode.KAFKA_STORAGE_ERROR, ErrorCode.UNKNOWN_TOPIC_ID, ErrorCode.INVALID_TOPIC_EXCEPTION,
]);

/** Thrown for acks=0 requests with a failed partition: the dispatcher closes the connection. */
export class AcksZeroProduceFailed extends Error {
  override name = 'AcksZeroProduceFailed';
}

type PartitionResponse = ProduceResponsePartitionProduceResponse;

interface Pending {
  readonly partition: Partition;
  readonly requiredOffset: number;
  readonly response: PartitionResponse;
}

export function createProduceHandler(services: DataPathServices & QuotaServices): ApiHandler<ProduceRequest, ProduceResponse> {
  return {
    apiKey: ApiKey.Produce,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handleProduce(services, request, ctx),
  };
}

async function handleProduce(s: DataPathServices & QuotaServices, request: ProduceRequest, ctx: RequestContext): Promise<HandlerResult<ProduceResponse>> {
  const image = s.metadata.image();
  const validAcks = request.acks === 0 || request.acks === 1 || request.acks === -1;
  const pending: Pending[] = [];
  const topics: ProduceResponseTopicProduceResponse[] = await Promise.all(request.topicData.map(async (topic) => ({
    name: topic.name,
    partitionResponses: await Promise.all(topic.partitionData.map(async (data) => {
      if (!validAcks) return errorResponse(data.index, ErrorCode.INVALID_REQUIRED_ACKS);
      const outcome = await appendPartition(s, image, { topic: topic.name, index: data.index, records: data.records, acks: request.acks, ctx });
      if (outcome.pending !== null) pending.push(outcome.pending);
      return outcome.response;
    })),
  })));
  if (pending.length > 0) await waitForReplication(s, pending, request.timeoutMs);
  // producer_byte_rate (KIP-13): recorded for acks=0 too, which is throttled by the mute alone.
  const throttleTimeMs = produceThrottleTimeMs(s, request, ctx);
  if (request.acks === 0) {
    if (topics.some((t) => t.partitionResponses.some((p) => p.errorCode !== ErrorCode.NONE))) {
      throw new AcksZeroProduceFailed('acks=0 produce request failed; closing the connection as Kafka does');
    }
    return NO_RESPONSE;
  }
  return { ...withLeaderHints(image, topics, ctx), throttleTimeMs };
}

interface PartitionAppend {
  readonly topic: string;
  readonly index: number;
  readonly records: Buffer | null;
  readonly acks: number;
  readonly ctx: RequestContext;
}

async function appendPartition(
  s: DataPathServices, image: MetadataImage, { topic, index, records, acks, ctx }: PartitionAppend,
): Promise<{ response: PartitionResponse; pending: Pending | null }> {
  const done = (response: PartitionResponse) => ({ response, pending: null });
  const info = image.topic(topic);
  if (info === undefined) return done(errorResponse(index, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  if (info.isInternal && ctx.clientId !== ADMIN_CLIENT_ID) return done(errorResponse(index, ErrorCode.INVALID_TOPIC_EXCEPTION));
  const requestError = checkProduceRecords(records, ctx.apiVersion);
  if (requestError !== ErrorCode.NONE) return done(errorResponse(index, requestError));
  const found = s.replicas.lookup(image, topic, index);
  if (!found.ok) return done(errorResponse(index, found.error));
  const outcome = await found.partition.appendRecordsToLeader(records ?? Buffer.alloc(0), { requiredAcks: acks });
  if (!outcome.ok) s.logger.debug({ topic, partition: index, error: outcome.failure.error, detail: outcome.failure.detail }, 'produce rejected');
  const response = outcomeResponse(index, outcome);
  if (!outcome.ok || acks !== -1) return done(response);
  return { response, pending: { partition: found.partition, requiredOffset: outcome.info.lastOffset + 1, response } };
}

function outcomeResponse(index: number, outcome: AppendOutcome): PartitionResponse {
  if (outcome.ok) {
    const { info } = outcome;
    return { ...errorResponse(index, ErrorCode.NONE), baseOffset: info.firstOffset, logAppendTimeMs: info.logAppendTime, logStartOffset: info.logStartOffset };
  }
  const { failure } = outcome;
  return {
    ...errorResponse(index, failure.error),
    logStartOffset: NO_LOG_START_ERRORS.has(failure.error) ? -1 : outcome.logStartOffset,
    recordErrors: failure.recordErrors.map((e) => ({ batchIndex: e.batchIndex, batchIndexErrorMessage: e.message })),
    errorMessage: failure.message,
  };
}

function errorResponse(index: number, errorCode: ErrorCodeValue): PartitionResponse {
  return {
    index,
    errorCode,
    baseOffset: -1,
    logAppendTimeMs: -1,
    logStartOffset: -1,
    recordErrors: [],
    errorMessage: null,
    currentLeader: { ...NO_LEADER_HINT },
  };
}

/**
 * acks=-1 (Kafka's DelayedProduce): done when every appended partition's HW reaches its
 * last offset + 1 (NONE, or NOT_ENOUGH_REPLICAS_AFTER_APPEND if the ISR shrank below
 * min.insync.replicas), or it lost leadership (NOT_LEADER_OR_FOLLOWER); otherwise
 * REQUEST_TIMED_OUT after timeoutMs.
 */
async function waitForReplication(s: DataPathServices, pending: readonly Pending[], timeoutMs: number): Promise<void> {
  const settled = (p: Pending): boolean => !p.partition.isLeader || p.partition.highWatermark >= p.requiredOffset;
  await s.replicas.delayed.wait(pending.map((p) => p.partition), timeoutMs, () => pending.every(settled));
  for (const p of pending) {
    if (!p.partition.isLeader) p.response.errorCode = ErrorCode.NOT_LEADER_OR_FOLLOWER;
    else if (p.partition.highWatermark < p.requiredOffset) p.response.errorCode = ErrorCode.REQUEST_TIMED_OUT;
    else if (p.partition.isr.length < p.partition.log.config.minInsyncReplicas) p.response.errorCode = ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND;
  }
}

function withLeaderHints(image: MetadataImage, responses: ProduceResponseTopicProduceResponse[], ctx: RequestContext): ProduceResponse {
  const hinted = ctx.apiVersion >= LEADER_HINT_MIN_VERSION;
  const hints = [];
  for (const topic of responses) {
    for (const p of topic.partitionResponses) {
      if (!hinted || p.errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER) continue;
      p.currentLeader = leaderHint(image, topic.name, p.index);
      hints.push(p.currentLeader);
    }
  }
  return { responses, throttleTimeMs: 0, nodeEndpoints: endpointsFor(image, hints, ctx.listenerName) };
}
