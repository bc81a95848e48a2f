/**
 * LatencyHistogram: fixed-bucket millisecond histograms keyed by a label value (the API
 * name), recorded with an array increment so request paths stay cheap, and rendered in
 * Prometheus' histogram form (cumulative _bucket{le}, _sum, _count) at scrape time.
 */
import type { SampleValue } from './snapshot-metric.ts';

/** Upper bounds in ms, from sub-millisecond local work to long polls. */
export const LATENCY_BUCKETS_MS: readonly number[] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];

interface Series {
  /** Per bucket (not cumulative); the last slot is +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

export class LatencyHistogram {
  readonly #labelName: string;
  readonly #series = new Map<string, Series>();

  constructor(labelName: string) {
    this.#labelName = labelName;
  }

  observe(label: string, ms: number): void {
    let series = this.#series.get(label);
    if (series === undefined) {
      series = { counts: new Float64Array(LATENCY_BUCKETS_MS.length + 1), sum: 0, count: 0 };
      this.#series.set(label, series);
    }
    let i = 0;
    while (i < LATENCY_BUCKETS_MS.length && ms > LATENCY_BUCKETS_MS[i]) i++;
    series.counts[i] += 1;
    series.sum += ms;
    series.count += 1;
  }

  samples(name: string): SampleValue[] {
    const out: SampleValue[] = [];
    for (const [label, series] of this.#series) {
      let cumulative = 0;
      for (let i = 0; i <= LATENCY_BUCKETS_MS.length; i++) {
        cumulative += series.counts[i];
        const le = i < LATENCY_BUCKETS_MS.length ? String(LATENCY_BUCKETS_MS[i]) : '+Inf';
        out.push({ metricName: `${name}_bucket`, labels: { [this.#labelName]: label, le }, value: cumulative });
      }
      out.push({ metricName: `${name}_sum`, labels: { [this.#labelName]: label }, value: series.sum });
      out.push({ metricName: `${name}_count`, labels: { [this.#labelName]: label }, value: series.count });
    }
    return out;
  }
}
