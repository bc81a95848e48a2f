/**
 * Every request handler a broker registers, built from its services. ApiVersions is not
 * listed: it is made from the finished registry (src/broker.ts), so it advertises exactly
 * what is here.
 */
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { createAlterConfigsHandler } from './alter-configs.ts';
import { createCreatePartitionsHandler } from './create-partitions.ts';
import { createCreateTopicsHandler } from './create-topics.ts';
import { createDeleteRecordsHandler } from './delete-records.ts';
import { createDeleteTopicsHandler } from './delete-topics.ts';
import { createDescribeClusterHandler } from './describe-cluster.ts';
import { createDescribeConfigsHandler } from './describe-configs.ts';
import { createDescribeLogDirsHandler } from './describe-log-dirs.ts';
import { createFetchHandler } from './fetch.ts';
import { createIncrementalAlterConfigsHandler } from './incremental-alter-configs.ts';
import { createInitProducerIdHandler } from './init-producer-id.ts';
import { createListOffsetsHandler } from './list-offsets.ts';
import { createMetadataHandler } from './metadata.ts';
import { createOffsetForLeaderEpochHandler } from './offset-for-leader-epoch.ts';
import { createProduceHandler } from './produce.ts';

export function createBrokerHandlers(services: BrokerServices): ApiHandler[] {
  return [
    createProduceHandler(services),
    createFetchHandler(services),
    createListOffsetsHandler(services),
    createMetadataHandler(services),
    createCreateTopicsHandler(services),
    createDeleteTopicsHandler(services),
    createCreatePartitionsHandler(services),
    createDescribeClusterHandler(services),
    createDescribeConfigsHandler(services),
    createDeleteRecordsHandler(services),
    createDescribeLogDirsHandler(services),
    createOffsetForLeaderEpochHandler(services),
    createAlterConfigsHandler(services),
    createIncrementalAlterConfigsHandler(services),
    createInitProducerIdHandler(services),
  ];
}
