/**
 * DescribeProducers (key 61), version 0 (Kafka's ReplicaManager.activeProducerState): the
 * producers with state on each partition this broker leads: id, epoch, last sequence and
 * timestamp, coordinator epoch, first offset of its open transaction (-1 if none).
 * Partitions not led here: NOT_LEADER_OR_FOLLOWER; unknown: UNKNOWN_TOPIC_OR_PARTITION.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { DescribeProducersRequest, DescribeProducersResponse, DescribeProducersResponsePartitionResponse } from '../../protocol/generated/describe-producers.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 0;

type Services = Pick<TxnServices, 'replicas' | 'metadata'>;

export function createDescribeProducersHandler(services: Services): ApiHandler<DescribeProducersRequest, DescribeProducersResponse> {
  return {
    apiKey: ApiKey.DescribeProducers,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({
      throttleTimeMs: 0,
      topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => describe(services, t.name, p)) })),
    }),
  };
}

function describe(s: Services, topic: string, partitionIndex: number): DescribeProducersResponsePartitionResponse {
  const found = s.replicas.lookup(s.metadata.image(), topic, partitionIndex);
  const error = !found.ok ? found.error : found.partition.isLeader ? ErrorCode.NONE : ErrorCode.NOT_LEADER_OR_FOLLOWER;
  if (!found.ok || error !== ErrorCode.NONE) return { partitionIndex, errorCode: error, errorMessage: null, activeProducers: [] };
  const activeProducers = [...found.partition.log.producerState.activeProducers().values()].map((e) => ({
    producerId: e.producerId, producerEpoch: e.producerEpoch, lastSequence: e.lastSeq, lastTimestamp: e.lastTimestamp,
    coordinatorEpoch: e.coordinatorEpoch, currentTxnStartOffset: e.currentTxnFirstOffset,
  }));
  return { partitionIndex, errorCode: ErrorCode.NONE, errorMessage: null, activeProducers };
}
