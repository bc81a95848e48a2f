/**
 * A Prometheus metric whose values are read from the broker's own counters at scrape time
 * (prom-client calls `get()` on every registered metric). The hot path only bumps plain
 * numbers in objects it already owns (TopicStats, ServerStats); nothing here runs
 * until /metrics is scraped.
 */
import type { Registry } from 'prom-client';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface SampleValue {
  readonly value: number;
  readonly labels?: Readonly<Record<string, string | number>>;
  /** For histogram parts: name_bucket, name_sum, name_count. */
  readonly metricName?: string;
}

export interface SnapshotMetricSpec {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly values: () => readonly SampleValue[];
}

/** The minimal shape prom-client's Registry renders (see its getMetricsAsString). */
class SnapshotMetric {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly aggregator = 'sum';
  readonly #values: SnapshotMetricSpec['values'];

  constructor(spec: SnapshotMetricSpec) {
    this.name = spec.name;
    this.help = spec.help;
    this.type = spec.type;
    this.#values = spec.values;
  }

  get(): { name: string; help: string; type: MetricType; aggregator: string; values: SampleValue[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: [...this.#values()] };
  }

  reset(): void {
    // values are owned by the broker's counters; nothing to reset here
  }
}

export function registerSnapshot(registry: Registry, spec: SnapshotMetricSpec): void {
  // prom-client types registerMetric for its own classes; ours has the same rendering shape.
  registry.registerMetric(new SnapshotMetric(spec) as unknown as Parameters<Registry['registerMetric']>[0]);
}
