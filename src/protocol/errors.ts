// The catalogue of Kafka error codes: names and numbers exactly as Kafka's
// org.apache.kafka.common.protocol.Errors (through Kafka 4.1), whether Kafka's client
// treats each as retriable, and a short description in our own words.

interface ErrorInfo {
  code: number;
  retriable: boolean;
  message: string;
}

const CATALOGUE = {
  UNKNOWN_SERVER_ERROR: { code: -1, retriable: false, message: 'The broker hit an unexpected error while handling the request.' },
  NONE: { code: 0, retriable: false, message: 'No error.' },
  OFFSET_OUT_OF_RANGE: { code: 1, retriable: false, message: 'The offset is outside the range the partition currently holds.' },
  CORRUPT_MESSAGE: { code: 2, retriable: true, message: 'The message failed its CRC check, has an invalid size, or is otherwise corrupt.' },
  UNKNOWN_TOPIC_OR_PARTITION: { code: 3, retriable: true, message: 'This broker does not host the topic-partition.' },
  INVALID_FETCH_SIZE: { code: 4, retriable: false, message: 'The requested fetch size is not valid.' },
  LEADER_NOT_AVAILABLE: { code: 5, retriable: true, message: 'The partition has no leader right now (an election is in progress).' },
  NOT_LEADER_OR_FOLLOWER: { code: 6, retriable: true, message: 'This broker is not the leader (or not a replica) of the partition.' },
  REQUEST_TIMED_OUT: { code: 7, retriable: true, message: 'The request did not complete within its timeout.' },
  BROKER_NOT_AVAILABLE: { code: 8, retriable: true, message: 'The broker is not available.' },
  REPLICA_NOT_AVAILABLE: { code: 9, retriable: true, message: 'The replica is not available for the partition.' },
  MESSAGE_TOO_LARGE: { code: 10, retriable: false, message: 'A message or batch is larger than the broker accepts.' },
  STALE_CONTROLLER_EPOCH: { code: 11, retriable: false, message: 'The request came from a controller that is no longer current.' },
  OFFSET_METADATA_TOO_LARGE: { code: 12, retriable: false, message: "The committed offset's metadata string is too long." },
  NETWORK_EXCEPTION: { code: 13, retriable: true, message: 'The connection closed before a response arrived.' },
  COORDINATOR_LOAD_IN_PROGRESS: { code: 14, retriable: true, message: 'The coordinator is still loading its state.' },
  COORDINATOR_NOT_AVAILABLE: { code: 15, retriable: true, message: 'The coordinator is not available.' },
  NOT_COORDINATOR: { code: 16, retriable: true, message: 'This broker is not the coordinator for the group or transaction.' },
  INVALID_TOPIC_EXCEPTION: { code: 17, retriable: false, message: 'The topic name is not valid or the topic cannot be used for this operation.' },
  RECORD_LIST_TOO_LARGE: { code: 18, retriable: false, message: 'The batch is larger than the configured segment size.' },
  NOT_ENOUGH_REPLICAS: { code: 19, retriable: true, message: 'Fewer in-sync replicas than min.insync.replicas; the write was rejected.' },
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: { code: 20, retriable: true, message: 'The write was appended but to fewer in-sync replicas than required.' },
  INVALID_REQUIRED_ACKS: { code: 21, retriable: false, message: "The produce request's acks value is not valid." },
  ILLEGAL_GENERATION: { code: 22, retriable: false, message: 'The group generation in the request is not the current one.' },
  INCONSISTENT_GROUP_PROTOCOL: { code: 23, retriable: false, message: "The member's protocols do not match the group's, or its protocol type or list is empty." },
  INVALID_GROUP_ID: { code: 24, retriable: false, message: 'The group id is not valid.' },
  UNKNOWN_MEMBER_ID: { code: 25, retriable: false, message: 'The coordinator does not know this member id.' },
  INVALID_SESSION_TIMEOUT: { code: 26, retriable: false, message: "The session timeout is outside the broker's allowed range." },
  REBALANCE_IN_PROGRESS: { code: 27, retriable: false, message: 'The group is rebalancing; the member must rejoin.' },
  INVALID_COMMIT_OFFSET_SIZE: { code: 28, retriable: false, message: 'The offset commit data size is not valid.' },
  TOPIC_AUTHORIZATION_FAILED: { code: 29, retriable: false, message: 'The client is not authorized for the topic.' },
  GROUP_AUTHORIZATION_FAILED: { code: 30, retriable: false, message: 'The client is not authorized for the group.' },
  CLUSTER_AUTHORIZATION_FAILED: { code: 31, retriable: false, message: 'The client is not authorized for this cluster operation.' },
  INVALID_TIMESTAMP: { code: 32, retriable: false, message: 'The message timestamp is outside the accepted range.' },
  UNSUPPORTED_SASL_MECHANISM: { code: 33, retriable: false, message: 'The broker does not support this SASL mechanism.' },
  ILLEGAL_SASL_STATE: { code: 34, retriable: false, message: 'The request is not allowed in the current SASL state.' },
  UNSUPPORTED_VERSION: { code: 35, retriable: false, message: 'The broker does not support this API version.' },
  TOPIC_ALREADY_EXISTS: { code: 36, retriable: false, message: 'A topic with this name already exists.' },
  INVALID_PARTITIONS: { code: 37, retriable: false, message: 'The partition count is not valid.' },
  INVALID_REPLICATION_FACTOR: { code: 38, retriable: false, message: 'The replication factor is not valid for the available brokers.' },
  INVALID_REPLICA_ASSIGNMENT: { code: 39, retriable: false, message: 'The replica assignment is not valid.' },
  INVALID_CONFIG: { code: 40, retriable: false, message: 'A configuration value is not valid.' },
  NOT_CONTROLLER: { code: 41, retriable: true, message: 'This broker is not the active controller.' },
  INVALID_REQUEST: { code: 42, retriable: false, message: 'The request is malformed or not valid for this broker.' },
  UNSUPPORTED_FOR_MESSAGE_FORMAT: { code: 43, retriable: false, message: 'The message format in use does not support this request.' },
  POLICY_VIOLATION: { code: 44, retriable: false, message: 'The request violates a configured policy.' },
  OUT_OF_ORDER_SEQUENCE_NUMBER: { code: 45, retriable: false, message: 'The producer sequence number is not the next expected one.' },
  DUPLICATE_SEQUENCE_NUMBER: { code: 46, retriable: false, message: 'The producer sequence number was already written.' },
  INVALID_PRODUCER_EPOCH: { code: 47, retriable: false, message: 'The producer epoch is older than the current one.' },
  INVALID_TXN_STATE: { code: 48, retriable: false, message: "The transactional operation is not valid in the transaction's current state." },
  INVALID_PRODUCER_ID_MAPPING: { code: 49, retriable: false, message: 'The producer id is not the one assigned to this transactional id.' },
  INVALID_TRANSACTION_TIMEOUT: { code: 50, retriable: false, message: 'The transaction timeout exceeds transaction.max.timeout.ms.' },
  CONCURRENT_TRANSACTIONS: { code: 51, retriable: true, message: 'Another operation on this transaction is still in progress.' },
  TRANSACTION_COORDINATOR_FENCED: { code: 52, retriable: false, message: 'The transaction coordinator sending markers is no longer current.' },
  TRANSACTIONAL_ID_AUTHORIZATION_FAILED: { code: 53, retriable: false, message: 'The client is not authorized for the transactional id.' },
  SECURITY_DISABLED: { code: 54, retriable: false, message: 'Security features are turned off.' },
  OPERATION_NOT_ATTEMPTED: { code: 55, retriable: false, message: 'The broker skipped this operation because another one in the batch failed.' },
  KAFKA_STORAGE_ERROR: { code: 56, retriable: true, message: 'A disk error occurred while accessing the log.' },
  LOG_DIR_NOT_FOUND: { code: 57, retriable: false, message: 'The log directory is not configured on the broker.' },
  SASL_AUTHENTICATION_FAILED: { code: 58, retriable: false, message: 'SASL authentication failed.' },
  UNKNOWN_PRODUCER_ID: { code: 59, retriable: false, message: 'The broker has no state for this producer id (for example after retention removed its records).' },
  REASSIGNMENT_IN_PROGRESS: { code: 60, retriable: false, message: 'A partition reassignment is in progress.' },
  DELEGATION_TOKEN_AUTH_DISABLED: { code: 61, retriable: false, message: 'Delegation tokens are not enabled.' },
  DELEGATION_TOKEN_NOT_FOUND: { code: 62, retriable: false, message: 'The delegation token does not exist.' },
  DELEGATION_TOKEN_OWNER_MISMATCH: { code: 63, retriable: false, message: "The principal is not the token's owner or renewer." },
  DELEGATION_TOKEN_REQUEST_NOT_ALLOWED: { code: 64, retriable: false, message: 'Delegation token requests are not allowed on this channel.' },
  DELEGATION_TOKEN_AUTHORIZATION_FAILED: { code: 65, retriable: false, message: 'The client is not authorized for the delegation token.' },
  DELEGATION_TOKEN_EXPIRED: { code: 66, retriable: false, message: 'The delegation token has expired.' },
  INVALID_PRINCIPAL_TYPE: { code: 67, retriable: false, message: 'The principal type is not supported.' },
  NON_EMPTY_GROUP: { code: 68, retriable: false, message: 'The group still has members.' },
  GROUP_ID_NOT_FOUND: { code: 69, retriable: false, message: 'The group does not exist.' },
  FETCH_SESSION_ID_NOT_FOUND: { code: 70, retriable: true, message: 'The fetch session does not exist.' },
  INVALID_FETCH_SESSION_EPOCH: { code: 71, retriable: true, message: 'The fetch session epoch is not the expected one.' },
  LISTENER_NOT_FOUND: { code: 72, retriable: true, message: 'The leader has no listener matching the one the request arrived on.' },
  TOPIC_DELETION_DISABLED: { code: 73, retriable: false, message: 'Topic deletion is turned off.' },
  FENCED_LEADER_EPOCH: { code: 74, retriable: true, message: "The request's leader epoch is older than the broker's." },
  UNKNOWN_LEADER_EPOCH: { code: 75, retriable: true, message: "The request's leader epoch is newer than the broker's." },
  UNSUPPORTED_COMPRESSION_TYPE: { code: 76, retriable: false, message: "The client cannot read the partition's compression type." },
  STALE_BROKER_EPOCH: { code: 77, retriable: false, message: 'The broker epoch has changed.' },
  OFFSET_NOT_AVAILABLE: { code: 78, retriable: true, message: "The new leader's high watermark has not caught up yet." },
  MEMBER_ID_REQUIRED: { code: 79, retriable: false, message: 'The member must rejoin with the member id it was given.' },
  PREFERRED_LEADER_NOT_AVAILABLE: { code: 80, retriable: true, message: 'The preferred leader is not available.' },
  GROUP_MAX_SIZE_REACHED: { code: 81, retriable: false, message: 'The group has reached its maximum size.' },
  FENCED_INSTANCE_ID: { code: 82, retriable: false, message: 'Another member registered with the same group.instance.id.' },
  ELIGIBLE_LEADERS_NOT_AVAILABLE: { code: 83, retriable: true, message: 'No eligible leader is available for the partition.' },
  ELECTION_NOT_NEEDED: { code: 84, retriable: true, message: 'The partition does not need a leader election.' },
  NO_REASSIGNMENT_IN_PROGRESS: { code: 85, retriable: false, message: 'No partition reassignment is in progress.' },
  GROUP_SUBSCRIBED_TO_TOPIC: { code: 86, retriable: false, message: 'Offsets of a topic the group is subscribed to cannot be deleted.' },
  INVALID_RECORD: { code: 87, retriable: false, message: 'The broker rejected a record that failed validation.' },
  UNSTABLE_OFFSET_COMMIT: { code: 88, retriable: true, message: 'Pending transactional offsets must be resolved first.' },
  THROTTLING_QUOTA_EXCEEDED: { code: 89, retriable: true, message: 'The throttling quota was exceeded.' },
  PRODUCER_FENCED: { code: 90, retriable: false, message: 'A newer producer with the same transactional id fenced this one.' },
  RESOURCE_NOT_FOUND: { code: 91, retriable: false, message: 'The request refers to a resource that does not exist.' },
  DUPLICATE_RESOURCE: { code: 92, retriable: false, message: 'The request refers to the same resource twice.' },
  UNACCEPTABLE_CREDENTIAL: { code: 93, retriable: false, message: 'The credential does not meet the acceptance criteria.' },
  INCONSISTENT_VOTER_SET: { code: 94, retriable: false, message: 'The sender or receiver is not one of the expected voters.' },
  INVALID_UPDATE_VERSION: { code: 95, retriable: false, message: 'The update version is not valid.' },
  FEATURE_UPDATE_FAILED: { code: 96, retriable: false, message: 'Finalized features could not be updated.' },
  PRINCIPAL_DESERIALIZATION_FAILURE: { code: 97, retriable: false, message: 'The forwarded request principal could not be deserialized.' },
  SNAPSHOT_NOT_FOUND: { code: 98, retriable: false, message: 'The requested snapshot does not exist.' },
  POSITION_OUT_OF_RANGE: { code: 99, retriable: false, message: 'The requested position is outside the snapshot.' },
  UNKNOWN_TOPIC_ID: { code: 100, retriable: true, message: 'This broker does not host a topic with this id.' },
  DUPLICATE_BROKER_REGISTRATION: { code: 101, retriable: false, message: 'The broker id is already registered.' },
  BROKER_ID_NOT_REGISTERED: { code: 102, retriable: false, message: 'The broker id is not registered.' },
  INCONSISTENT_TOPIC_ID: { code: 103, retriable: true, message: "The topic id does not match the log's topic id." },
  INCONSISTENT_CLUSTER_ID: { code: 104, retriable: false, message: 'The cluster id does not match this cluster.' },
  TRANSACTIONAL_ID_NOT_FOUND: { code: 105, retriable: false, message: 'The transactional id does not exist.' },
  FETCH_SESSION_TOPIC_ID_ERROR: { code: 106, retriable: true, message: 'The fetch session used topic ids inconsistently.' },
  INELIGIBLE_REPLICA: { code: 107, retriable: false, message: 'The new ISR contains an ineligible replica.' },
  NEW_LEADER_ELECTED: { code: 108, retriable: false, message: 'The partition state was updated but the leader has changed.' },
  OFFSET_MOVED_TO_TIERED_STORAGE: { code: 109, retriable: false, message: 'The offset now lives in tiered storage.' },
  FENCED_MEMBER_EPOCH: { code: 110, retriable: false, message: 'The member epoch was fenced; the member must rejoin.' },
  UNRELEASED_INSTANCE_ID: { code: 111, retriable: false, message: 'Another member still holds this instance id.' },
  UNSUPPORTED_ASSIGNOR: { code: 112, retriable: false, message: 'The group does not support this assignor.' },
  STALE_MEMBER_EPOCH: { code: 113, retriable: false, message: 'The member epoch is stale.' },
  MISMATCHED_ENDPOINT_TYPE: { code: 114, retriable: false, message: 'The request reached an endpoint of the wrong type.' },
  UNSUPPORTED_ENDPOINT_TYPE: { code: 115, retriable: false, message: 'This endpoint type is not supported.' },
  UNKNOWN_CONTROLLER_ID: { code: 116, retriable: false, message: 'The controller id is not known.' },
  UNKNOWN_SUBSCRIPTION_ID: { code: 117, retriable: false, message: 'The client telemetry subscription id is not known.' },
  TELEMETRY_TOO_LARGE: { code: 118, retriable: false, message: 'The pushed client telemetry is too large.' },
  INVALID_REGISTRATION: { code: 119, retriable: false, message: 'The controller rejected the registration.' },
  TRANSACTION_ABORTABLE: { code: 120, retriable: false, message: 'The transaction failed; the client may abort it and continue.' },
  INVALID_RECORD_STATE: { code: 121, retriable: false, message: 'The record state does not allow this acknowledgement.' },
  SHARE_SESSION_NOT_FOUND: { code: 122, retriable: true, message: 'The share session does not exist.' },
  INVALID_SHARE_SESSION_EPOCH: { code: 123, retriable: true, message: 'The share session epoch is not valid.' },
  FENCED_STATE_EPOCH: { code: 124, retriable: false, message: 'The share-group state epoch does not match.' },
  INVALID_VOTER_KEY: { code: 125, retriable: false, message: 'The voter key does not match the receiving replica.' },
  DUPLICATE_VOTER: { code: 126, retriable: false, message: 'The voter is already in the voter set.' },
  VOTER_NOT_FOUND: { code: 127, retriable: false, message: 'The voter is not in the voter set.' },
  INVALID_REGULAR_EXPRESSION: { code: 128, retriable: false, message: 'The regular expression is not valid.' },
  REBOOTSTRAP_REQUIRED: { code: 129, retriable: false, message: "The client's metadata is stale; it should bootstrap again." },
  STREAMS_INVALID_TOPOLOGY: { code: 130, retriable: false, message: 'The streams topology is not valid.' },
  STREAMS_INVALID_TOPOLOGY_EPOCH: { code: 131, retriable: false, message: 'The streams topology epoch is not valid.' },
  STREAMS_TOPOLOGY_FENCED: { code: 132, retriable: false, message: 'The streams topology epoch is outdated.' },
  SHARE_SESSION_LIMIT_REACHED: { code: 133, retriable: true, message: 'The share session limit was reached.' },
} as const satisfies Record<string, ErrorInfo>;

type ErrorName = keyof typeof CATALOGUE;

/** Error name -> code, e.g. ErrorCode.NOT_LEADER_OR_FOLLOWER === 6. */
export const ErrorCode = Object.fromEntries(
  Object.entries(CATALOGUE).map(([name, info]) => [name, info.code]),
) as { readonly [N in ErrorName]: (typeof CATALOGUE)[N]['code'] };

export type ErrorCodeValue = (typeof ErrorCode)[ErrorName];

const BY_CODE = new Map<number, ErrorInfo & { name: string }>(
  Object.entries(CATALOGUE).map(([name, info]) => [info.code, { name, ...info }]),
);

/** Kafka's name for a code; unknown codes are reported as UNKNOWN(<code>). */
export function errorName(code: number): string {
  return BY_CODE.get(code)?.name ?? `UNKNOWN(${code})`;
}

/** Whether Kafka's clients retry on this error (unknown codes: no). */
export function isRetriable(code: number): boolean {
  return BY_CODE.get(code)?.retriable ?? false;
}

/** A short human-readable description of the code. */
export function errorMessage(code: number): string {
  return BY_CODE.get(code)?.message ?? `Unknown error code ${code}.`;
}

/** Every known code, ascending (for tests and documentation). */
export function allErrorCodes(): number[] {
  return [...BY_CODE.keys()].sort((a, b) => a - b);
}
