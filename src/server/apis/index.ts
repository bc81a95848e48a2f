/**
 * Every request handler a broker registers, built from its services. ApiVersions is not
 * listed: it is made from the finished registry (src/broker.ts), so it advertises exactly
 * what is here.
 */
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { createCreateAclsHandler, createDeleteAclsHandler, createDescribeAclsHandler } from './acls-without-authorizer.ts';
import { createAddOffsetsToTxnHandler } from './add-offsets-to-txn.ts';
import { createAddPartitionsToTxnHandler } from './add-partitions-to-txn.ts';
import { createAlterClientQuotasHandler } from './alter-client-quotas.ts';
import { createAlterConfigsHandler } from './alter-configs.ts';
import { createCreatePartitionsHandler } from './create-partitions.ts';
import { createCreateTopicsHandler } from './create-topics.ts';
import { createDeleteGroupsHandler } from './delete-groups.ts';
import { createConsumerGroupDescribeHandler } from './consumer-group-describe.ts';
import { createConsumerGroupHeartbeatHandler } from './consumer-group-heartbeat.ts';
import { createDeleteRecordsHandler } from './delete-records.ts';
import { createDeleteTopicsHandler } from './delete-topics.ts';
import { createDescribeClientQuotasHandler } from './describe-client-quotas.ts';
import { createDescribeClusterHandler } from './describe-cluster.ts';
import { createDescribeConfigsHandler } from './describe-configs.ts';
import { createDescribeGroupsHandler } from './describe-groups.ts';
import { createDescribeLogDirsHandler } from './describe-log-dirs.ts';
import { createDescribeProducersHandler } from './describe-producers.ts';
import { createDescribeTopicPartitionsHandler } from './describe-topic-partitions.ts';
import { createDescribeTransactionsHandler } from './describe-transactions.ts';
import { createElectLeadersHandler } from './elect-leaders.ts';
import { createEndTxnHandler } from './end-txn.ts';
import { createFetchHandler } from './fetch.ts';
import { createFindCoordinatorHandler } from './find-coordinator.ts';
import { createHeartbeatHandler } from './heartbeat.ts';
import { createIncrementalAlterConfigsHandler } from './incremental-alter-configs.ts';
import { createInitProducerIdHandler } from './init-producer-id.ts';
import { createJoinGroupHandler } from './join-group.ts';
import { createLeaveGroupHandler } from './leave-group.ts';
import { createListGroupsHandler } from './list-groups.ts';
import { createListOffsetsHandler } from './list-offsets.ts';
import { createListTransactionsHandler } from './list-transactions.ts';
import { createMetadataHandler } from './metadata.ts';
import { createOffsetCommitHandler } from './offset-commit.ts';
import { createOffsetDeleteHandler } from './offset-delete.ts';
import { createOffsetFetchHandler } from './offset-fetch.ts';
import { createOffsetForLeaderEpochHandler } from './offset-for-leader-epoch.ts';
import { createAlterPartitionReassignmentsHandler, createListPartitionReassignmentsHandler } from './partition-reassignments.ts';
import { createProduceHandler } from './produce.ts';
import { createSyncGroupHandler } from './sync-group.ts';
import { createTxnOffsetCommitHandler } from './txn-offset-commit.ts';
import { createWriteTxnMarkersHandler } from './write-txn-markers.ts';

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
    createDescribeTopicPartitionsHandler(services),
    createElectLeadersHandler(services),
    createAlterPartitionReassignmentsHandler(services),
    createListPartitionReassignmentsHandler(),
    createOffsetForLeaderEpochHandler(services),
    createFindCoordinatorHandler(services),
    createJoinGroupHandler(services),
    createSyncGroupHandler(services),
    createHeartbeatHandler(services),
    createLeaveGroupHandler(services),
    createOffsetCommitHandler(services),
    createOffsetFetchHandler(services),
    createOffsetDeleteHandler(services),
    createDescribeGroupsHandler(services),
    createListGroupsHandler(services),
    createDeleteGroupsHandler(services),
    createConsumerGroupHeartbeatHandler(services),
    createConsumerGroupDescribeHandler(services),
    createAlterConfigsHandler(services),
    createIncrementalAlterConfigsHandler(services),
    createDescribeClientQuotasHandler(services),
    createAlterClientQuotasHandler(services),
    createDescribeAclsHandler(),
    createCreateAclsHandler(),
    createDeleteAclsHandler(),
    createInitProducerIdHandler(services),
    createAddPartitionsToTxnHandler(services),
    createAddOffsetsToTxnHandler(services),
    createEndTxnHandler(services),
    createTxnOffsetCommitHandler(services),
    createWriteTxnMarkersHandler(services),
    createDescribeTransactionsHandler(services),
    createListTransactionsHandler(services),
    createDescribeProducersHandler(services),
  ];
}
