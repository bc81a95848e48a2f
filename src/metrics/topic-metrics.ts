/**
 * Per-topic traffic metrics (Kafka's kafka.server:type=BrokerTopicMetrics), read from the
 * replica manager's TopicStats at scrape time.
 */
import type { Registry } from 'prom-client';
import type { TopicCounters, TopicStats } from '../replication/topic-stats.ts';
import { registerSnapshot } from './snapshot-metric.ts';

const PREFIX = 'kafka_server_brokertopicmetrics';

const COUNTERS: readonly [string, keyof TopicCounters, string][] = [
  ['bytesin_total', 'bytesIn', 'Bytes of record batches produced to the topic (BytesInPerSec).'],
  ['messagesin_total', 'messagesIn', 'Records produced to the topic (MessagesInPerSec).'],
  ['bytesout_total', 'bytesOut', 'Record bytes fetched by consumers from the topic (BytesOutPerSec).'],
  ['replicationbytesout_total', 'replicationBytesOut', 'Record bytes fetched by follower replicas (ReplicationBytesOutPerSec).'],
  ['failedproducerequests_total', 'failedProduceRequests', 'Partition appends that failed (FailedProduceRequestsPerSec).'],
];

export function registerTopicMetrics(registry: Registry, stats: TopicStats): void {
  for (const [suffix, field, help] of COUNTERS) {
    registerSnapshot(registry, {
      name: `${PREFIX}_${suffix}`, type: 'counter', help,
      values: () => [...stats.entries()].map(([topic, counters]) => ({ labels: { topic }, value: counters[field] })),
    });
  }
}
