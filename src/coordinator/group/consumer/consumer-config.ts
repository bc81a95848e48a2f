/** Settings of consumer-protocol (KIP-848) groups, read once from the broker config. */
import type { BrokerConfig } from '../../../config/broker-config.ts';

export interface ConsumerGroupConfig {
  readonly sessionTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxSize: number;
  /** Server assignors offered; the first is the default. */
  readonly assignors: readonly string[];
}

export function consumerGroupConfigFrom(config: BrokerConfig): ConsumerGroupConfig {
  return {
    sessionTimeoutMs: config.getNumber('group.consumer.session.timeout.ms'),
    heartbeatIntervalMs: config.getNumber('group.consumer.heartbeat.interval.ms'),
    maxSize: config.getNumber('group.consumer.max.size'),
    assignors: config.getList('group.consumer.assignors'),
  };
}

/** Kafka's defaults, for shards built without a broker config (tests). */
export const DEFAULT_CONSUMER_GROUP_CONFIG: ConsumerGroupConfig = {
  sessionTimeoutMs: 45_000, heartbeatIntervalMs: 5_000, maxSize: 2 ** 31 - 1, assignors: ['uniform', 'range'],
};
