// Latency summaries in kafka-producer-perf-test's form (avg/p50/p95/p99/p99.9/max, ms),
// computed from rdkafka_performance's per-message latency file (-A: one integer of
// microseconds per line).
import { readFile } from 'node:fs/promises';

export interface LatencySummary {
  count: number;
  avgMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
}

/** Parses the file with a byte scanner: files reach tens of millions of lines. */
export async function summarizeLatencyFile(path: string): Promise<LatencySummary> {
  const bytes = await readFile(path);
  let values: Float64Array = new Float64Array(1 << 20);
  let count = 0;
  let current = 0;
  let inNumber = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b >= 0x30 && b <= 0x39) {
      current = current * 10 + (b - 0x30);
      inNumber = true;
    } else if (inNumber) {
      if (count === values.length) values = grow(values);
      values[count++] = current;
      current = 0;
      inNumber = false;
    }
  }
  if (inNumber) {
    if (count === values.length) values = grow(values);
    values[count++] = current;
  }
  return summarize(values.subarray(0, count));
}

function grow(values: Float64Array): Float64Array {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  return bigger;
}

/** Summarizes microsecond samples into milliseconds (nearest-rank percentiles). */
export function summarize(samplesUs: Float64Array): LatencySummary {
  const sorted = samplesUs.slice().sort();
  const count = sorted.length;
  if (count === 0) return { count, avgMs: NaN, p50Ms: NaN, p95Ms: NaN, p99Ms: NaN, p999Ms: NaN, maxMs: NaN };
  let sum = 0;
  for (const v of sorted) sum += v;
  const at = (q: number): number => sorted[Math.min(count - 1, Math.ceil(q * count) - 1)] / 1000;
  return {
    count,
    avgMs: sum / count / 1000,
    p50Ms: at(0.5),
    p95Ms: at(0.95),
    p99Ms: at(0.99),
    p999Ms: at(0.999),
    maxMs: sorted[count - 1] / 1000,
  };
}
