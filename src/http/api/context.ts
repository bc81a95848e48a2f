/**
 * ApiContext: what the /api route handlers use. Everything is the running broker's own
 * state (its services and metrics); the API keeps no copy of its own.
 */
import type { BrokerServices } from '../../server/broker-services.ts';
import type { MetricsSeries } from '../../metrics/metrics-series.ts';

export interface ApiContext {
  readonly services: BrokerServices;
  /** Recent throughput samples, for the overview and the console's charts. */
  readonly series: MetricsSeries;
  /** Epoch ms when the broker started. */
  readonly startedAtMs: number;
}
