/**
 * MetricsSeries: a ring of recent throughput samples for the console's live charts and
 * the overview's "throughput now". Every `intervalMs` it reads the broker's counters and
 * stores the rates since the previous sample; it keeps at most `samplesMax` samples.
 * `sample()` is public so tests drive it with a manual clock instead of waiting.
 */
import type { Clock } from '../clock.ts';
import type { TopicStats } from '../replication/topic-stats.ts';
import type { ServerStats } from '../server/stats.ts';
import type { MetricsSample, Throughput } from '../http/api/types.ts';
import type { RequestMetrics } from './request-metrics.ts';

export const SERIES_INTERVAL_MS_DEFAULT = 5_000;
/** One hour at the default interval. */
export const SERIES_SAMPLES_MAX_DEFAULT = 720;

/** Total lag per group, from the group coordinator once it exists. */
export type GroupLagSource = () => Record<string, number>;

export interface MetricsSeriesOptions {
  readonly topicStats: TopicStats;
  readonly requests: RequestMetrics;
  readonly serverStats: ServerStats;
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly samplesMax?: number;
}

interface Totals {
  readonly time: number;
  readonly messagesIn: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly requests: number;
}

export class MetricsSeries {
  readonly intervalMs: number;
  readonly #opts: MetricsSeriesOptions;
  readonly #samplesMax: number;
  readonly #samples: MetricsSample[] = [];
  #previous: Totals;
  #timer: NodeJS.Timeout | null = null;
  #groupLag: GroupLagSource = () => ({});

  constructor(opts: MetricsSeriesOptions) {
    this.#opts = opts;
    this.intervalMs = opts.intervalMs ?? SERIES_INTERVAL_MS_DEFAULT;
    this.#samplesMax = opts.samplesMax ?? SERIES_SAMPLES_MAX_DEFAULT;
    this.#previous = this.#totals();
  }

  /** Starts sampling every intervalMs (the timer does not keep the process alive). */
  start(): void {
    this.#timer ??= setInterval(() => this.sample(), this.intervalMs).unref();
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  setGroupLagSource(source: GroupLagSource): void {
    this.#groupLag = source;
  }

  /** Takes one sample: rates since the previous one. */
  sample(): MetricsSample {
    const now = this.#totals();
    const seconds = Math.max(1e-3, (now.time - this.#previous.time) / 1000);
    const rate = (field: Exclude<keyof Totals, 'time'>): number => (now[field] - this.#previous[field]) / seconds;
    const sample: MetricsSample = {
      time: now.time,
      messagesInPerSec: rate('messagesIn'),
      bytesInPerSec: rate('bytesIn'),
      bytesOutPerSec: rate('bytesOut'),
      requestsPerSec: rate('requests'),
      connections: this.#opts.serverStats.connectionsOpen,
      groupLag: this.#groupLag(),
    };
    this.#previous = now;
    this.#samples.push(sample);
    if (this.#samples.length > this.#samplesMax) this.#samples.shift();
    return sample;
  }

  samples(): readonly MetricsSample[] {
    return this.#samples;
  }

  /** Rates of the latest sample; zeros before the first one. */
  throughput(): Throughput {
    const last = this.#samples.at(-1);
    return {
      messagesInPerSec: last?.messagesInPerSec ?? 0,
      bytesInPerSec: last?.bytesInPerSec ?? 0,
      bytesOutPerSec: last?.bytesOutPerSec ?? 0,
    };
  }

  #totals(): Totals {
    const total = this.#opts.topicStats.total;
    return {
      time: this.#opts.clock.now(),
      messagesIn: total.messagesIn,
      bytesIn: total.bytesIn,
      bytesOut: total.bytesOut,
      requests: this.#opts.requests.requestsTotal,
    };
  }
}
