/**
 * Fetch (key 1), versions 0-17. Kafka's handleFetchRequest + ReplicaManager.fetchMessages:
 *
 *  1. the request becomes a fetch context (fetch-context.ts): sessionless, full (opens an
 *     incremental session, KIP-227), incremental, or a session error answered at once;
 *     v13+ name topics by id (unknown id: UNKNOWN_TOPIC_ID), earlier ones by name;
 *  2. the context's partitions are read in order (fetch-reader.ts: byte limits, the
 *     first-batch rule, HW / LSO / LEO bound, leader and epoch checks);
 *  3. with less than minBytes and no error, the fetch parks (long poll) until appends
 *     make minBytes readable, a partition changes leadership, or maxWaitMs passes, and
 *     then reads again;
 *  4. the response carries every partition (full) or only changed ones (incremental),
 *     records by reference, down-converted for v0-3 (fetch-conversion.ts); the records
 *     are read into pooled buffers that go back to the pool once the response is written.
 *
 * Response maxBytes = min(request maxBytes, fetch.max.bytes), and minBytes is capped at it.
 * Follower fetches (replica id >= 0) read up to the log end and report the follower's
 * offset to the partition.
 * read_committed answers an empty (non-null) aborted-transactions list; read_uncommitted
 * null, as Kafka. preferredReadReplica is always -1 (no rack-aware reads).
 */
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  FetchRequest,
  FetchResponse,
  FetchResponseFetchableTopicResponse,
  FetchResponseAbortedTransaction,
  FetchResponsePartitionData,
} from '../../protocol/generated/fetch.ts';
import { ZERO_UUID } from '../../protocol/generated/runtime.ts';
import { convertForFetchVersion } from '../../replication/fetch-conversion.ts';
import { buildFetchResponse, newFetchContext, partitionsToRead, type FetchedEntry, type FetchSessionRequest } from '../../replication/fetch-context.ts';
import { canAnswerNow, fetchReadiness, readFetchPartitions, type FetchPartitionResult, type FetchReadParams } from '../../replication/fetch-reader.ts';
import type { FetchPartitionRequest } from '../../replication/fetch-session.ts';
import { endpointsFor, leaderHint, NO_LEADER_HINT, type LeaderHint } from '../../replication/leader-hint.ts';
import type { Isolation } from '../../replication/partition.ts';
import { requestScope } from '../../replication/request-scope.ts';
import type { DataPathServices } from '../../replication/services.ts';
import { processReadBufferPool, type ReadBufferLease } from '../../storage/read-buffers.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import { processProduceBacklog } from '../produce-backlog.ts';
import { fetchThrottleTimeMs, throttledFetchResponse, withFetchQuotaCap, type QuotaServices } from '../quotas/data-path-quotas.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 17;
/** Versions with topic ids instead of names. */
const TOPIC_ID_MIN_VERSION = 13;
/** Versions where ReplicaId moved into ReplicaState. */
const REPLICA_STATE_MIN_VERSION = 15;
/** Versions with hard byte limits (no whole-first-batch exception). */
const HARD_LIMIT_MAX_VERSION = 2;
/** First version with CurrentLeader (tagged) in partition data. */
const LEADER_HINT_MIN_VERSION = 12;
const READ_COMMITTED = 1;

export function createFetchHandler(services: DataPathServices & QuotaServices): ApiHandler<FetchRequest, FetchResponse> {
  return {
    apiKey: ApiKey.Fetch,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handleFetch(services, request, ctx),
  };
}

async function handleFetch(s: DataPathServices & QuotaServices, request: FetchRequest, ctx: RequestContext): Promise<FetchResponse> {
  const version = ctx.apiVersion;
  const image = s.metadata.image();
  const sessionRequest = toSessionRequest(request, version, image);
  const fetchCtx = newFetchContext(s.replicas.fetchSessions, sessionRequest, s.clock.now());
  const buffers = processReadBufferPool.lease();
  releaseWhenWritten(buffers);
  const params = withFetchQuotaCap(s, ctx, readParams(s, request, version, buffers));
  const toRead = partitionsToRead(fetchCtx);
  // As Kafka: minBytes is capped at the response's maxBytes.
  const minBytes = Math.min(request.minBytes, params.responseMaxBytes);
  let results = await readFetchPartitions(s.replicas, image, toRead, params);
  if (!canAnswerNow(results, minBytes, request.maxWaitMs)) {
    const watched = results.flatMap((r) => (r.partition === null ? [] : [r.partition]));
    await s.replicas.delayed.wait(watched, request.maxWaitMs, fetchReadiness(results, minBytes, params.isolation));
    // As Kafka's DelayedFetch.onComplete: read again, whether ready or expired.
    results = await readFetchPartitions(s.replicas, s.metadata.image(), toRead, params);
  }
  // consumer_byte_rate (KIP-13): a throttled Fetch is answered without data (KIP-219).
  const throttleTimeMs = fetchThrottleTimeMs(s, ctx, params, results);
  if (throttleTimeMs > 0) return throttledFetchResponse(fetchCtx, throttleTimeMs);
  const built = buildFetchResponse(fetchCtx, s.replicas.fetchSessions, results, s.clock.now());
  const responses = await toWireTopics(built.entries, version, params.isolation);
  const hints = version >= LEADER_HINT_MIN_VERSION ? fillLeaderHints(s.metadata.image(), responses) : [];
  return {
    throttleTimeMs: 0,
    errorCode: built.error,
    sessionId: built.sessionId,
    responses,
    nodeEndpoints: endpointsFor(s.metadata.image(), hints, ctx.listenerName),
  };
}

function readParams(s: DataPathServices, request: FetchRequest, version: number, buffers: ReadBufferLease): FetchReadParams {
  const replicaId = version >= REPLICA_STATE_MIN_VERSION ? request.replicaState.replicaId : request.replicaId;
  const isolation: Isolation = replicaId >= 0 ? 'replica' : request.isolationLevel === READ_COMMITTED ? 'committed' : 'uncommitted';
  return {
    isolation,
    replicaId,
    responseMaxBytes: Math.min(request.maxBytes, s.config.fetchMaxBytes),
    hardMaxBytesLimit: version <= HARD_LIMIT_MAX_VERSION,
    buffers,
    // Consumers' reads let waiting Produce requests go first (bounded); followers' do not.
    beforeRead: isolation === 'replica' ? undefined : processProduceBacklog.readPacer(),
  };
}

/**
 * The records of this Fetch are read into pooled buffers, given back once the connection
 * has written the response (nothing refers to them afterwards). Outside a connection (no
 * request scope) they are left to the GC.
 */
function releaseWhenWritten(buffers: ReadBufferLease): void {
  const scope = requestScope.getStore();
  if (scope !== undefined) scope.afterResponseWritten = () => buffers.release();
}

function toSessionRequest(request: FetchRequest, version: number, image: MetadataImage): FetchSessionRequest {
  const usesTopicIds = version >= TOPIC_ID_MIN_VERSION;
  const nameOf = (topic: string, topicId: string): string => (usesTopicIds ? image.topicById(topicId)?.name ?? '' : topic);
  const partitions: FetchPartitionRequest[] = request.topics.flatMap((t) => t.partitions.map((p) => ({
    topic: nameOf(t.topic, t.topicId),
    topicId: usesTopicIds ? t.topicId : ZERO_UUID,
    partition: p.partition,
    fetchOffset: p.fetchOffset,
    maxBytes: p.partitionMaxBytes,
    currentLeaderEpoch: p.currentLeaderEpoch,
    logStartOffset: p.logStartOffset,
    lastFetchedEpoch: p.lastFetchedEpoch,
  })));
  const forgotten = request.forgottenTopicsData.flatMap((t) => t.partitions.map((partition) => ({
    topic: nameOf(t.topic, t.topicId), topicId: usesTopicIds ? t.topicId : ZERO_UUID, partition,
  })));
  const replicaId = version >= REPLICA_STATE_MIN_VERSION ? request.replicaState.replicaId : request.replicaId;
  return { sessionId: request.sessionId, sessionEpoch: request.sessionEpoch, partitions, forgotten, usesTopicIds, privileged: replicaId >= 0 };
}

/** Groups consecutive partitions of one topic, converting records for old versions. */
async function toWireTopics(entries: readonly FetchedEntry<FetchPartitionResult>[], version: number, isolation: Isolation): Promise<FetchResponseFetchableTopicResponse[]> {
  const topics: FetchResponseFetchableTopicResponse[] = [];
  for (const { request, result } of entries) {
    let topic = topics[topics.length - 1];
    if (topic === undefined || topic.topic !== request.topic || topic.topicId !== request.topicId) {
      topic = { topic: request.topic, topicId: request.topicId, partitions: [] };
      topics.push(topic);
    }
    topic.partitions.push(await toWirePartition(request, result, version, isolation));
  }
  return topics;
}

async function toWirePartition(request: FetchPartitionRequest, result: FetchPartitionResult, version: number, isolation: Isolation): Promise<FetchResponsePartitionData> {
  const base = partitionData(request.partition, result, isolation);
  if (result.error !== ErrorCode.NONE || result.partition === null) return base;
  const converted = await convertForFetchVersion(result.records, version, request.fetchOffset, result.partition.log.config);
  if (!converted.ok) return partitionData(request.partition, { ...errorFields, error: converted.error }, isolation);
  return { ...base, records: converted.records };
}

const errorFields = { records: Buffer.alloc(0), highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, abortedTransactions: null };

function partitionData(
  partitionIndex: number,
  r: { error: number; records: Buffer; highWatermark: number; lastStableOffset: number; logStartOffset: number; abortedTransactions: readonly FetchResponseAbortedTransaction[] | null },
  isolation: Isolation,
): FetchResponsePartitionData {
  return {
    partitionIndex,
    errorCode: r.error,
    highWatermark: r.highWatermark,
    lastStableOffset: r.lastStableOffset,
    logStartOffset: r.logStartOffset,
    divergingEpoch: { epoch: -1, endOffset: -1 },
    currentLeader: { ...NO_LEADER_HINT },
    snapshotId: { endOffset: -1, epoch: -1 },
    abortedTransactions: isolation === 'committed' ? [...(r.abortedTransactions ?? [])] : null,
    preferredReadReplica: -1,
    records: r.records,
  };
}

/** Fills CurrentLeader for leadership errors (KIP-951) and returns the hints given. */
function fillLeaderHints(image: MetadataImage, responses: FetchResponseFetchableTopicResponse[]): LeaderHint[] {
  const hints: LeaderHint[] = [];
  for (const topic of responses) {
    for (const p of topic.partitions) {
      if (p.errorCode !== ErrorCode.NOT_LEADER_OR_FOLLOWER && p.errorCode !== ErrorCode.FENCED_LEADER_EPOCH) continue;
      p.currentLeader = leaderHint(image, topic.topic, p.partitionIndex);
      hints.push(p.currentLeader);
    }
  }
  return hints;
}
