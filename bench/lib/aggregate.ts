// Reduces a scenario's measured runs to one row: the median of each figure on its own
// (as perf-test summaries do), and the number format the tables use.
import type { LatencySummary } from './latency.ts';
import type { RunFigures } from './scenarios.ts';

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median of every figure across runs, each figure on its own (as perf-test summaries do). */
export function medianOf(runs: RunFigures[]): RunFigures {
  const m = (pick: (r: RunFigures) => number): number => median(runs.map(pick));
  const lat = (pick: (r: RunFigures) => LatencySummary): LatencySummary => ({
    count: m((r) => pick(r).count),
    avgMs: m((r) => pick(r).avgMs),
    p50Ms: m((r) => pick(r).p50Ms),
    p95Ms: m((r) => pick(r).p95Ms),
    p99Ms: m((r) => pick(r).p99Ms),
    p999Ms: m((r) => pick(r).p999Ms),
    maxMs: m((r) => pick(r).maxMs),
  });
  return {
    records: m((r) => r.records),
    failed: m((r) => r.failed),
    recordsPerSec: m((r) => r.recordsPerSec),
    MiBps: m((r) => r.MiBps),
    latency: lat((r) => r.latency),
    endToEnd: runs[0].endToEnd ? lat((r) => r.endToEnd as LatencySummary) : null,
    consumerRecords: m((r) => r.consumerRecords),
    consumerRecordsPerSec: m((r) => r.consumerRecordsPerSec),
    consumerMiBps: m((r) => r.consumerMiBps),
    brokerCpuSecPerGiB: m((r) => r.brokerCpuSecPerGiB),
    brokerCoreBusyPct: m((r) => r.brokerCoreBusyPct),
    brokerCpuSecPerGiBByThread: {
      main: m((r) => r.brokerCpuSecPerGiBByThread.main),
      v8: m((r) => r.brokerCpuSecPerGiBByThread.v8),
      libuv: m((r) => r.brokerCpuSecPerGiBByThread.libuv),
      other: m((r) => r.brokerCpuSecPerGiBByThread.other),
    },
  };
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
