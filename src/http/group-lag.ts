/**
 * Consumer-group lag for /metrics (`kafka_consumergroup_lag`, the name kafka-exporter made
 * standard; Kafka's broker has no such JMX metric) and the console's lag charts, read from
 * the group coordinator's committed offsets at scrape / sample time.
 */
import type { Registry } from 'prom-client';
import { registerSnapshot } from '../metrics/snapshot-metric.ts';
import type { BrokerServices } from '../server/broker-services.ts';
import { groupLag, totalLag } from './api/group-views.ts';
import type { GroupPartitionLag } from './api/types.ts';

/** Every listed group's lag rows; none while the coordinator is loading. */
function allGroupLag(services: BrokerServices): { group: string; rows: GroupPartitionLag[] }[] {
  const listed = services.groups.listGroups();
  if (listed.error !== 0) return [];
  const out = [];
  for (const { groupId } of listed.groups) {
    try {
      out.push({ group: groupId, rows: groupLag(services, groupId) });
    } catch {
      // its coordinator partition moved or is loading: left out of this sample
    }
  }
  return out;
}

export function registerGroupLag(registry: Registry, services: BrokerServices): void {
  registerSnapshot(registry, {
    name: 'kafka_consumergroup_lag', type: 'gauge',
    help: 'High watermark minus the committed offset, per consumer group, topic and partition.',
    values: () => allGroupLag(services).flatMap(({ group, rows }) => rows.filter((r) => r.lag >= 0)
      .map((r) => ({ labels: { group, topic: r.topic, partition: r.partition }, value: r.lag }))),
  });
}

/** Total lag per group, for the metrics series. */
export function groupLagTotals(services: BrokerServices): Record<string, number> {
  return Object.fromEntries(allGroupLag(services).map(({ group, rows }) => [group, totalLag(rows)]));
}
