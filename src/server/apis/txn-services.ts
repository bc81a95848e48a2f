/**
 * What the transaction handlers (AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit, WriteTxnMarkers, DescribeTransactions, ListTransactions,
 * DescribeProducers) need; BrokerServices is a structural superset.
 */
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
