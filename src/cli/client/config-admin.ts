/**
 * Admin operations on configs and records: describe any config resource with synonyms,
 * change configs incrementally (IncrementalAlterConfigs, as kafka-configs --alter), and
 * delete records below an offset (DeleteRecords, sent to the partition's leader).
 * A per-resource or per-partition error code becomes a KafkaResponseError.
 */
import { DeleteRecordsCall, DescribeConfigsCall, IncrementalAlterConfigsCall } from './api-calls.ts';
import { ADMIN_TIMEOUT_MS } from './admin.ts';
import type { KafkaClient } from './kafka-client.ts';
import { throwIfError } from './kafka-error.ts';

/** A config resource: a topic, one broker (its node id), or the cluster-wide broker default (""). */
export interface ConfigResource {
  readonly type: number;
  readonly name: string;
}

export interface DescribedConfig {
  readonly name: string;
  readonly value: string | null;
  readonly source: number;
  readonly isSensitive: boolean;
  readonly readOnly: boolean;
  readonly synonyms: readonly { name: string; value: string | null; source: number }[];
}

/** Kafka's AlterConfigOp.OpType ids. */
export const OpType = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

export interface ConfigOp {
  readonly name: string;
  readonly op: (typeof OpType)[keyof typeof OpType];
  readonly value: string | null;
}

function describeContext(resource: ConfigResource): string {
  return resource.name === '' ? 'the cluster-wide broker defaults' : `'${resource.name}'`;
}

/** Every config of one resource, with synonyms. */
export async function describeConfigs(client: KafkaClient, resource: ConfigResource): Promise<DescribedConfig[]> {
  const res = await client.send(DescribeConfigsCall, () => ({
    resources: [{ resourceType: resource.type, resourceName: resource.name, configurationKeys: null }],
    includeSynonyms: true,
    includeDocumentation: false,
  }));
  const [result] = res.results;
  throwIfError(result.errorCode, `cannot describe configs of ${describeContext(resource)}`, result.errorMessage);
  return result.configs.map((c) => ({
    name: c.name, value: c.value, source: c.configSource, isSensitive: c.isSensitive, readOnly: c.readOnly,
    synonyms: c.synonyms.map((s) => ({ name: s.name, value: s.value, source: s.source })),
  }));
}

/** Applies `ops` to one resource (IncrementalAlterConfigs). */
export async function alterConfigs(client: KafkaClient, resource: ConfigResource, ops: readonly ConfigOp[]): Promise<void> {
  const res = await client.send(IncrementalAlterConfigsCall, () => ({
    resources: [{
      resourceType: resource.type,
      resourceName: resource.name,
      configs: ops.map((o) => ({ name: o.name, configOperation: o.op, value: o.value })),
    }],
    validateOnly: false,
  }));
  const [result] = res.responses;
  throwIfError(result.errorCode, `cannot alter configs of ${describeContext(resource)}`, result.errorMessage);
}

/** Deletes the records of one partition below `offset` (-1: below the high watermark); returns the new log start. */
export async function deleteRecords(client: KafkaClient, topic: string, partition: number, offset: number): Promise<number> {
  const metadata = await client.metadata([topic]);
  const topicMetadata = metadata.topics.find((t) => t.name === topic);
  if (topicMetadata === undefined) throw new Error(`no metadata for topic '${topic}'`);
  throwIfError(topicMetadata.errorCode, `topic '${topic}'`);
  const leader = topicMetadata.partitions.find((p) => p.partition === partition)?.leader;
  if (leader === undefined) throw new Error(`topic '${topic}' has no partition ${partition}`);
  const res = await client.send(DeleteRecordsCall, () => ({
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, offset }] }],
    timeoutMs: ADMIN_TIMEOUT_MS,
  }), { nodeId: leader });
  const result = res.topics[0]?.partitions[0];
  if (result === undefined) throw new Error('DeleteRecords response has no result');
  throwIfError(result.errorCode, `cannot delete records of ${topic}-${partition}`);
  return result.lowWatermark;
}
