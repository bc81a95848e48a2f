/**
 * Incremental fetch sessions (KIP-227, Kafka's FetchSession / FetchSessionCache).
 *
 * A session remembers, per partition, what the fetcher last asked for (offset, max bytes,
 * epochs) and what it was last told (high watermark, log start offset), so an incremental
 * fetch names only partitions that changed and its response carries only partitions with
 * something new. The session epoch advances on every incremental fetch; a fetcher that
 * sends the wrong epoch gets INVALID_FETCH_SESSION_EPOCH and must start a full fetch.
 *
 * Cache bound: `slots` sessions (max.incremental.fetch.session.cache.slots, 1000). When
 * full, a new session may evict the least recently used one idle for at least
 * SESSION_EVICTION_MS, or (if it is a follower's, "privileged") any non-privileged one;
 * otherwise no session is created and the fetcher is told session id 0 (it keeps doing
 * full fetches), as Kafka does.
 */
import { randomInt } from 'node:crypto';

export const FETCH_SESSION_SLOTS_DEFAULT = 1000;
/** Kafka's MIN_INCREMENTAL_FETCH_SESSION_EVICTION_MS. */
export const SESSION_EVICTION_MS = 120_000;
export const INVALID_SESSION_ID = 0;
export const INITIAL_EPOCH = 0;
export const FINAL_EPOCH = -1;
const INT32_MAX = 0x7fffffff;

/** One partition as a fetch request names it. */
export interface FetchPartitionRequest {
  /** "" when the request named an unknown topic id. */
  readonly topic: string;
  /** Zero UUID before Fetch v13. */
  readonly topicId: string;
  readonly partition: number;
  readonly fetchOffset: number;
  readonly maxBytes: number;
  readonly currentLeaderEpoch: number;
  readonly logStartOffset: number;
  readonly lastFetchedEpoch: number;
}

/** A partition of a session: the last request plus what the last response said. */
export interface CachedPartition {
  request: FetchPartitionRequest;
  /** -1 after an error, so the partition is sent again once the error clears. */
  highWatermark: number;
  logStartOffset: number;
}

/** The parts of a partition's fetch result a session compares. */
export interface ResponseSummary {
  readonly error: number;
  readonly highWatermark: number;
  readonly logStartOffset: number;
  readonly recordBytes: number;
}

export function partitionKey(usesTopicIds: boolean, p: { topic: string; topicId: string; partition: number }): string {
  return usesTopicIds ? `${p.topicId}:${p.partition}` : `${p.topic}:${p.partition}`;
}

/** Kafka's FetchMetadata.nextEpoch. */
export function nextEpoch(epoch: number): number {
  if (epoch < 0) return FINAL_EPOCH;
  return epoch === INT32_MAX ? 1 : epoch + 1;
}

export class FetchSession {
  readonly id: number;
  readonly privileged: boolean;
  readonly usesTopicIds: boolean;
  epoch = nextEpoch(INITIAL_EPOCH);
  lastUsedMs: number;
  /** Insertion-ordered: the order partitions are read and answered in. */
  readonly partitions = new Map<string, CachedPartition>();

  constructor(id: number, privileged: boolean, usesTopicIds: boolean, nowMs: number) {
    this.id = id;
    this.privileged = privileged;
    this.usesTopicIds = usesTopicIds;
    this.lastUsedMs = nowMs;
  }

  /** Applies an incremental request: added/changed partitions, then forgotten ones. */
  update(changed: readonly FetchPartitionRequest[], forgotten: readonly { topic: string; topicId: string; partition: number }[]): void {
    for (const request of changed) {
      const key = partitionKey(this.usesTopicIds, request);
      const cached = this.partitions.get(key);
      if (cached !== undefined) cached.request = request;
      else this.partitions.set(key, { request, highWatermark: -1, logStartOffset: -1 });
    }
    for (const p of forgotten) this.partitions.delete(partitionKey(this.usesTopicIds, p));
  }

  /** Moves a partition to the end of the order (it just returned data: fairness). */
  moveToEnd(key: string): void {
    const cached = this.partitions.get(key);
    if (cached === undefined) return;
    this.partitions.delete(key);
    this.partitions.set(key, cached);
  }
}

/**
 * Kafka's CachedPartition.maybeUpdateResponseData: whether an incremental response must
 * carry this partition, updating the cached view when `update`.
 */
export function mustRespond(cached: CachedPartition, summary: ResponseSummary, update: boolean): boolean {
  let respond = summary.recordBytes > 0;
  if (cached.highWatermark !== summary.highWatermark) {
    respond = true;
    if (update) cached.highWatermark = summary.highWatermark;
  }
  if (cached.logStartOffset !== summary.logStartOffset) {
    respond = true;
    if (update) cached.logStartOffset = summary.logStartOffset;
  }
  if (summary.error !== 0) {
    respond = true;
    if (update) cached.highWatermark = -1;
  }
  return respond;
}

export class FetchSessionCache {
  readonly slots: number;
  #sessions = new Map<number, FetchSession>();

  constructor(slots = FETCH_SESSION_SLOTS_DEFAULT) {
    this.slots = slots;
  }

  get size(): number {
    return this.#sessions.size;
  }

  get(id: number): FetchSession | undefined {
    return this.#sessions.get(id);
  }

  remove(id: number): void {
    this.#sessions.delete(id);
  }

  touch(session: FetchSession, nowMs: number): void {
    session.lastUsedMs = nowMs;
  }

  /** A new session, or null when the cache is full and nothing may be evicted. */
  create(opts: { privileged: boolean; usesTopicIds: boolean; nowMs: number }): FetchSession | null {
    if (this.#sessions.size >= this.slots && !this.#evictFor(opts.privileged, opts.nowMs)) return null;
    const session = new FetchSession(this.#newId(), opts.privileged, opts.usesTopicIds, opts.nowMs);
    this.#sessions.set(session.id, session);
    return session;
  }

  #evictFor(privileged: boolean, nowMs: number): boolean {
    let victim: FetchSession | null = null;
    for (const session of this.#sessions.values()) {
      const idle = nowMs - session.lastUsedMs >= SESSION_EVICTION_MS;
      const eligible = idle || (privileged && !session.privileged);
      if (eligible && (victim === null || session.lastUsedMs < victim.lastUsedMs)) victim = session;
    }
    if (victim === null) return false;
    this.#sessions.delete(victim.id);
    return true;
  }

  #newId(): number {
    for (;;) {
      const id = randomInt(1, INT32_MAX);
      if (!this.#sessions.has(id)) return id;
    }
  }
}
