/**
 * The quota steps of the Produce and Fetch handlers, kept here so the handlers carry only
 * a call each (Kafka's KafkaApis.handleProduceRequest / handleFetchRequest):
 *   - Produce: after the append (and the acks=all wait), the request's size is recorded;
 *     its throttle time goes into the response (acks=0: the mute alone);
 *   - Fetch from a consumer: the response is capped at what the quota window allows; after
 *     the read, the response's size and the handling time (request_percentage) are
 *     recorded, and a throttled Fetch is answered with no partitions (the read is dropped
 *     and the fetch session left as it was).
 * Follower fetches are exempt. Handlers built without quotas (unit tests) skip all this.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import type { FetchResponse } from '../../protocol/generated/fetch.ts';
import type { ProduceRequest } from '../../protocol/generated/produce.ts';
import type { FetchContext } from '../../replication/fetch-context.ts';
import type { FetchPartitionResult, FetchReadParams } from '../../replication/fetch-reader.ts';
import type { RequestContext } from '../api-handler.ts';
import type { BrokerQuotas } from './broker-quotas.ts';
import { handlerTimeMs } from './request-quota.ts';

/** What the Produce and Fetch handlers need for quotas (absent: none enforced). */
export interface QuotaServices {
  readonly quotas?: BrokerQuotas;
}

/**
 * Fixed fields of a Fetch response around the records, as encoded: the response
 * (throttle, error, session id, topic count) and each partition (index, error, high
 * watermark, last stable offset, log start offset, aborted list, preferred replica,
 * records length). Kafka counts the whole response; the topic names are left out here.
 */
const FETCH_RESPONSE_FIXED_BYTES = 14;
const FETCH_PARTITION_FIXED_BYTES = 42;
const INVALID_SESSION_ID = 0;

/** Records a Produce request; returns its throttle_time_ms. */
export function produceThrottleTimeMs(s: QuotaServices, request: ProduceRequest, ctx: RequestContext): number {
  if (s.quotas === undefined) return 0;
  return s.quotas.recordProduce(ctx, ctx.requestSizeBytes ?? recordsBytes(request));
}

/** A consumer Fetch's read limits, with the response capped at the quota window's bytes. */
export function withFetchQuotaCap(s: QuotaServices, ctx: RequestContext, params: FetchReadParams): FetchReadParams {
  if (s.quotas === undefined || params.isolation === 'replica') return params;
  const capBytes = s.quotas.consumerFetchMaxBytes(ctx);
  return capBytes >= params.responseMaxBytes ? params : { ...params, responseMaxBytes: Math.trunc(capBytes) };
}

/** Records a consumer Fetch's response size; returns its throttle_time_ms (> 0: answer with throttledFetchResponse). */
export function fetchThrottleTimeMs(
  s: QuotaServices, ctx: RequestContext, params: FetchReadParams, results: readonly FetchPartitionResult[],
): number {
  if (s.quotas === undefined || params.isolation === 'replica') return 0;
  let bytes = FETCH_RESPONSE_FIXED_BYTES;
  for (const r of results) bytes += FETCH_PARTITION_FIXED_BYTES + r.recordBytes;
  return s.quotas.recordConsumerFetch(ctx, bytes, handlerTimeMs(ctx) ?? 0);
}

/** Kafka's FetchContext.getThrottledResponse: no partitions; an incremental session keeps its id. */
export function throttledFetchResponse(fetchCtx: FetchContext, throttleTimeMs: number): FetchResponse {
  return {
    throttleTimeMs,
    errorCode: fetchCtx.kind === 'error' ? fetchCtx.error : ErrorCode.NONE,
    sessionId: fetchCtx.kind === 'incremental' ? fetchCtx.session.id : INVALID_SESSION_ID,
    responses: [],
    nodeEndpoints: [],
  };
}

function recordsBytes(request: ProduceRequest): number {
  let bytes = 0;
  for (const topic of request.topicData) for (const p of topic.partitionData) bytes += p.records?.length ?? 0;
  return bytes;
}
