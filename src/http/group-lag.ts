/**
 * GroupLagTracker: consumer-group lag per group/topic/partition for /metrics
 * (`kafka_consumergroup_lag`, the name kafka-exporter made standard; Kafka's broker has
 * no such JMX metric) and for the console's lag charts. Collecting costs a ListGroups and
 * an OffsetFetch per group, so results are cached for `maxAgeMs`; a scrape waits for a
 * refresh only when the cache is stale, the charts' sampler never waits.
 */
import type { Registry } from 'prom-client';
import type { Logger } from '../logger.ts';
import { registerSnapshot } from '../metrics/snapshot-metric.ts';
import type { ApiContext } from './api/context.ts';
import { collectGroupLag } from './api/groups.ts';

type LagRows = Awaited<ReturnType<typeof collectGroupLag>>;

export class GroupLagTracker {
  readonly #ctx: ApiContext;
  readonly #maxAgeMs: number;
  readonly #logger: Logger;
  #rows: LagRows = [];
  #refreshedAtMs = -Infinity;
  #refreshing: Promise<void> | null = null;

  constructor(ctx: ApiContext, maxAgeMs: number, logger: Logger) {
    this.#ctx = ctx;
    this.#maxAgeMs = maxAgeMs;
    this.#logger = logger;
  }

  register(registry: Registry): void {
    registerSnapshot(registry, {
      name: 'kafka_consumergroup_lag', type: 'gauge',
      help: 'High watermark minus the committed offset, per group, topic and partition.',
      values: async () => {
        await this.#fresh();
        return this.#rows.flatMap(({ group, lags }) => lags.filter((l) => l.lag >= 0)
          .map((l) => ({ labels: { group, topic: l.topic, partition: l.partition }, value: l.lag })));
      },
    });
  }

  /** Total lag per group from the cache; starts a refresh in the background when stale. */
  totals(): Record<string, number> {
    void this.#fresh();
    const totals: Record<string, number> = {};
    for (const { group, lags } of this.#rows) totals[group] = lags.reduce((sum, l) => sum + Math.max(0, l.lag), 0);
    return totals;
  }

  #fresh(): Promise<void> {
    if (!this.#ctx.hasGroupCoordinator || this.#ctx.services.clock.now() - this.#refreshedAtMs < this.#maxAgeMs) return Promise.resolve();
    this.#refreshing ??= collectGroupLag(this.#ctx)
      .then((rows) => {
        this.#rows = rows;
      })
      .catch((err: unknown) => this.#logger.debug({ err }, 'collecting group lag failed'))
      .finally(() => {
        this.#refreshedAtMs = this.#ctx.services.clock.now();
        this.#refreshing = null;
      });
    return this.#refreshing;
  }
}
