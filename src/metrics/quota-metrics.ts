/**
 * Client quota metrics, Kafka's kafka.server:type=Produce|Fetch,user=...,client-id=...
 * attributes byte-rate and throttle-time, one series per group of clients sharing a quota
 * (labels user and client_id as Kafka's quota metric tags; "" where the level leaves one
 * out). Read from the quota sensors at scrape time; series exist only while quotas of that
 * type are set and a client has been measured.
 */
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { ClientQuotaManager } from '../server/quotas/client-quota-manager.ts';
import type { BrokerQuotas } from '../server/quotas/broker-quotas.ts';
import { registerSnapshot } from './snapshot-metric.ts';

export function registerQuotaMetrics(registry: Registry, quotas: BrokerQuotas, clock: Clock): void {
  registerType(registry, 'produce', 'Produce request bytes', quotas.produce, clock);
  registerType(registry, 'fetch', 'Fetch response bytes sent to consumers', quotas.fetch, clock);
}

function registerType(registry: Registry, type: string, what: string, manager: ClientQuotaManager, clock: Clock): void {
  const labels = (tags: { user: string; clientId: string }) => ({ user: tags.user, client_id: tags.clientId });
  registerSnapshot(registry, {
    name: `kafka_server_${type}_byte_rate`, type: 'gauge',
    help: `${what} per second, per user/client-id quota group (Kafka's byte-rate).`,
    values: () => manager.views(clock.now()).map((v) => ({ labels: labels(v.tags), value: v.rate })),
  });
  registerSnapshot(registry, {
    name: `kafka_server_${type}_throttle_time`, type: 'gauge',
    help: `Average throttle time (ms) given for ${type} quota violations, per user/client-id quota group (Kafka's throttle-time).`,
    values: () => manager.views(clock.now()).map((v) => ({ labels: labels(v.tags), value: v.throttleTimeMs })),
  });
}
