/**
 * OffsetForLeaderEpoch (key 23), versions 0-4, as Kafka's Partition.lastOffsetForLeaderEpoch:
 * per partition, where the requested leader epoch ends in this leader's log, answered from
 * the leader-epoch cache kept with the log:
 *   - the latest epoch -> (epoch, log end offset);
 *   - an older epoch -> (largest epoch <= it, start offset of the next higher epoch);
 *   - an epoch newer than all, -1, or an empty cache -> (UNDEFINED_EPOCH -1,
 *     UNDEFINED_EPOCH_OFFSET -1) with NONE.
 * Errors: UNKNOWN_TOPIC_OR_PARTITION, NOT_LEADER_OR_FOLLOWER (only the leader answers,
 * except to the debugging replica id -2), FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH when
 * currentLeaderEpoch (v2+, -1 = unchecked) is older / newer than this broker's.
 * replicaId (v3+) names a follower; consumers send -1. Followers get the same answer
 * (their truncation uses it when replication lands).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type {
  OffsetForLeaderEpochRequest,
  OffsetForLeaderEpochRequestOffsetForLeaderPartition as PartitionRequest,
  OffsetForLeaderEpochResponse,
  OffsetForLeaderEpochResponseEpochEndOffset as EpochEndOffset,
} from '../../protocol/generated/offset-for-leader-epoch.ts';
import type { DataPathServices } from '../../replication/services.ts';
import { UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET } from '../../storage/leader-epoch-cache.ts';
import type { ApiHandler } from '../api-handler.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

/** Replica id of a debugging tool: may ask a follower. */
const DEBUGGING_REPLICA_ID = -2;

type Services = Pick<DataPathServices, 'replicas' | 'metadata'>;

export function createOffsetForLeaderEpochHandler(services: Services): ApiHandler<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
  return {
    apiKey: ApiKey.OffsetForLeaderEpoch,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle(request) {
      const requireLeader = request.replicaId !== DEBUGGING_REPLICA_ID;
      const topics = request.topics.map((topic) => ({
        topic: topic.topic,
        partitions: topic.partitions.map((p) => endOffsetFor(services, topic.topic, p, requireLeader)),
      }));
      return { throttleTimeMs: 0, topics };
    },
  };
}

function endOffsetFor(services: Services, topic: string, p: PartitionRequest, requireLeader: boolean): EpochEndOffset {
  const found = services.replicas.lookup(services.metadata.image(), topic, p.partition);
  if (!found.ok) return failed(p.partition, found.error);
  const epochError = found.partition.checkLeaderEpoch(p.currentLeaderEpoch, requireLeader);
  if (epochError !== ErrorCode.NONE) return failed(p.partition, epochError);
  const end = found.partition.log.endOffsetForEpoch(p.leaderEpoch);
  return { errorCode: ErrorCode.NONE, partition: p.partition, leaderEpoch: end.epoch, endOffset: end.endOffset };
}

function failed(partition: number, errorCode: ErrorCodeValue): EpochEndOffset {
  return { errorCode, partition, leaderEpoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
}
