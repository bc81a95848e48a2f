/**
 * WriteTxnMarkers (key 27), versions 0-1: the transaction coordinator asks a partition
 * leader to append COMMIT/ABORT markers (coordinator/txn/txn-markers.ts). Per partition:
 * NOT_LEADER_OR_FOLLOWER / UNKNOWN_TOPIC_OR_PARTITION as the data path answers, the
 * producer-state checks' errors (TRANSACTION_COORDINATOR_FENCED, INVALID_PRODUCER_EPOCH).
 * A marker on a __consumer_offsets partition resolves the transaction's pending offsets
 * there. On one node the coordinator calls the same code in-process.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { WriteTxnMarkersRequest, WriteTxnMarkersResponse } from '../../protocol/generated/write-txn-markers.ts';
import { writeMarker, type MarkerPartition, type TxnMarker } from '../../coordinator/txn/txn-markers.ts';
import { offsetsMarkerWritten } from '../../coordinator/group/txn-offsets.ts';
import { TXN_WRITE_TIMEOUT_MS } from '../../coordinator/txn/txn-coordinator.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;

type Services = Pick<TxnServices, 'replicas' | 'groups'>;

export function createWriteTxnMarkersHandler(services: Services): ApiHandler<WriteTxnMarkersRequest, WriteTxnMarkersResponse> {
  return {
    apiKey: ApiKey.WriteTxnMarkers,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (request) => ({
      markers: await Promise.all(request.markers.map(async (m) => {
        const marker: TxnMarker = { producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch, commit: m.transactionResult };
        const opts = { replicas: services.replicas, nowMs: services.replicas.clock.now(), timeoutMs: TXN_WRITE_TIMEOUT_MS, onWritten: (p: MarkerPartition) => offsetsMarkerWritten(services.groups.runtime, p.topic, p.partition, m.producerId, m.transactionResult) };
        return {
          producerId: m.producerId,
          topics: await Promise.all(m.topics.map(async (t) => ({
            name: t.name,
            partitions: await Promise.all(t.partitionIndexes.map(async (p) => ({ partitionIndex: p, errorCode: await writeMarker({ topic: t.name, partition: p }, marker, opts) }))),
          }))),
        };
      })),
    }),
  };
}
