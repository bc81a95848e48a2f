/**
 * DeleteRecords (key 21), versions 0-2, as Kafka's ReplicaManager.deleteRecords and
 * Partition.deleteRecordsOnLeader, per partition:
 *   - unknown topic/partition -> UNKNOWN_TOPIC_OR_PARTITION; not the leader ->
 *     NOT_LEADER_OR_FOLLOWER;
 *   - a topic whose cleanup.policy lacks `delete` -> POLICY_VIOLATION;
 *   - offset -1 means "the high watermark"; any other negative offset, or one above the
 *     high watermark -> OFFSET_OUT_OF_RANGE;
 *   - otherwise the log start offset moves up to the offset (never back; segments wholly
 *     below it are deleted) and lowWatermark is the new log start offset.
 * A partition named twice gets the result of its last entry (Kafka keys by partition).
 * Single node: every replica is this one, so the low watermark is reached at once and
 * timeoutMs is never waited for. Failed partitions answer lowWatermark -1.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  DeleteRecordsRequest,
  DeleteRecordsRequestDeleteRecordsPartition as PartitionRequest,
  DeleteRecordsResponse,
  DeleteRecordsResponseDeleteRecordsPartitionResult as PartitionResult,
} from '../../protocol/generated/delete-records.ts';
import type { Partition } from '../../replication/partition.ts';
import type { DataPathServices } from '../../replication/services.ts';
import type { ApiHandler } from '../api-handler.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 2;

/** Kafka's DeleteRecordsRequest.HIGH_WATERMARK: delete everything below the HW. */
export const HIGH_WATERMARK_OFFSET = -1;

type Services = Pick<DataPathServices, 'replicas' | 'metadata' | 'logger'>;

export function createDeleteRecordsHandler(services: Services): ApiHandler<DeleteRecordsRequest, DeleteRecordsResponse> {
  return {
    apiKey: ApiKey.DeleteRecords,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    async handle(request) {
      const topics = await Promise.all(request.topics.map(async (topic) => ({
        name: topic.name,
        partitions: await Promise.all(lastPerPartition(topic.partitions).map((p) => deleteOne(services, topic.name, p))),
      })));
      return { throttleTimeMs: 0, topics };
    },
  };
}

function lastPerPartition(partitions: readonly PartitionRequest[]): PartitionRequest[] {
  return [...new Map(partitions.map((p) => [p.partitionIndex, p])).values()];
}

async function deleteOne(services: Services, topic: string, p: PartitionRequest): Promise<PartitionResult> {
  const found = services.replicas.lookup(services.metadata.image(), topic, p.partitionIndex);
  if (!found.ok) return failed(p.partitionIndex, found.error);
  const partition = found.partition;
  if (!partition.isLeader) return failed(p.partitionIndex, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  if (!partition.log.config.cleanupPolicy.includes('delete')) return failed(p.partitionIndex, ErrorCode.POLICY_VIOLATION);
  const target = p.offset === HIGH_WATERMARK_OFFSET ? partition.highWatermark : p.offset;
  if (target < 0 || target > partition.highWatermark) return failed(p.partitionIndex, ErrorCode.OFFSET_OUT_OF_RANGE);
  try {
    const lowWatermark = await partition.log.deleteRecordsBefore(target);
    services.logger.info({ topic, partition: p.partitionIndex, logStartOffset: lowWatermark }, 'deleted records');
    return { partitionIndex: p.partitionIndex, lowWatermark, errorCode: ErrorCode.NONE };
  } catch (err) {
    return failed(p.partitionIndex, errorFor(partition, err));
  }
}

/** The HW can only grow, so a RangeError here means the log changed under us (truncation). */
function errorFor(partition: Partition, err: unknown): ErrorCodeValue {
  return err instanceof RangeError ? ErrorCode.OFFSET_OUT_OF_RANGE : partition.storageErrorCode(err);
}

function failed(partitionIndex: number, errorCode: ErrorCodeValue): PartitionResult {
  return { partitionIndex, lowWatermark: -1, errorCode };
}
