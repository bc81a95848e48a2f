/**
 * BrokerServices: everything a request handler may use, built once per broker by
 * src/broker.ts and handed to each handler factory in src/server/apis/. One object, so a
 * handler's dependencies are visible in its factory's parameter type (handlers declare
 * the subset they need with Pick<BrokerServices, ...> where that keeps tests small).
 *
 * Ownership: the metadata store owns the cluster image, the log manager owns the logs,
 * the replica manager owns partition state; handlers only call them.
 */
import type { Clock } from '../clock.ts';
import type { MetadataStore } from '../cluster/metadata-store.ts';
import type { BrokerConfig } from '../config/broker-config.ts';
import type { GroupCoordinator } from '../coordinator/group/group-coordinator.ts';
import type { TransactionCoordinator } from '../coordinator/txn/txn-coordinator.ts';
import type { ProducerIdManager } from '../coordinator/producer-id/producer-id-manager.ts';
import type { Logger } from '../logger.ts';
import type { ReplicaManager } from '../replication/replica-manager.ts';
import type { LogManager } from '../storage/log-manager.ts';
import type { BrokerQuotas } from './quotas/broker-quotas.ts';

export interface BrokerServices {
  readonly nodeId: number;
  readonly config: BrokerConfig;
  readonly metadata: MetadataStore;
  readonly logs: LogManager;
  readonly replicas: ReplicaManager;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Producer ids for InitProducerId (durable blocks). */
  readonly producerIds: ProducerIdManager;
  /** The group coordinator (classic groups, committed offsets); also the admin APIs' GroupAdminView. */
  readonly groups: GroupCoordinator;
  /** The transaction coordinator (also the data path's TransactionVerifier). */
  readonly transactions: TransactionCoordinator;
  /** Client quotas enforced on Produce and Fetch (src/server/quotas). */
  readonly quotas: BrokerQuotas;
  /**
   * Resolves once every metadata change committed so far has been applied locally (logs
   * created or deleted), so an admin request can answer only when its change is usable.
   */
  metadataApplied(): Promise<void>;
}
