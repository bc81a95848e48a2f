/**
 * Reading the partitions of one Fetch (Kafka's ReplicaManager.readFromLog) and deciding
 * whether the fetch may answer now or must wait (DelayedFetch).
 *
 * Byte limits, in request order: each partition reads at most min(its partitionMaxBytes,
 * what is left of the response's maxBytes). Until some partition has returned data, the
 * read may exceed both limits by returning one whole batch ("minOneMessage"), so a
 * consumer is never stuck behind a batch larger than its limits; Fetch v0-2 have hard
 * limits (no such exception).
 *
 * Read bound: the HW for read_uncommitted consumers, the LSO for read_committed ones,
 * the log end for followers.
 */
import type { MetadataImage } from '../cluster/metadata-image.ts';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import type { ReadBuffers } from '../storage/read-buffers.ts';
import type { FetchPartitionRequest } from './fetch-session.ts';
import { errorRead, type Isolation, type Partition, type PartitionRead } from './partition.ts';
import type { ReplicaManager } from './replica-manager.ts';
import { requestScope } from './request-scope.ts';

export interface FetchPartitionResult extends PartitionRead {
  /** Set when the partition resolved to a hosted one (for long-poll watching). */
  readonly partition: Partition | null;
  readonly recordBytes: number;
}

export interface FetchReadParams {
  readonly isolation: Isolation;
  /** The follower's broker id, or -1 for consumers. */
  readonly replicaId: number;
  readonly responseMaxBytes: number;
  /** Fetch v0-2: limits are hard, no whole-batch exception. */
  readonly hardMaxBytesLimit: boolean;
  /** Where the records are read into (the Fetch's lease of pooled buffers). */
  readonly buffers?: ReadBuffers;
  /**
   * Called before each partition read with the record bytes read so far; a returned
   * promise is awaited (a consumer's Fetch lets waiting Produce requests go first).
   */
  readonly beforeRead?: (bytesRead: number) => Promise<void> | null;
}

export async function readFetchPartitions(
  replicas: ReplicaManager, image: MetadataImage, requests: readonly FetchPartitionRequest[], params: FetchReadParams,
): Promise<FetchPartitionResult[]> {
  const results: FetchPartitionResult[] = [];
  let limitBytes = params.responseMaxBytes;
  let minOneBatch = !params.hardMaxBytesLimit;
  let bytesRead = 0;
  for (const request of requests) {
    const wait = params.beforeRead?.(bytesRead);
    if (wait) await wait;
    const result = await readOne(replicas, image, request, params, Math.min(request.maxBytes, limitBytes), minOneBatch);
    if (result.recordBytes > 0) minOneBatch = false;
    limitBytes = Math.max(0, limitBytes - result.recordBytes);
    bytesRead += result.recordBytes;
    results.push(result);
  }
  countBytesOut(replicas, results, params.replicaId >= 0);
  return results;
}

/**
 * Bytes-out counters for these results, counted once the response is sent (a parked fetch
 * reads again and only its last read goes out); at once outside a request.
 */
function countBytesOut(replicas: ReplicaManager, results: readonly FetchPartitionResult[], replica: boolean): void {
  const count = (): void => {
    for (const r of results) if (r.partition !== null) replicas.topicStats.recordFetch(r.partition.topic, r.recordBytes, replica);
  };
  const scope = requestScope.getStore();
  if (scope === undefined) count();
  else scope.afterResponse = count;
}

async function readOne(
  replicas: ReplicaManager, image: MetadataImage, request: FetchPartitionRequest, params: FetchReadParams, maxBytes: number, minOneBatch: boolean,
): Promise<FetchPartitionResult> {
  if (request.topic === '') return failed(ErrorCode.UNKNOWN_TOPIC_ID);
  const found = replicas.lookup(image, request.topic, request.partition);
  if (!found.ok) return failed(found.error);
  const partition = found.partition;
  const epochError = partition.checkLeaderEpoch(request.currentLeaderEpoch, true);
  if (epochError !== ErrorCode.NONE) return failed(epochError);
  const read = await partition.read({ fetchOffset: request.fetchOffset, maxBytes, minOneBatch, isolation: params.isolation, buffers: params.buffers });
  if (params.replicaId >= 0 && read.error === ErrorCode.NONE) partition.updateFollowerFetchState(params.replicaId, request.fetchOffset);
  return { ...read, partition, recordBytes: read.records.length };
}

function failed(error: ErrorCodeValue): FetchPartitionResult {
  return { ...errorRead(error), partition: null, recordBytes: 0 };
}

/** Kafka's "respond now" rule: no wait asked, nothing to wait on, enough bytes, or an error. */
export function canAnswerNow(results: readonly FetchPartitionResult[], minBytes: number, maxWaitMs: number): boolean {
  if (maxWaitMs <= 0 || results.length === 0) return true;
  if (results.some((r) => r.error !== ErrorCode.NONE)) return true;
  return totalBytes(results) >= minBytes;
}

export function totalBytes(results: readonly FetchPartitionResult[]): number {
  return results.reduce((sum, r) => sum + r.recordBytes, 0);
}

/**
 * DelayedFetch.tryComplete as a predicate: true once the bytes that became readable
 * since the first read, plus what it found, reach minBytes, or once a partition changed
 * role or epoch or went away (the fetch must then answer with the new state).
 */
export function fetchReadiness(results: readonly FetchPartitionResult[], minBytes: number, isolation: Isolation): () => boolean {
  const readable = (p: Partition): number => (isolation === 'replica' ? p.appendedBytes : p.visibleBytes);
  const watched = results.flatMap((r) => (r.partition === null ? [] : [{
    partition: r.partition, epoch: r.partition.leaderEpoch, base: readable(r.partition),
  }]));
  const initial = totalBytes(results);
  return () => {
    let bytes = initial;
    for (const w of watched) {
      if (w.partition.removed || !w.partition.isLeader || w.partition.leaderEpoch !== w.epoch) return true;
      bytes += readable(w.partition) - w.base;
    }
    return bytes >= minBytes;
  };
}
