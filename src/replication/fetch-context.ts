/**
 * Fetch contexts (Kafka's FetchManager.newContext and the FetchContext classes): how one
 * Fetch request relates to the session cache, which partitions it reads, and which of
 * them its response carries.
 *
 *   sessionId  epoch   meaning
 *   0          -1      sessionless full fetch (no session, every partition answered)
 *   any        0       full fetch; closes session `sessionId` if given; opens a new one
 *   id         -1      closes session `id`, then a sessionless full fetch
 *   id         n > 0   incremental fetch in session `id`, which must be at epoch n:
 *                      FETCH_SESSION_ID_NOT_FOUND / INVALID_FETCH_SESSION_EPOCH /
 *                      FETCH_SESSION_TOPIC_ID_ERROR (topic ids used iff Fetch v13+)
 *
 * A full fetch's session is created when its response is built (after any long poll), as
 * Kafka does; an incremental fetch advances the session epoch when it arrives.
 */
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import {
  FINAL_EPOCH,
  INITIAL_EPOCH,
  INVALID_SESSION_ID,
  mustRespond,
  nextEpoch,
  partitionKey,
  type CachedPartition,
  type FetchPartitionRequest,
  type FetchSession,
  type FetchSessionCache,
  type ResponseSummary,
} from './fetch-session.ts';

export interface FetchSessionRequest {
  readonly sessionId: number;
  readonly sessionEpoch: number;
  readonly partitions: readonly FetchPartitionRequest[];
  readonly forgotten: readonly { topic: string; topicId: string; partition: number }[];
  readonly usesTopicIds: boolean;
  /** A follower's fetch (sessions of followers may evict consumers' ones). */
  readonly privileged: boolean;
}

export type FetchContext =
  | { readonly kind: 'error'; readonly error: ErrorCodeValue }
  | { readonly kind: 'sessionless'; readonly partitions: readonly FetchPartitionRequest[] }
  | { readonly kind: 'full'; readonly request: FetchSessionRequest }
  | { readonly kind: 'incremental'; readonly session: FetchSession };

export interface FetchedEntry<R extends ResponseSummary> {
  readonly request: FetchPartitionRequest;
  readonly result: R;
}

export interface FetchContextResponse<R extends ResponseSummary> {
  readonly error: ErrorCodeValue;
  readonly sessionId: number;
  readonly entries: readonly FetchedEntry<R>[];
}

export function newFetchContext(cache: FetchSessionCache, req: FetchSessionRequest, nowMs: number): FetchContext {
  if (req.sessionEpoch === INITIAL_EPOCH || req.sessionEpoch === FINAL_EPOCH) {
    if (req.sessionId !== INVALID_SESSION_ID) cache.remove(req.sessionId);
    return req.sessionEpoch === FINAL_EPOCH ? { kind: 'sessionless', partitions: req.partitions } : { kind: 'full', request: req };
  }
  const session = cache.get(req.sessionId);
  if (session === undefined) return { kind: 'error', error: ErrorCode.FETCH_SESSION_ID_NOT_FOUND };
  if (session.epoch !== req.sessionEpoch) return { kind: 'error', error: ErrorCode.INVALID_FETCH_SESSION_EPOCH };
  if (session.usesTopicIds !== req.usesTopicIds) return { kind: 'error', error: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR };
  session.update(req.partitions, req.forgotten);
  if (session.partitions.size === 0) {
    cache.remove(session.id);
    return { kind: 'sessionless', partitions: [] };
  }
  cache.touch(session, nowMs);
  session.epoch = nextEpoch(session.epoch);
  return { kind: 'incremental', session };
}

/** The partitions to read, in response order. */
export function partitionsToRead(ctx: FetchContext): readonly FetchPartitionRequest[] {
  switch (ctx.kind) {
    case 'error': return [];
    case 'sessionless': return ctx.partitions;
    case 'full': return ctx.request.partitions;
    case 'incremental': return [...ctx.session.partitions.values()].map((c) => c.request);
  }
}

/**
 * Builds the response's partition list from the read results (same order as
 * partitionsToRead) and updates the session: creates it for a full fetch, drops unchanged
 * partitions and rotates those with data to the end for an incremental one.
 */
export function buildFetchResponse<R extends ResponseSummary>(
  ctx: FetchContext, cache: FetchSessionCache, results: readonly R[], nowMs: number,
): FetchContextResponse<R> {
  const requests = partitionsToRead(ctx);
  const entries = requests.map((request, i) => ({ request, result: results[i] }));
  switch (ctx.kind) {
    case 'error': return { error: ctx.error, sessionId: INVALID_SESSION_ID, entries: [] };
    case 'sessionless': return { error: ErrorCode.NONE, sessionId: INVALID_SESSION_ID, entries };
    case 'full': return { error: ErrorCode.NONE, sessionId: createSession(ctx.request, cache, entries, nowMs), entries };
    case 'incremental': return { error: ErrorCode.NONE, sessionId: ctx.session.id, entries: incrementalEntries(ctx.session, entries) };
  }
}

function createSession<R extends ResponseSummary>(req: FetchSessionRequest, cache: FetchSessionCache, entries: readonly FetchedEntry<R>[], nowMs: number): number {
  const session = cache.create({ privileged: req.privileged, usesTopicIds: req.usesTopicIds, nowMs });
  if (session === null) return INVALID_SESSION_ID;
  for (const { request, result } of entries) {
    const cached: CachedPartition = { request, highWatermark: -1, logStartOffset: -1 };
    mustRespond(cached, result, true);
    session.partitions.set(partitionKey(session.usesTopicIds, request), cached);
  }
  return session.id;
}

function incrementalEntries<R extends ResponseSummary>(session: FetchSession, entries: readonly FetchedEntry<R>[]): FetchedEntry<R>[] {
  const selected: FetchedEntry<R>[] = [];
  const rotate: string[] = [];
  for (const entry of entries) {
    const key = partitionKey(session.usesTopicIds, entry.request);
    const cached = session.partitions.get(key);
    // Forgotten while a long poll was parked: nothing to report.
    if (cached === undefined || !mustRespond(cached, entry.result, true)) continue;
    selected.push(entry);
    if (entry.result.recordBytes > 0) rotate.push(key);
  }
  for (const key of rotate) session.moveToEnd(key);
  return selected;
}
