/**
 * BrokerMetrics: one broker's Prometheus registry (a Registry per broker, so several
 * brokers in one process never collide) and the counters its parts feed: request
 * metrics (the listeners' RequestObserver), connection stats (ServerStats shared by all
 * listeners), and scrape-time views of topic traffic, logs, purgatories and the replica
 * manager. `render()` is the /metrics body: this broker's metrics, then the process's
 * Node.js metrics (node-metrics.ts).
 *
 * With `enabled: false` (metrics.enabled=false) the hot-path hooks are no-ops: listeners get
 * no RequestObserver and the replica manager's TopicStats stop counting, so request and
 * traffic series stay 0; scrape-time gauges (logs, purgatories, connections) still answer.
 * It exists to measure what the hooks cost (bench/metrics-overhead.ts).
 */
import { Registry } from 'prom-client';
import type { Clock } from '../clock.ts';
import type { MetadataStore } from '../cluster/metadata-store.ts';
import { ApiKey } from '../protocol/generated/api-table.ts';
import type { ReplicaManager } from '../replication/replica-manager.ts';
import type { RequestObserver } from '../server/request-observer.ts';
import { ServerStats } from '../server/stats.ts';
import { registerLogMetrics } from './log-metrics.ts';
import { MetricsSeries } from './metrics-series.ts';
import { nodeProcessRegistry } from './node-metrics.ts';
import { RequestMetrics } from './request-metrics.ts';
import { registerSnapshot } from './snapshot-metric.ts';
import { registerTopicMetrics } from './topic-metrics.ts';

export interface BrokerMetricsOptions {
  readonly nodeId: number;
  readonly clusterId: string;
  readonly version: string;
  readonly replicas: ReplicaManager;
  readonly metadata: MetadataStore;
  readonly clock: Clock;
  readonly seriesIntervalMs?: number;
  /** metrics.enabled; default true. */
  readonly enabled?: boolean;
}

export class BrokerMetrics {
  readonly registry = new Registry();
  readonly requests = new RequestMetrics();
  readonly serverStats = new ServerStats();
  readonly series: MetricsSeries;
  /** What the listeners report finished requests to; undefined when metrics are off. */
  readonly requestObserver: RequestObserver | undefined;

  constructor(opts: BrokerMetricsOptions) {
    const enabled = opts.enabled ?? true;
    this.requestObserver = enabled ? this.requests : undefined;
    if (!enabled) opts.replicas.topicStats.mute();
    this.series = new MetricsSeries({
      topicStats: opts.replicas.topicStats, requests: this.requests, serverStats: this.serverStats,
      clock: opts.clock, intervalMs: opts.seriesIntervalMs,
    });
    this.requests.register(this.registry);
    registerTopicMetrics(this.registry, opts.replicas.topicStats);
    registerLogMetrics(this.registry, opts.replicas, opts.metadata);
    this.#registerBrokerGauges(opts);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  async render(): Promise<string> {
    const [own, node] = await Promise.all([this.registry.metrics(), nodeProcessRegistry().metrics()]);
    return `${own}\n${node}`;
  }

  close(): void {
    this.series.close();
  }

  #registerBrokerGauges(opts: BrokerMetricsOptions): void {
    const stats = this.serverStats;
    const delayed = opts.replicas.delayed;
    const one = (name: string, type: 'counter' | 'gauge', help: string, value: () => number): void =>
      registerSnapshot(this.registry, { name, type, help, values: () => [{ value: value() }] });
    registerSnapshot(this.registry, {
      name: 'gregor_broker_info', type: 'gauge', help: 'Constant 1, labelled with this broker\'s identity.',
      values: () => [{ labels: { node_id: opts.nodeId, cluster_id: opts.clusterId, version: opts.version }, value: 1 }],
    });
    registerSnapshot(this.registry, {
      name: 'kafka_server_delayedoperationpurgatory_purgatorysize', type: 'gauge',
      help: 'Requests parked waiting (Produce: acks=all; Fetch: minBytes / long poll).',
      values: () => [
        { labels: { delayedOperation: 'Produce' }, value: delayed.pendingCountFor(ApiKey.Produce) },
        { labels: { delayedOperation: 'Fetch' }, value: delayed.pendingCountFor(ApiKey.Fetch) },
      ],
    });
    one('kafka_server_socket_server_metrics_connection_count', 'gauge', 'Open client connections.', () => stats.connectionsOpen);
    one('kafka_server_socket_server_metrics_connection_creation_total', 'counter', 'Connections accepted.', () => stats.connectionsAccepted);
    one('kafka_server_socket_server_metrics_connection_rejected_total', 'counter',
      'Connections refused at accept (max.connections, max.connections.per.ip).', () => stats.connectionsRejected);
    one('kafka_server_socket_server_metrics_connection_closed_on_error_total', 'counter',
      'Connections closed for a bad frame, unsupported request or handler failure.', () => stats.connectionsClosedOnError);
    one('kafka_server_socket_server_metrics_failed_authentication_total', 'counter',
      'Failed SASL authentications (0: no authentication yet).', () => 0);
  }
}
