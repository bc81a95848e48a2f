/**
 * What the transaction handlers (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit, WriteTxnMarkers, DescribeTransactions, ListTransactions,
 * DescribeProducers) need; BrokerServices is a structural superset.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { MetadataStore } from '../../cluster/metadata-store.ts';
import type { GroupCoordinator } from '../../coordinator/group/group-coordinator.ts';
import type { TransactionCoordinator } from '../../coordinator/txn/txn-coordinator.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';

export interface TxnServices {
  readonly transactions: TransactionCoordinator;
  readonly metadata: Pick<MetadataStore, 'image'>;
  readonly replicas: ReplicaManager;
  readonly groups: GroupCoordinator;
}

/**
 * KIP-588: PRODUCER_FENCED exists only from these versions on; older clients get
 * INVALID_PRODUCER_EPOCH for it (as Kafka's handlers map it).
 */
export const PRODUCER_FENCED_MIN_VERSION = {
  InitProducerId: 4, AddPartitionsToTxn: 2, AddOffsetsToTxn: 2, EndTxn: 2, TxnOffsetCommit: 3,
} as const;

export function fencedForVersion(error: ErrorCodeValue, version: number, minVersion: number): ErrorCodeValue {
  return error === ErrorCode.PRODUCER_FENCED && version < minVersion ? ErrorCode.INVALID_PRODUCER_EPOCH : error;
}
