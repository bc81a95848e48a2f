/**
 * DataPathServices: what the Produce, Fetch and ListOffsets handlers need. The broker's
 * BrokerServices (src/server/broker-services.ts) is a structural superset once it holds
 * the ReplicaManager as `replicas`.
 */
import type { Clock } from '../clock.ts';
import type { MetadataStore } from '../cluster/metadata-store.ts';
import type { BrokerConfig } from '../config/broker-config.ts';
import type { Logger } from '../logger.ts';
import type { ReplicaManager } from './replica-manager.ts';

export interface DataPathServices {
  readonly replicas: ReplicaManager;
  /** Only the current image is read on the data path. */
  readonly metadata: Pick<MetadataStore, 'image'>;
  readonly config: BrokerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
}
