/**
 * Per-partition log and replica-manager metrics (Kafka's kafka.log:type=Log and
 * kafka.server:type=ReplicaManager), from the partitions this broker hosts, at scrape time.
 */
import type { Registry } from 'prom-client';
import type { MetadataStore } from '../cluster/metadata-store.ts';
import type { Partition } from '../replication/partition.ts';
import type { ReplicaManager } from '../replication/replica-manager.ts';
import { registerSnapshot } from './snapshot-metric.ts';

const LOG_GAUGES: readonly [string, (p: Partition) => number, string][] = [
  ['kafka_log_log_size', (p) => p.log.size, 'Bytes of the partition log on disk.'],
  ['kafka_log_log_logstartoffset', (p) => p.logStartOffset, 'First offset of the partition log.'],
  ['kafka_log_log_logendoffset', (p) => p.logEndOffset, 'Offset after the last record of the partition log.'],
  ['kafka_log_log_numlogsegments', (p) => p.log.segmentCount, 'Segments of the partition log.'],
  ['kafka_cluster_partition_highwatermark', (p) => p.highWatermark, 'High watermark of the partition.'],
];

export function registerLogMetrics(registry: Registry, replicas: ReplicaManager, metadata: MetadataStore): void {
  for (const [name, read, help] of LOG_GAUGES) {
    registerSnapshot(registry, {
      name, type: 'gauge', help,
      values: () => replicas.partitions().map((p) => ({ labels: { topic: p.topic, partition: p.partition }, value: read(p) })),
    });
  }
  const gauge = (name: string, help: string, value: () => number): void =>
    registerSnapshot(registry, { name, type: 'gauge', help, values: () => [{ value: value() }] });
  gauge('kafka_server_replicamanager_partitioncount', 'Partitions hosted by this broker.', () => replicas.partitions().length);
  gauge('kafka_server_replicamanager_leadercount', 'Partitions this broker leads.', () => replicas.partitions().filter((p) => p.isLeader).length);
  gauge('kafka_server_replicamanager_underreplicatedpartitions', 'Partitions led here whose ISR is smaller than their replica set.',
    () => underReplicated(replicas, metadata));
}

function underReplicated(replicas: ReplicaManager, metadata: MetadataStore): number {
  const image = metadata.image();
  let count = 0;
  for (const p of replicas.partitions()) {
    const state = image.topic(p.topic)?.partitions[p.partition];
    if (p.isLeader && state !== undefined && state.isr.length < state.replicas.length) count += 1;
  }
  return count;
}
