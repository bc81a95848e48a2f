// Where a latency run's tail comes from: reads rdkafka_performance's per-message latency
// file (-A, microseconds per line, in delivery order), prints p50/p99/p99.9/max and the
// episodes in which records took longer than a threshold (consecutive slow records, gaps of
// under 200 records joined), with their position in the run (record index / rate). A tail
// made of a few long episodes points at stalls (GC, disk); an even spread at per-request cost.
// Usage: npx node bench/latency-episodes.ts <latency file> [records/s = 20480] [threshold ms = 8]
import { summarizeLatencyFile } from './lib/latency.ts';
import { readFile } from 'node:fs/promises';

const [file, rateArg, thresholdArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: latency-episodes.ts <latency file> [records/s] [threshold ms]');
const rate = Number(rateArg ?? 20_480);
const thresholdUs = Number(thresholdArg ?? 8) * 1000;
/** Slow records closer than this (in records) belong to one episode. */
const JOIN_GAP = 200;
/** Episodes with fewer slow records are counted, not listed. */
const LIST_MIN = 50;

const s = await summarizeLatencyFile(file);
console.log(`${s.count} records: p50 ${s.p50Ms.toFixed(2)} p99 ${s.p99Ms.toFixed(2)} p99.9 ${s.p999Ms.toFixed(2)} max ${s.maxMs.toFixed(2)} ms`);
const latencies = (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '').map(Number);
interface Episode { first: number; last: number; slow: number; maxUs: number }
const episodes: Episode[] = [];
latencies.forEach((us, i) => {
  if (us <= thresholdUs) return;
  const last = episodes.at(-1);
  if (last !== undefined && i - last.last < JOIN_GAP) {
    last.last = i;
    last.slow++;
    last.maxUs = Math.max(last.maxUs, us);
  } else {
    episodes.push({ first: i, last: i, slow: 1, maxUs: us });
  }
});
const listed = episodes.filter((e) => e.slow >= LIST_MIN);
const slowTotal = episodes.reduce((n, e) => n + e.slow, 0);
console.log(`${slowTotal} records over ${thresholdUs / 1000} ms in ${episodes.length} episodes; those with >= ${LIST_MIN}:`);
for (const e of listed) {
  console.log(`  at ${(e.first / rate).toFixed(2)} s: ${e.slow} records, max ${(e.maxUs / 1000).toFixed(1)} ms, over ${((e.last - e.first + 1) / rate * 1000).toFixed(0)} ms`);
}
