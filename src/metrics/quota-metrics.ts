/**
 * Client quota metrics, Kafka's kafka.server:type=Produce|Fetch|Request,user=...,client-id=...
 * attributes byte-rate (Request: request-time) and throttle-time, one series per group of clients sharing a quota
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
  registerType(registry, 'produce', 'byte_rate', 'Produce request bytes per second', quotas.produce, clock);
  registerType(registry, 'fetch', 'byte_rate', 'Fetch response bytes sent to consumers per second', quotas.fetch, clock);
  registerType(registry, 'request', 'request_time', 'Request handling time in percent of one thread', quotas.request, clock);
}

function registerType(registry: Registry, type: string, rateName: string, what: string, manager: ClientQuotaManager, clock: Clock): void {
  const labels = (tags: { user: string; clientId: string }) => ({ user: tags.user, client_id: tags.clientId });
  registerSnapshot(registry, {
    name: `kafka_server_${type}_${rateName}`, type: 'gauge',
    help: `${what}, per user/client-id quota group (Kafka's ${rateName.replace('_', '-')}).`,
    values: () => manager.views(clock.now()).map((v) => ({ labels: labels(v.tags), value: v.rate })),
  });
  registerSnapshot(registry, {
    name: `kafka_server_${type}_throttle_time`, type: 'gauge',
    help: `Average throttle time (ms) given for ${type} quota violations, per user/client-id quota group (Kafka's throttle-time).`,
    values: () => manager.views(clock.now()).map((v) => ({ labels: labels(v.tags), value: v.throttleTimeMs })),
  });
}
