/**
 * The Kafka APIs the client speaks, each with the version range this client can handle.
 * The request and response codecs are the generated ones; a connection picks
 * min(our max, broker's max) per API and refuses when the ranges do not overlap.
 *
 * Minimum versions are where the semantics the client relies on begin: Produce 3 and
 * Fetch 4 carry v2 record batches, Metadata 1 has "null = all topics", CreateTopics 4
 * accepts -1 for "broker default" partitions and replication factor. Group calls: FindCoordinator
 * 1-3 (one key with its type; v4+ batches keys), OffsetFetch 2-7 (one group, null topics =
 * all; v8+ batches groups), OffsetCommit 2+ (admin commits: generation -1, no member).
 */
import type { Reader } from '../../protocol/reader.ts';
import type { Writer } from '../../protocol/writer.ts';
import * as apiVersions from '../../protocol/generated/api-versions.ts';
import * as createTopics from '../../protocol/generated/create-topics.ts';
import * as deleteGroups from '../../protocol/generated/delete-groups.ts';
import * as deleteRecords from '../../protocol/generated/delete-records.ts';
import * as deleteTopics from '../../protocol/generated/delete-topics.ts';
import * as describeConfigs from '../../protocol/generated/describe-configs.ts';
import * as describeGroups from '../../protocol/generated/describe-groups.ts';
import * as describeTransactions from '../../protocol/generated/describe-transactions.ts';
import * as fetch from '../../protocol/generated/fetch.ts';
import * as findCoordinator from '../../protocol/generated/find-coordinator.ts';
import * as incrementalAlterConfigs from '../../protocol/generated/incremental-alter-configs.ts';
import * as listGroups from '../../protocol/generated/list-groups.ts';
import * as listOffsets from '../../protocol/generated/list-offsets.ts';
import * as listTransactions from '../../protocol/generated/list-transactions.ts';
import * as metadata from '../../protocol/generated/metadata.ts';
import * as offsetCommit from '../../protocol/generated/offset-commit.ts';
import * as offsetFetch from '../../protocol/generated/offset-fetch.ts';
import * as produce from '../../protocol/generated/produce.ts';

/** `In` is what the encoder accepts (the generated `Input<Request>`), `Res` the decoded response. */
export interface ApiCall<In, Res> {
  key: number;
  name: string;
  minVersion: number;
  maxVersion: number;
  encodeRequest(w: Writer, version: number, message: In): void;
  decodeResponse(r: Reader, version: number): Res;
}

interface ApiMeta {
  key: number;
  name: string;
  maxVersion: number;
}

function call<In, Res>(
  api: ApiMeta,
  minVersion: number | { min: number; max: number },
  encodeRequest: (w: Writer, version: number, message: In) => void,
  decodeResponse: (r: Reader, version: number) => Res,
): ApiCall<In, Res> {
  const range = typeof minVersion === 'number' ? { min: minVersion, max: api.maxVersion } : minVersion;
  return { key: api.key, name: api.name, minVersion: range.min, maxVersion: range.max, encodeRequest, decodeResponse };
}

export const ApiVersionsCall = call(apiVersions.API_VERSIONS_API, 0,
  apiVersions.encodeApiVersionsRequest, apiVersions.decodeApiVersionsResponse);
export const MetadataCall = call(metadata.METADATA_API, 1,
  metadata.encodeMetadataRequest, metadata.decodeMetadataResponse);
export const ProduceCall = call(produce.PRODUCE_API, 3,
  produce.encodeProduceRequest, produce.decodeProduceResponse);
export const FetchCall = call(fetch.FETCH_API, 4,
  fetch.encodeFetchRequest, fetch.decodeFetchResponse);
export const ListOffsetsCall = call(listOffsets.LIST_OFFSETS_API, 1,
  listOffsets.encodeListOffsetsRequest, listOffsets.decodeListOffsetsResponse);
export const CreateTopicsCall = call(createTopics.CREATE_TOPICS_API, 4,
  createTopics.encodeCreateTopicsRequest, createTopics.decodeCreateTopicsResponse);
export const DeleteTopicsCall = call(deleteTopics.DELETE_TOPICS_API, 1,
  deleteTopics.encodeDeleteTopicsRequest, deleteTopics.decodeDeleteTopicsResponse);
export const DescribeConfigsCall = call(describeConfigs.DESCRIBE_CONFIGS_API, 1,
  describeConfigs.encodeDescribeConfigsRequest, describeConfigs.decodeDescribeConfigsResponse);
export const FindCoordinatorCall = call(findCoordinator.FIND_COORDINATOR_API, { min: 1, max: 3 },
  findCoordinator.encodeFindCoordinatorRequest, findCoordinator.decodeFindCoordinatorResponse);
export const ListGroupsCall = call(listGroups.LIST_GROUPS_API, 0,
  listGroups.encodeListGroupsRequest, listGroups.decodeListGroupsResponse);
export const DescribeGroupsCall = call(describeGroups.DESCRIBE_GROUPS_API, 0,
  describeGroups.encodeDescribeGroupsRequest, describeGroups.decodeDescribeGroupsResponse);
export const DeleteGroupsCall = call(deleteGroups.DELETE_GROUPS_API, 0,
  deleteGroups.encodeDeleteGroupsRequest, deleteGroups.decodeDeleteGroupsResponse);
export const OffsetFetchCall = call(offsetFetch.OFFSET_FETCH_API, { min: 2, max: 7 },
  offsetFetch.encodeOffsetFetchRequest, offsetFetch.decodeOffsetFetchResponse);
export const OffsetCommitCall = call(offsetCommit.OFFSET_COMMIT_API, 2,
  offsetCommit.encodeOffsetCommitRequest, offsetCommit.decodeOffsetCommitResponse);
export const IncrementalAlterConfigsCall = call(incrementalAlterConfigs.INCREMENTAL_ALTER_CONFIGS_API, 0,
  incrementalAlterConfigs.encodeIncrementalAlterConfigsRequest, incrementalAlterConfigs.decodeIncrementalAlterConfigsResponse);
export const DeleteRecordsCall = call(deleteRecords.DELETE_RECORDS_API, 0,
  deleteRecords.encodeDeleteRecordsRequest, deleteRecords.decodeDeleteRecordsResponse);
export const ListTransactionsCall = call(listTransactions.LIST_TRANSACTIONS_API, 0,
  listTransactions.encodeListTransactionsRequest, listTransactions.decodeListTransactionsResponse);
export const DescribeTransactionsCall = call(describeTransactions.DESCRIBE_TRANSACTIONS_API, 0,
  describeTransactions.encodeDescribeTransactionsRequest, describeTransactions.decodeDescribeTransactionsResponse);
