/**
 * ListOffsets (key 2), versions 0-10. Kafka's handleListOffsetRequest +
 * Partition.fetchOffsetForTimestamp, per partition:
 *
 *   timestamp  answer (offset, timestamp, leaderEpoch)
 *   -1 latest  HW (read_uncommitted) / LSO (read_committed) / LEO (replicas), -1, the
 *              partition's current leader epoch
 *   -2 earliest, -4 earliest local (v8+; no tiered storage, so the log start)
 *              log start offset, -1, epoch of the batch there
 *   -3 max timestamp (v7+): first record with the largest timestamp
 *   -5 latest tiered (v9+): no tiered storage: -1, -1, -1 (as Kafka without remote log)
 *   >= 0       first record (not batch) whose timestamp >= it, looked up inside
 *              (compressed) batches; none, or not yet below the HW/LSO: -1, -1, -1
 *
 * Errors: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER, FENCED_LEADER_EPOCH /
 * UNKNOWN_LEADER_EPOCH (v4+ currentLeaderEpoch), INVALID_REQUEST for a partition named
 * twice (v1+), OFFSET_NOT_AVAILABLE when a new leader's HW is still below the start of
 * its epoch (latest, or a timestamp not found below the HW). Replica id -2 (debug) may
 * ask a non-leader.
 *
 * v0 (old format: maxNumOffsets, a list of offsets): latest -> [end, log start],
 * earliest -> [log start], a timestamp -> [first offset at or after it] (Kafka answers v0
 * time queries from segment modification times, which we do not keep: approximation).
 */
import type { MetadataImage } from '../../cluster/metadata-image.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  ListOffsetsRequest,
  ListOffsetsRequestListOffsetsPartition,
  ListOffsetsResponse,
  ListOffsetsResponseListOffsetsPartitionResponse,
} from '../../protocol/generated/list-offsets.ts';
import type { Isolation, Partition } from '../../replication/partition.ts';
import type { DataPathServices } from '../../replication/services.ts';
import type { TimestampAndOffset } from '../../storage/partition-log.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 10;

export const LATEST_TIMESTAMP = -1;
export const EARLIEST_TIMESTAMP = -2;
export const MAX_TIMESTAMP = -3;
export const EARLIEST_LOCAL_TIMESTAMP = -4;
export const LATEST_TIERED_TIMESTAMP = -5;
/** ListOffsets replica ids: -1 consumer, -2 debugging tool (may read from followers). */
const DEBUGGING_REPLICA_ID = -2;
const READ_COMMITTED = 1;

type PartitionResponse = ListOffsetsResponseListOffsetsPartitionResponse;

interface Query {
  readonly isolation: Isolation;
  readonly requireLeader: boolean;
  readonly version: number;
}

export function createListOffsetsHandler(services: DataPathServices): ApiHandler<ListOffsetsRequest, ListOffsetsResponse> {
  return {
    apiKey: ApiKey.ListOffsets,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => handleListOffsets(services, request, ctx),
  };
}

async function handleListOffsets(s: DataPathServices, request: ListOffsetsRequest, ctx: RequestContext): Promise<ListOffsetsResponse> {
  const image = s.metadata.image();
  const isConsumer = request.replicaId < 0;
  const query: Query = {
    isolation: !isConsumer ? 'replica' : request.isolationLevel === READ_COMMITTED ? 'committed' : 'uncommitted',
    requireLeader: request.replicaId !== DEBUGGING_REPLICA_ID,
    version: ctx.apiVersion,
  };
  const duplicates = duplicatePartitions(request);
  const topics = await Promise.all(request.topics.map(async (topic) => ({
    name: topic.name,
    partitions: await Promise.all(topic.partitions.map((p) => {
      if (query.version >= 1 && duplicates.has(`${topic.name}:${p.partitionIndex}`)) return errorResponse(p.partitionIndex, ErrorCode.INVALID_REQUEST);
      return listPartition(s, image, topic.name, p, query);
    })),
  })));
  return { throttleTimeMs: 0, topics };
}

/** "topic:partition" keys named more than once (Kafka answers them INVALID_REQUEST from v1). */
function duplicatePartitions(request: ListOffsetsRequest): Set<string> {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const t of request.topics) {
    for (const p of t.partitions) {
      const key = `${t.name}:${p.partitionIndex}`;
      if (seen.has(key)) duplicates.add(key);
      seen.add(key);
    }
  }
  return duplicates;
}

async function listPartition(
  s: DataPathServices, image: MetadataImage, topic: string, p: ListOffsetsRequestListOffsetsPartition, query: Query,
): Promise<PartitionResponse> {
  const found = s.replicas.lookup(image, topic, p.partitionIndex);
  if (!found.ok) return errorResponse(p.partitionIndex, found.error);
  const partition = found.partition;
  const epochError = partition.checkLeaderEpoch(p.currentLeaderEpoch, query.requireLeader);
  if (epochError !== ErrorCode.NONE) return errorResponse(p.partitionIndex, epochError);
  try {
    return await partitionOffsets(partition, p, query);
  } catch (err) {
    return errorResponse(p.partitionIndex, partition.storageErrorCode(err));
  }
}

async function partitionOffsets(partition: Partition, p: ListOffsetsRequestListOffsetsPartition, query: Query): Promise<PartitionResponse> {
  if (query.version === 0) return { ...errorResponse(p.partitionIndex, ErrorCode.NONE), oldStyleOffsets: await legacyOffsets(partition, p, query.isolation) };
  const answer = await offsetFor(partition, p.timestamp, query.isolation);
  const mayBeHidden = p.timestamp === LATEST_TIMESTAMP || (p.timestamp >= 0 && answer === null);
  if (mayBeHidden && partition.offsetsUnavailable(query.isolation)) return errorResponse(p.partitionIndex, ErrorCode.OFFSET_NOT_AVAILABLE);
  return {
    ...errorResponse(p.partitionIndex, ErrorCode.NONE),
    timestamp: answer?.timestamp ?? -1,
    offset: answer?.offset ?? -1,
    leaderEpoch: answer?.leaderEpoch ?? -1,
  };
}

async function offsetFor(partition: Partition, timestamp: number, isolation: Isolation): Promise<TimestampAndOffset | null> {
  switch (timestamp) {
    case LATEST_TIMESTAMP:
      return { timestamp: -1, offset: partition.fetchableEnd(isolation), leaderEpoch: partition.leaderEpoch };
    case EARLIEST_TIMESTAMP:
    case EARLIEST_LOCAL_TIMESTAMP:
      return partition.log.offsetForTimestamp(EARLIEST_TIMESTAMP);
    case MAX_TIMESTAMP:
      return partition.maxTimestampOffset(isolation);
    case LATEST_TIERED_TIMESTAMP:
      return null;
    default:
      return partition.offsetForTimestamp(timestamp, isolation);
  }
}

async function legacyOffsets(partition: Partition, p: ListOffsetsRequestListOffsetsPartition, isolation: Isolation): Promise<number[]> {
  const start = partition.logStartOffset;
  let offsets: number[];
  if (p.timestamp === LATEST_TIMESTAMP) offsets = [...new Set([partition.fetchableEnd(isolation), start])];
  else if (p.timestamp === EARLIEST_TIMESTAMP) offsets = [start];
  else offsets = [(await partition.offsetForTimestamp(p.timestamp, isolation))?.offset ?? partition.fetchableEnd(isolation)];
  return offsets.slice(0, Math.max(0, p.maxNumOffsets));
}

function errorResponse(partitionIndex: number, errorCode: ErrorCodeValue): PartitionResponse {
  return { partitionIndex, errorCode, oldStyleOffsets: [], timestamp: -1, offset: -1, leaderEpoch: -1 };
}
