/**
 * Creation specs of the broker's own topics, __consumer_offsets and __transaction_state,
 * with the configs Kafka gives them (compacted, their own segment size, ...).
 *
 * Deviation from Kafka, on purpose: Kafka refuses to create these topics until as many
 * brokers as offsets.topic.replication.factor / transaction.state.log.replication.factor
 * (default 3) are registered, so a lone broker with default settings never serves groups
 * or transactions. Gregor caps the replication factor at the number of registered brokers
 * (and min.insync.replicas at that factor), so `gregor start` works out of the box; with
 * enough brokers the result is exactly Kafka's.
 */
import type { BrokerConfig } from '../config/broker-config.ts';
import type { CreateTopicSpec } from './metadata-store.ts';
import { CONSUMER_OFFSETS_TOPIC, TRANSACTION_STATE_TOPIC } from './topic-names.ts';

export function consumerOffsetsTopicSpec(config: BrokerConfig, registeredBrokers: number): CreateTopicSpec {
  return {
    name: CONSUMER_OFFSETS_TOPIC,
    numPartitions: config.offsetsTopicNumPartitions,
    replicationFactor: cappedReplicationFactor(config.offsetsTopicReplicationFactor, registeredBrokers),
    configs: {
      'cleanup.policy': 'compact',
      'compression.type': 'producer',
      'segment.bytes': String(config.getNumber('offsets.topic.segment.bytes')),
    },
  };
}

export function transactionStateTopicSpec(config: BrokerConfig, registeredBrokers: number): CreateTopicSpec {
  const replicationFactor = cappedReplicationFactor(config.transactionStateLogReplicationFactor, registeredBrokers);
  return {
    name: TRANSACTION_STATE_TOPIC,
    numPartitions: config.transactionStateLogNumPartitions,
    replicationFactor,
    configs: {
      'cleanup.policy': 'compact',
      'compression.type': 'uncompressed',
      'min.insync.replicas': String(Math.min(config.transactionStateLogMinIsr, replicationFactor)),
      'segment.bytes': String(config.getNumber('transaction.state.log.segment.bytes')),
      'unclean.leader.election.enable': 'false',
    },
  };
}

function cappedReplicationFactor(configured: number, registeredBrokers: number): number {
  return Math.max(1, Math.min(configured, registeredBrokers));
}
