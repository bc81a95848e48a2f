/**
 * What every coordinator backed by an internal topic (groups, transactions) is built from:
 * the broker's config, metadata (to create its topic and follow leadership), the replica
 * manager (to load and append its partitions), the clock and a logger.
 */
import type { Clock } from '../../clock.ts';
import type { MetadataStore } from '../../cluster/metadata-store.ts';
import type { BrokerConfig } from '../../config/broker-config.ts';
import type { Logger } from '../../logger.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';

export interface CoordinatorDeps {
  readonly config: BrokerConfig;
  readonly metadata: Pick<MetadataStore, 'image' | 'onChange' | 'createTopic'>;
  readonly metadataApplied: () => Promise<void>;
  readonly replicas: ReplicaManager;
  /** The broker clock; a ManualScheduler also drives the coordinator's timers (tests). */
  readonly clock: Clock;
  readonly logger: Logger;
}
