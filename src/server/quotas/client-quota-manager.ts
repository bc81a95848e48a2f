/**
 * One quota type's enforcement (Kafka's ClientQuotaManager): for a quota key such as
 * producer_byte_rate, a rate sensor per group of clients sharing a quota (QuotaTags, see
 * quota-resolution.ts) and a throttle-time sensor beside it.
 *
 * Recording adds the value to the sensor's sampled rate (sampled-stat.ts) and checks the
 * rate against the client's current bound, read from the latest quota levels on every call
 * (so AlterClientQuotas takes effect at once, for sensors that already exist too). Over the
 * bound, the throttle time is the delay that brings the measured rate back to the bound if
 * nothing more is recorded: (rate - bound) / bound * window size, rounded; a type may cap
 * it. While no quota of the type exists nothing is measured, as Kafka.
 *
 * Sensors idle for an hour are dropped (Kafka's InactiveSensorExpirationTimeSeconds), and
 * at most `SENSORS_MAX` are kept: beyond that the oldest is dropped first.
 */
import type { ClientQuota } from '../../cluster/client-quotas.ts';
import { QuotaLevels, type QuotaTags } from './quota-resolution.ts';
import { SampledStat, type SampleConfig } from './sampled-stat.ts';

/** Sensors without a record for this long are dropped. */
export const SENSOR_IDLE_EXPIRY_MS = 3_600_000;
/** Most sensors (distinct rate groups) one quota type keeps. */
export const SENSORS_MAX = 50_000;
/** Throttle-time averages use Kafka's default MetricConfig: 2 samples of 30 s. */
const THROTTLE_TIME_SAMPLES: SampleConfig = { samples: 2, windowMs: 30_000 };
/** How often idle sensors are looked for. */
const SWEEP_INTERVAL_MS = 60_000;

interface Sensor {
  readonly tags: QuotaTags;
  readonly rate: SampledStat;
  readonly throttleTime: SampledStat;
  lastRecordMs: number;
}

/** What /metrics shows per sensor. */
export interface QuotaSensorView {
  readonly tags: QuotaTags;
  /** Measured rate (per second) of what this type records. */
  readonly rate: number;
  /** Average throttle time (ms) given in the last 30-60 s. */
  readonly throttleTimeMs: number;
}

export interface ClientQuotaManagerOptions {
  /** The quota key enforced, e.g. "producer_byte_rate". */
  readonly key: string;
  readonly samples: SampleConfig;
  /** Largest throttle time returned (Infinity: uncapped, as Kafka's byte-rate quotas). */
  readonly maxThrottleTimeMs?: number;
}

export class ClientQuotaManager {
  readonly key: string;
  readonly #samples: SampleConfig;
  readonly #maxThrottleTimeMs: number;
  readonly #sensors = new Map<string, Sensor>();
  #levels = QuotaLevels.from([], '');
  #levelsSource: ReadonlyMap<string, ClientQuota> | null = null;
  #lastSweepMs = -Infinity;

  constructor(opts: ClientQuotaManagerOptions) {
    this.key = opts.key;
    this.#samples = opts.samples;
    this.#maxThrottleTimeMs = opts.maxThrottleTimeMs ?? Infinity;
  }

  /** Takes the current stored quotas (cheap when unchanged: the image keeps the same map). */
  update(quotas: ReadonlyMap<string, ClientQuota>): void {
    if (quotas === this.#levelsSource) return;
    this.#levels = QuotaLevels.from(quotas.values(), this.key);
    this.#levelsSource = quotas;
  }

  get enabled(): boolean {
    return this.#levels.enabled;
  }

  /** Records `value` for the client and returns the throttle time in ms (0 within quota). */
  recordAndGetThrottleTimeMs(user: string, clientId: string, value: number, nowMs: number): number {
    if (!this.enabled) return 0;
    const sensor = this.#sensor(user, clientId, nowMs);
    sensor.rate.record(value, nowMs);
    const bound = this.#levels.limitFor(sensor.tags);
    if (bound === null) return 0;
    const observed = sensor.rate.rate(nowMs);
    if (observed <= bound) return 0;
    return Math.min(throttleTimeMs(observed, bound, sensor.rate.windowSizeMs(nowMs)), this.#maxThrottleTimeMs);
  }

  /** Takes back a value recorded for a response that was not sent (a throttled Fetch). */
  unrecord(user: string, clientId: string, value: number, nowMs: number): void {
    if (this.enabled) this.#sensor(user, clientId, nowMs).rate.record(-value, nowMs);
  }

  /** Counts a throttle given to the client (the throttle-time metric). */
  recordThrottleTime(user: string, clientId: string, throttleMs: number, nowMs: number): void {
    if (this.enabled) this.#sensor(user, clientId, nowMs).throttleTime.record(throttleMs, nowMs);
  }

  /**
   * Kafka's getMaxValueInQuotaWindow: the most that can be recorded at once without a
   * certain throttle (bound * (samples - 1) windows); Infinity without a quota.
   */
  maxValueInQuotaWindow(user: string, clientId: string): number {
    if (!this.enabled) return Infinity;
    const bound = this.#levels.limitFor(this.#levels.tagsFor(user, clientId));
    return bound === null ? Infinity : bound * (this.#samples.samples - 1) * (this.#samples.windowMs / 1000);
  }

  views(nowMs: number): QuotaSensorView[] {
    return [...this.#sensors.values()].map((s) => ({ tags: s.tags, rate: s.rate.rate(nowMs), throttleTimeMs: s.throttleTime.average(nowMs) }));
  }

  #sensor(user: string, clientId: string, nowMs: number): Sensor {
    const tags = this.#levels.tagsFor(user, clientId);
    const id = `${tags.user}\u0000${tags.clientId}`;
    let sensor = this.#sensors.get(id);
    if (sensor === undefined) {
      this.#makeRoom(nowMs);
      sensor = { tags, rate: new SampledStat(this.#samples), throttleTime: new SampledStat(THROTTLE_TIME_SAMPLES), lastRecordMs: nowMs };
      this.#sensors.set(id, sensor);
    }
    sensor.lastRecordMs = nowMs;
    return sensor;
  }

  #makeRoom(nowMs: number): void {
    if (nowMs - this.#lastSweepMs >= SWEEP_INTERVAL_MS || this.#sensors.size >= SENSORS_MAX) {
      this.#lastSweepMs = nowMs;
      for (const [id, s] of this.#sensors) if (nowMs - s.lastRecordMs >= SENSOR_IDLE_EXPIRY_MS) this.#sensors.delete(id);
    }
    if (this.#sensors.size >= SENSORS_MAX) this.#sensors.delete(this.#sensors.keys().next().value!);
  }
}

/**
 * Kafka's QuotaUtils.throttleTime: the delay X that brings an observed rate O over a window
 * W down to the bound T, from O * W / (W + X) = T: X = (O - T) / T * W, rounded to ms.
 */
export function throttleTimeMs(observed: number, bound: number, windowSizeMs: number): number {
  return Math.round(((observed - bound) / bound) * windowSizeMs);
}
