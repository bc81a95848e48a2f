/**
 * A value measured over a ring of time samples, as Kafka's SampledStat / Rate / Avg
 * (org.apache.kafka.common.metrics.stats): each sample covers `windowMs` from its first
 * event; when a record falls past the current sample's window the next slot is reset and
 * used (samples + 1 slots, so a sample overlapping the monitored span is kept); a sample
 * with no event for samples * windowMs is reset on read.
 *
 * The rate divides the retained total by Kafka's window size: the time since the oldest
 * sample started, but never less than samples - 1 full windows (so a first burst is not
 * measured over a few milliseconds) and never less than 1 ms.
 *
 * Time is passed in by the caller (ms, broker clock), so tests move it by hand.
 */

export interface SampleConfig {
  /** quota.window.num */
  readonly samples: number;
  /** quota.window.size.seconds, in ms */
  readonly windowMs: number;
}

interface Sample {
  value: number;
  count: number;
  startMs: number;
  lastEventMs: number;
}

export class SampledStat {
  readonly #config: SampleConfig;
  readonly #samples: Sample[] = [];
  #current = 0;

  constructor(config: SampleConfig) {
    this.#config = config;
  }

  get config(): SampleConfig {
    return this.#config;
  }

  record(value: number, nowMs: number): void {
    let sample = this.#currentSample(nowMs);
    if (nowMs - sample.startMs >= this.#config.windowMs) sample = this.#advance(nowMs);
    sample.value += value;
    sample.count += 1;
    sample.lastEventMs = nowMs;
  }

  /** Sum of the retained samples' values. */
  total(nowMs: number): number {
    this.#purgeObsolete(nowMs);
    let total = 0;
    for (const s of this.#samples) total += s.value;
    return total;
  }

  /** Per second: total / window size. */
  rate(nowMs: number): number {
    const total = this.total(nowMs);
    return total / (this.windowSizeMs(nowMs) / 1000);
  }

  /** Mean of the recorded values still retained (0 when there are none). */
  average(nowMs: number): number {
    const total = this.total(nowMs);
    let count = 0;
    for (const s of this.#samples) count += s.count;
    return count === 0 ? 0 : total / count;
  }

  /** Kafka's Rate.windowSize: the span the rate is measured over. */
  windowSizeMs(nowMs: number): number {
    this.#purgeObsolete(nowMs);
    const { samples, windowMs } = this.#config;
    let elapsedMs = nowMs - this.#oldestStartMs(nowMs);
    const fullWindows = Math.trunc(elapsedMs / windowMs);
    if (fullWindows < samples - 1) elapsedMs += (samples - 1 - fullWindows) * windowMs;
    return Math.max(elapsedMs, 1);
  }

  #currentSample(nowMs: number): Sample {
    if (this.#samples.length === 0) this.#samples.push(newSample(nowMs));
    return this.#samples[this.#current];
  }

  #advance(nowMs: number): Sample {
    this.#current = (this.#current + 1) % (this.#config.samples + 1);
    if (this.#current >= this.#samples.length) {
      const sample = newSample(nowMs);
      this.#samples.push(sample);
      return sample;
    }
    const sample = this.#samples[this.#current];
    reset(sample, nowMs);
    return sample;
  }

  #oldestStartMs(nowMs: number): number {
    if (this.#samples.length === 0) this.#samples.push(newSample(nowMs));
    let oldest = this.#samples[0].startMs;
    for (const s of this.#samples) oldest = Math.min(oldest, s.startMs);
    return oldest;
  }

  #purgeObsolete(nowMs: number): void {
    const expireAgeMs = this.#config.samples * this.#config.windowMs;
    for (const s of this.#samples) {
      if (nowMs - s.lastEventMs >= expireAgeMs) reset(s, nowMs);
    }
  }
}

function newSample(nowMs: number): Sample {
  return { value: 0, count: 0, startMs: nowMs, lastEventMs: nowMs };
}

function reset(sample: Sample, nowMs: number): void {
  sample.value = 0;
  sample.count = 0;
  sample.startMs = nowMs;
  sample.lastEventMs = nowMs;
}
