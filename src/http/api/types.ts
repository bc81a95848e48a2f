/**
 * The JSON shapes of the admin API under /api (documented in docs/HTTP-API.md). The web
 * console codes against these; change them only compatibly (add fields, never rename).
 * Offsets and byte counts are JSON numbers (exact up to 2^53).
 */

/** Every error: HTTP status >= 400 with this body. */
export interface ApiError {
  /** Kafka's error name (TOPIC_ALREADY_EXISTS, INVALID_CONFIG, ...) or one of ours. */
  error: string;
  message: string;
}

export interface BrokerSummary {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}

/** Rates over the last metrics sampling interval (0 before the first two samples). */
export interface Throughput {
  messagesInPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
}

export interface OverviewResponse {
  clusterId: string;
  controllerId: number;
  /** The broker answering. */
  nodeId: number;
  version: string;
  brokers: BrokerSummary[];
  topics: number;
  partitions: number;
  /** Size of every partition log hosted here. */
  bytesOnDisk: number;
  /** Consumer groups this broker coordinates; null while the coordinator is loading. */
  groups: number | null;
  throughput: Throughput;
  uptimeMs: number;
}

export interface TopicSummary {
  name: string;
  topicId: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  bytesOnDisk: number;
  /** Sum over partitions of highWatermark - logStartOffset (records, incl. control records). */
  messages: number;
  /** Config keys overridden for this topic. */
  overrides: Record<string, string>;
}

export interface TopicsResponse {
  topics: TopicSummary[];
}

export interface PartitionDetail {
  partition: number;
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  /** Null when this broker does not host the partition. */
  logStartOffset: number | null;
  logEndOffset: number | null;
  highWatermark: number | null;
  sizeBytes: number | null;
  segments: number | null;
}

export interface TopicDetail extends TopicSummary {
  partitionDetails: PartitionDetail[];
}

/** POST /api/topics body. */
export interface CreateTopicBody {
  name: string;
  /** Default: the broker's num.partitions. */
  partitions?: number;
  /** Default: the broker's default.replication.factor. */
  replicationFactor?: number;
  configs?: Record<string, string>;
  validateOnly?: boolean;
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  /** TOPIC_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG, ... (Kafka's ConfigSource names). */
  source: string;
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
  /** Kafka's type name: BOOLEAN, STRING, INT, SHORT, LONG, DOUBLE, LIST, CLASS, PASSWORD. */
  type: string;
  documentation: string | null;
}

export interface ConfigsResponse {
  topic: string;
  configs: ConfigEntry[];
}

/** PATCH /api/topics/:name/configs body: incremental, like IncrementalAlterConfigs SET/DELETE. */
export interface AlterConfigsBody {
  set?: Record<string, string>;
  /** Overrides to remove (the key falls back to the broker's value). */
  delete?: string[];
}

/** POST /api/topics/:name/partitions body. */
export interface CreatePartitionsBody {
  /** New total partition count (must be larger than the current one). */
  count: number;
}

/** Bytes as base64, plus the text when they are valid UTF-8. */
export interface EncodedBytes {
  base64: string;
  /** Present only when the bytes are valid UTF-8. */
  text?: string;
  size: number;
}

export interface MessageHeader {
  key: string;
  value: EncodedBytes | null;
}

export interface Message {
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: EncodedBytes | null;
  value: EncodedBytes | null;
  headers: MessageHeader[];
}

export interface MessagesResponse {
  topic: string;
  partition: number;
  messages: Message[];
  /** Offset to ask for next to continue after the last message returned. */
  nextOffset: number;
  logStartOffset: number;
  highWatermark: number;
}

export interface MetricsSample {
  /** Epoch ms at the end of the interval. */
  time: number;
  messagesInPerSec: number;
  bytesInPerSec: number;
  bytesOutPerSec: number;
  requestsPerSec: number;
  connections: number;
  /** Total lag per group at this time. */
  groupLag: Record<string, number>;
}

export interface MetricsSeriesResponse {
  intervalMs: number;
  samples: MetricsSample[];
}

export interface GroupSummary {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
  /** Sum of per-partition lag over the group's committed offsets. */
  lag: number;
}

export interface GroupsResponse {
  groups: GroupSummary[];
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  assignment: { topic: string; partitions: number[] }[];
}

export interface GroupPartitionLag {
  topic: string;
  partition: number;
  /** -1 when the group has no committed offset for the partition. */
  committedOffset: number;
  highWatermark: number;
  lag: number;
  memberId: string | null;
}

export interface GroupDetail {
  groupId: string;
  state: string;
  protocolType: string;
  protocol: string;
  generationId: number;
  members: GroupMember[];
  offsets: GroupPartitionLag[];
}

/** POST /api/groups/:id/reset-offsets body. The group must have no members (Kafka's rule). */
export interface ResetOffsetsBody {
  topic: string;
  /** All partitions of the topic when absent. */
  partitions?: number[];
  to: { earliest: true } | { latest: true } | { offset: number } | { timestamp: number };
  /** Only report what would be committed. */
  dryRun?: boolean;
}

export interface ResetOffsetsResponse {
  groupId: string;
  offsets: { topic: string; partition: number; offset: number }[];
  dryRun: boolean;
}

/** A transactional id this broker coordinates (GET /api/transactions, /api/transactions/:id). */
export interface TransactionSummary {
  transactionalId: string;
  /** Kafka's TransactionState name: Empty, Ongoing, PrepareCommit, PrepareAbort, CompleteCommit, CompleteAbort, PrepareEpochFence. */
  state: string;
  producerId: number;
  producerEpoch: number;
  timeoutMs: number;
  /** Epoch ms the open transaction started; null when none is open. */
  startedAtMs: number | null;
  /** Partitions in the open transaction. */
  partitions: { topic: string; partition: number }[];
}

export interface TransactionsResponse {
  transactions: TransactionSummary[];
  /** Broker time of the answer (epoch ms), to show how long transactions have been open. */
  now: number;
}

/** A producer with state on a partition this broker leads (what DescribeProducers shows). */
export interface PartitionProducer {
  topic: string;
  partition: number;
  producerId: number;
  producerEpoch: number;
  lastSequence: number;
  lastTimestamp: number;
  /** First offset of its open transaction on this partition; null when none is open. */
  currentTxnStartOffset: number | null;
}

export interface ProducersResponse {
  producers: PartitionProducer[];
  /** True when there were more than the answer holds. */
  truncated: boolean;
}
