/**
 * request_percentage (KIP-124, Kafka's ClientRequestQuotaManager): the time a request spends
 * being handled, as a percentage of one thread per second, is recorded per client; over the
 * quota the response carries the throttle time (at most one quota window, as Kafka caps
 * it) and the connection is muted for it.
 *
 * Kafka counts the request handler thread's time. Gregor has one event loop, so a
 * request's handling time is the wall time of its handler less the time it spent parked
 * in DelayedOperations (Kafka's remote time: acks=all waits, Fetch long polls); time the
 * loop spent on other connections' work meanwhile is counted too, so under load the
 * measure runs high.
 *
 * Exempt, as in Kafka: Produce with acks=0 (no response), follower Fetch requests. A
 * consumer Fetch is recorded by the Fetch handler itself (data-path-quotas.ts), because a
 * throttled Fetch is answered without data. Not counted by Gregor: ApiVersions (not
 * wrapped), and JoinGroup / SyncGroup, which wait for the group's other members: Kafka
 * parks them in a purgatory (not counted), and their handlers here cannot tell that wait
 * (seconds) from their work (microseconds).
 */
import { performance } from 'node:perf_hooks';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import { requestScope } from '../../replication/request-scope.ts';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from '../api-handler.ts';
import type { BrokerQuotas } from './broker-quotas.ts';

interface HandlerStart {
  readonly atMs: number;
  /** The scope's remote (parked) time when the handler started. */
  readonly remoteMs: number;
}

/** APIs whose handling time is not recorded (see above). */
const NOT_COUNTED: ReadonlySet<number> = new Set([ApiKey.JoinGroup, ApiKey.SyncGroup]);

/** When each request's handler started (keyed by its context, which lives as long as the request). */
const handlerStarts = new WeakMap<RequestContext, HandlerStart>();

/** The handler with request_percentage recorded and its throttle added to the response. */
export function withRequestQuota<Req, Res extends object>(handler: ApiHandler<Req, Res>, quotas: BrokerQuotas): ApiHandler<Req, Res> {
  if (NOT_COUNTED.has(handler.apiKey)) return handler;
  const recordsItself = handler.apiKey === ApiKey.Fetch;
  return {
    apiKey: handler.apiKey,
    minVersion: handler.minVersion,
    maxVersion: handler.maxVersion,
    answerUnsupportedVersion: handler.answerUnsupportedVersion?.bind(handler),
    async handle(request, ctx) {
      if (!quotas.requestQuotasEnabled()) return handler.handle(request, ctx);
      handlerStarts.set(ctx, { atMs: performance.now(), remoteMs: requestScope.getStore()?.remoteMs ?? 0 });
      const result = await handler.handle(request, ctx);
      if (result === NO_RESPONSE || recordsItself) return result;
      const throttleMs = quotas.recordRequestTime(ctx, handlerTimeMs(ctx) ?? 0);
      if (throttleMs > 0 && hasThrottleTime(result)) result.throttleTimeMs = Math.max(result.throttleTimeMs, throttleMs);
      return result;
    },
  };
}

/** Time (ms) the request has spent being handled so far, without parked time; undefined outside withRequestQuota. */
export function handlerTimeMs(ctx: RequestContext): number | undefined {
  const start = handlerStarts.get(ctx);
  if (start === undefined) return undefined;
  const parkedMs = (requestScope.getStore()?.remoteMs ?? 0) - start.remoteMs;
  return Math.max(0, performance.now() - start.atMs - parkedMs);
}

function hasThrottleTime(response: object): response is { throttleTimeMs: number } {
  return typeof (response as { throttleTimeMs?: unknown }).throttleTimeMs === 'number';
}
