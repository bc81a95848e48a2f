/**
 * Broker keys of the group and transaction coordinators, the internal topics they use,
 * producer-id expiry, follower replication and share groups (Kafka's names and 4.0 defaults).
 */
import type { ConfigDef } from './config-types.ts';
import { define, INT_MAX } from './define.ts';
import { atLeast, listOf } from './config-values.ts';

const GROUP_DEFS: readonly ConfigDef[] = [
  define('offsets.topic.num.partitions', 'INT', '50', atLeast(1), 'Partition count of __consumer_offsets (fixed once created).'),
  define('offsets.topic.replication.factor', 'SHORT', '3', atLeast(1), 'Replication factor of __consumer_offsets; capped to the live brokers when created.'),
  define('offsets.topic.segment.bytes', 'INT', '104857600', atLeast(1), 'Segment size of __consumer_offsets.'),
  define('offsets.topic.compression.codec', 'INT', '0', atLeast(0), 'Codec id used for writes to __consumer_offsets (0 = none).'),
  define('offsets.retention.minutes', 'INT', '10080', atLeast(1), 'Committed offsets of an empty group are dropped after this many minutes.'),
  define('offsets.retention.check.interval.ms', 'LONG', '600000', atLeast(1), 'How often expired offsets are looked for.'),
  define('offsets.commit.timeout.ms', 'INT', '5000', atLeast(1), 'How long an offset commit waits for its write to replicate.'),
  define('offsets.load.buffer.size', 'INT', '5242880', atLeast(1), 'Read size when loading __consumer_offsets into memory.'),
  define('offset.metadata.max.bytes', 'INT', '4096', undefined, 'Largest metadata string accepted with an offset commit.'),
  define('group.initial.rebalance.delay.ms', 'INT', '3000', undefined, 'Wait for more members before the first rebalance of an empty classic group.'),
  define('group.min.session.timeout.ms', 'INT', '6000', undefined, 'Smallest session timeout a classic group member may ask for.'),
  define('group.max.session.timeout.ms', 'INT', '1800000', undefined, 'Largest session timeout a classic group member may ask for.'),
  define('group.max.size', 'INT', INT_MAX, atLeast(1), 'Most members in one classic group.'),
  define('group.coordinator.rebalance.protocols', 'LIST', 'classic,consumer', listOf(['classic', 'consumer', 'share', 'streams']), 'Group protocols the coordinator serves.'),
  define('group.consumer.session.timeout.ms', 'INT', '45000', atLeast(1), 'Session timeout of consumer-protocol (KIP-848) members.'),
  define('group.consumer.min.session.timeout.ms', 'INT', '45000', atLeast(1), 'Smallest consumer-protocol session timeout.'),
  define('group.consumer.max.session.timeout.ms', 'INT', '60000', atLeast(1), 'Largest consumer-protocol session timeout.'),
  define('group.consumer.heartbeat.interval.ms', 'INT', '5000', atLeast(1), 'Heartbeat interval given to consumer-protocol members.'),
  define('group.consumer.min.heartbeat.interval.ms', 'INT', '5000', atLeast(1), 'Smallest consumer-protocol heartbeat interval.'),
  define('group.consumer.max.heartbeat.interval.ms', 'INT', '15000', atLeast(1), 'Largest consumer-protocol heartbeat interval.'),
  define('group.consumer.max.size', 'INT', INT_MAX, atLeast(1), 'Most members in one consumer-protocol group.'),
  define('group.consumer.assignors', 'LIST', 'uniform,range', undefined, 'Server-side assignors of the consumer protocol; the first is the default.'),
];

const TRANSACTION_DEFS: readonly ConfigDef[] = [
  define('transaction.max.timeout.ms', 'INT', '900000', atLeast(1), 'Largest transaction timeout a producer may ask for; larger gives INVALID_TRANSACTION_TIMEOUT.'),
  define('transaction.state.log.num.partitions', 'INT', '50', atLeast(1), 'Partition count of __transaction_state.'),
  define('transaction.state.log.replication.factor', 'SHORT', '3', atLeast(1), 'Replication factor of __transaction_state; capped to the live brokers when created.'),
  define('transaction.state.log.min.isr', 'INT', '2', atLeast(1), 'min.insync.replicas of __transaction_state.'),
  define('transaction.state.log.segment.bytes', 'INT', '104857600', atLeast(1), 'Segment size of __transaction_state.'),
  define('transaction.state.log.load.buffer.size', 'INT', '5242880', atLeast(1), 'Read size when loading __transaction_state.'),
  define('transactional.id.expiration.ms', 'INT', '604800000', atLeast(1), 'A transactional id with no activity for this long is forgotten.'),
  define('transaction.abort.timed.out.transaction.cleanup.interval.ms', 'INT', '10000', atLeast(1), 'How often timed-out transactions are aborted.'),
  define('transaction.remove.expired.transaction.cleanup.interval.ms', 'INT', '3600000', atLeast(1), 'How often expired transactional ids are removed.'),
  define('transaction.partition.verification.enable', 'BOOLEAN', 'true', undefined, 'Check that a partition was added to the transaction before accepting transactional writes.'),
  define('producer.id.expiration.ms', 'INT', '86400000', atLeast(1), 'Idempotent producer state with no writes for this long is dropped.'),
  define('producer.id.expiration.check.interval.ms', 'INT', '600000', atLeast(1), 'How often expired producer ids are looked for.'),
];

const REPLICATION_DEFS: readonly ConfigDef[] = [
  define('num.replica.fetchers', 'INT', '1', atLeast(1), 'Fetcher connections per source broker for follower replication.'),
  define('replica.lag.time.max.ms', 'LONG', '30000', undefined, 'A follower that has not caught up for this long is removed from the ISR.'),
  define('replica.fetch.max.bytes', 'INT', '1048576', atLeast(0), 'Bytes per partition a follower fetch asks for.'),
  define('replica.fetch.min.bytes', 'INT', '1', undefined, 'Bytes a follower fetch waits for.'),
  define('replica.fetch.wait.max.ms', 'INT', '500', undefined, 'Longest wait of a follower fetch.'),
  define('replica.fetch.backoff.ms', 'INT', '1000', atLeast(0), 'Pause after a failed follower fetch.'),
  define('replica.fetch.response.max.bytes', 'INT', '10485760', atLeast(0), 'Bytes a whole follower fetch response may hold.'),
  define('replica.socket.timeout.ms', 'INT', '30000', undefined, 'Socket timeout of follower fetch connections.'),
  define('replica.socket.receive.buffer.bytes', 'INT', '65536', undefined, 'SO_RCVBUF of follower fetch connections.'),
  define('replica.high.watermark.checkpoint.interval.ms', 'LONG', '5000', undefined, 'How often high watermarks are checkpointed.'),
  define('replica.selector.class', 'STRING', null, undefined, 'Java class choosing a preferred read replica; not supported by Gregor.', { unused: true }),
  define('fetch.purgatory.purge.interval.requests', 'INT', '1000', undefined, 'Kafka purgatory tuning; unused by Gregor.', { unused: true }),
  define('producer.purgatory.purge.interval.requests', 'INT', '1000', undefined, 'Kafka purgatory tuning; unused by Gregor.', { unused: true }),
];

const SHARE_DEFS: readonly ConfigDef[] = [
  define('share.coordinator.state.topic.num.partitions', 'INT', '50', atLeast(1), 'Partition count of __share_group_state; Gregor has no share groups yet.', { unused: true }),
  define('share.coordinator.state.topic.replication.factor', 'SHORT', '3', atLeast(1), 'Replication factor of __share_group_state; unused by Gregor.', { unused: true }),
  define('share.coordinator.state.topic.min.isr', 'SHORT', '2', atLeast(1), 'min.insync.replicas of __share_group_state; unused by Gregor.', { unused: true }),
];

export const COORDINATION_CONFIG_DEFS: readonly ConfigDef[] = [...GROUP_DEFS, ...TRANSACTION_DEFS, ...REPLICATION_DEFS, ...SHARE_DEFS];
