/**
 * The CLI's Kafka client, for reuse (web console, tests): re-exports only.
 */
export { ADMIN_TIMEOUT_MS, ConfigSource, ResourceType, createTopic, deleteTopic, describeTopicConfigs } from './admin.ts';
export type { ConfigEntry, CreatedTopic, NewTopic } from './admin.ts';
export * from './api-calls.ts';
export type { BrokerAddress, ClusterMetadata, PartitionMetadata, TopicMetadata } from './cluster-metadata.ts';
export { CONNECTION_DEFAULTS, KafkaConnection } from './connection.ts';
export type { ConnectionOptions } from './connection.ts';
export { CONSUMER_DEFAULTS, PartitionConsumer, recordsOf } from './consumer.ts';
export type { ConsumedRecord, ConsumerOptions, FetchedBatch } from './consumer.ts';
export { KafkaClient, parseHostPort } from './kafka-client.ts';
export type { ClientOptions, HostPort } from './kafka-client.ts';
export { ConnectionError, KafkaResponseError, isRetriableFailure, throwIfError } from './kafka-error.ts';
export { murmur2, partitionForKey, toPositive } from './murmur2.ts';
export { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from './offsets.ts';
export { DefaultPartitioner } from './partitioner.ts';
export { PRODUCER_DEFAULTS, Producer } from './producer.ts';
export type { BatchFailure, ProduceSummary, ProducerOptions } from './producer.ts';
