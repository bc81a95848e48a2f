/**
 * Admin operations on topics: create, delete, and describe their configs. Each sends one
 * request to any broker (a KRaft-style cluster forwards to its controller) and turns a
 * per-topic error code into a KafkaResponseError.
 */
import { CreateTopicsCall, DeleteTopicsCall, DescribeConfigsCall } from './api-calls.ts';
import { throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';

/** How long the broker may take to apply a topic change (the admin client's default). */
export const ADMIN_TIMEOUT_MS = 30_000;

/** DescribeConfigs resource types (Kafka's ConfigResource.Type). */
export const ResourceType = { TOPIC: 2, BROKER: 4 } as const;

/** DescribeConfigs config sources (Kafka's DescribeConfigsResponse.ConfigSource). */
export const ConfigSource = {
  UNKNOWN: 0,
  TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
} as const;

export interface NewTopic {
  name: string;
  /** -1: the broker's num.partitions. */
  numPartitions: number;
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number;
  configs: Record<string, string>;
}

export interface CreatedTopic {
  name: string;
  topicId: string;
  numPartitions: number;
  replicationFactor: number;
}

export async function createTopic(client: KafkaClient, topic: NewTopic): Promise<CreatedTopic> {
  const res = await client.send(CreateTopicsCall, () => ({
    topics: [{
      name: topic.name,
      numPartitions: topic.numPartitions,
      replicationFactor: topic.replicationFactor,
      assignments: [],
      configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
    }],
    timeoutMs: ADMIN_TIMEOUT_MS,
    validateOnly: false,
  }));
  const result = res.topics.find((t) => t.name === topic.name);
  if (result === undefined) throw new Error(`CreateTopics response has no result for '${topic.name}'`);
  throwIfError(result.errorCode, `cannot create topic '${topic.name}'`, result.errorMessage);
  return result;
}

export async function deleteTopic(client: KafkaClient, name: string): Promise<void> {
  const res = await client.send(DeleteTopicsCall, () => ({
    topics: [{ name }],
    topicNames: [name],
    timeoutMs: ADMIN_TIMEOUT_MS,
  }));
  const result = res.responses.find((r) => r.name === name);
  if (result === undefined) throw new Error(`DeleteTopics response has no result for '${name}'`);
  throwIfError(result.errorCode, `cannot delete topic '${name}'`, result.errorMessage);
}

export interface ConfigEntry {
  name: string;
  value: string | null;
  source: number;
  isSensitive: boolean;
  readOnly: boolean;
}

/** Every config of each topic, by topic name. */
export async function describeTopicConfigs(client: KafkaClient, topics: string[]): Promise<Map<string, ConfigEntry[]>> {
  if (topics.length === 0) return new Map();
  const res = await client.send(DescribeConfigsCall, () => ({
    resources: topics.map((name) => ({ resourceType: ResourceType.TOPIC, resourceName: name, configurationKeys: null })),
    includeSynonyms: false,
    includeDocumentation: false,
  }));
  const byTopic = new Map<string, ConfigEntry[]>();
  for (const result of res.results) {
    throwIfError(result.errorCode, `cannot describe configs of topic '${result.resourceName}'`, result.errorMessage);
    byTopic.set(result.resourceName, result.configs.map((c) => ({
      name: c.name, value: c.value, source: c.configSource, isSensitive: c.isSensitive, readOnly: c.readOnly,
    })));
  }
  return byTopic;
}
