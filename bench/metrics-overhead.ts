// What Gregor's metric hooks cost under scenario 1's load of the benchmark (max-rate
// produce, 1 KiB records, linger 5 ms, batches up to 1 MiB, acks=1, 16 partitions): starts
// Gregor with metrics.enabled=true and =false in turn, the order swapped every round so
// drift on a shared machine hits both, and has rdkafka_performance (bench/lib, on the
// load-generator core; the broker pinned to its own) produce the same fixed number of
// records to each after a short warm-up. Prints per round and as medians: records/s, MiB/s
// and broker CPU s/GiB, and what metrics cost in % (also as the median of each round's
// pair, which cancels load that changes between rounds). The same work on both sides makes
// CPU s/GiB the steadier figure when other work shares the cores; throughput follows
// whatever else runs. Because even CPU s/GiB moves by more than 3 % on a busy machine, it
// also bounds the hooks' cost without timing the broker: Produce requests per GiB (from
// /metrics of the metrics-on runs) times what the hooks cost per request in this process
// (the same RequestMetrics and TopicStats code, timed in a loop, best of several tries).
// Usage: npx node bench/metrics-overhead.ts   (rdkafka_performance is built as by `npm run bench`)
// Knobs (environment): OVERHEAD_ROUNDS (5), OVERHEAD_RECORDS (1000000 per measured run),
// BENCH_PARTITIONS (16), BENCH_DATA_DIR (os tmpdir), BENCH_NICE and BENCH_NODE_ARGS as for bench/run.ts.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt } from './lib/aggregate.ts';
import { buildTools } from './lib/build.ts';
import { produce } from './lib/loadgen.ts';
import { cpuSeconds } from './lib/proc.ts';
import { SCENARIOS } from './lib/scenarios.ts';
import { freePort, gregorEntryPoints, startGregor } from './lib/targets.ts';
import { RequestMetrics } from '../src/metrics/request-metrics.ts';
import { ApiKey } from '../src/protocol/generated/api-table.ts';
import { TopicStats } from '../src/replication/topic-stats.ts';
import type { Target } from './lib/targets.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logFile = join(benchDir, 'results', `metrics-overhead-${stamp}.log`);
const SCENARIO = SCENARIOS.find((s) => s.id === 1)!;
/** Scenario 1's producer settings besides record size and linger (bench/lib/scenarios.ts). */
const ACKS = 1;
const BATCH_BYTES = 1 << 20;
/** Records produced to a fresh broker before the measured run (JIT, first segment files). */
const WARMUP_RECORDS = 100_000;
const PRODUCE_TIMEOUT_MS = 300_000;
const MiB = 1 << 20;
const GiB = 1 << 30;

type Variant = 'on' | 'off';

interface Figures {
  recordsPerSec: number;
  MiBps: number;
  cpuSecPerGiB: number;
  /** Produce requests the broker counted per GiB produced (metrics on only). */
  produceRequestsPerGiB?: number;
}

interface Settings {
  perf: string;
  records: number;
  partitions: number;
  dataDir: string;
  scratchDir: string;
}

function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name] || fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${process.env[name]}`);
  return value;
}

const log = (s: string): void => console.log(s);

// kafkajs (CreateTopics) trips Node 24's TimeoutNegativeWarning; harmless noise here.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(`${w.name}: ${w.message}`);
});

async function main(): Promise<void> {
  const rounds = envNumber('OVERHEAD_ROUNDS', 5);
  await mkdir(dirname(logFile), { recursive: true });
  const dataDir = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'gregor-overhead-'));
  const scratchDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : dataDir, 'gregor-overhead-lat-'));
  try {
    const settings: Settings = {
      perf: (await buildTools(benchDir)).perf,
      records: envNumber('OVERHEAD_RECORDS', 1_000_000),
      partitions: envNumber('BENCH_PARTITIONS', 16),
      dataDir,
      scratchDir,
    };
    log(`scenario ${SCENARIO.id}'s load (${SCENARIO.title}), ${fmt(settings.records)} records per run, ${rounds} rounds; ` +
      `load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; Gregor's log: ${logFile}`);
    const rows: Row[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: Variant[] = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
      for (const variant of order) {
        const figures = await measure(variant, settings);
        log(`  round ${round}, metrics ${variant}: ${fmt(figures.recordsPerSec)} records/s, ${figures.MiBps.toFixed(1)} MiB/s, ` +
          `broker CPU ${figures.cpuSecPerGiB.toFixed(2)} s/GiB`);
        rows.push({ round, variant, figures });
      }
    }
    log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    log(report(rows));
    log(hookBound(rows, settings.partitions));
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** A fresh broker with metrics.enabled=<variant>: a warm-up, then the measured run. */
async function measure(variant: Variant, settings: Settings): Promise<Figures> {
  const entry = gregorEntryPoints(repoRoot)[0];
  if (entry === undefined) throw new Error('no Gregor entry point (src/cli/main.ts) to start');
  const httpUrl = `http://127.0.0.1:${await freePort()}`;
  const target = await startGregor(repoRoot, entry.script, settings.partitions, settings.dataDir, logFile, {
    'metrics.enabled': String(variant === 'on'),
    'http.listener': httpUrl.slice('http://'.length),
  });
  try {
    await produceTo(target, settings, WARMUP_RECORDS);
    const requestsBefore = await produceRequests(httpUrl);
    const figures = await produceTo(target, settings, settings.records);
    if (variant === 'off') return figures;
    const gib = (settings.records * SCENARIO.recordBytes) / GiB;
    return { ...figures, produceRequestsPerGiB: ((await produceRequests(httpUrl)) - requestsBefore) / gib };
  } finally {
    await target.stop();
  }
}

/** Produces `records` to a new topic; the broker's CPU time over exactly that work. */
async function produceTo(target: Target, settings: Settings, records: number): Promise<Figures> {
  const topic = `overhead-${Date.now()}`;
  await target.createTopic(topic, settings.partitions);
  const latencyFile = join(settings.scratchDir, `${topic}.lat`);
  const cpuBefore = await cpuSeconds(target.pid);
  const produced = await produce(settings.perf, {
    bootstrap: target.bootstrap, topic, recordBytes: SCENARIO.recordBytes, records, acks: ACKS,
    lingerMs: SCENARIO.lingerMs, batchBytes: BATCH_BYTES, rateLimit: null, latencyFile, timeoutMs: PRODUCE_TIMEOUT_MS,
  });
  const cpuUsed = (await cpuSeconds(target.pid)) - cpuBefore;
  await rm(latencyFile, { force: true });
  if (produced.delivered !== records) {
    throw new Error(`${fmt(produced.delivered)} of ${fmt(records)} records delivered: ${produced.errors.join(' / ')}`);
  }
  const seconds = produced.elapsedMs / 1000;
  return { recordsPerSec: records / seconds, MiBps: produced.bytes / MiB / seconds, cpuSecPerGiB: cpuUsed / (produced.bytes / GiB) };
}

/** Produce requests the broker has completed, from its /metrics. */
async function produceRequests(httpUrl: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  return [...text.matchAll(/^kafka_network_requestmetrics_requests_total\{request="Produce",version="\d+"\} (\d+)$/gm)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
}

/** Nanoseconds per call of `fn`: the best of a few timed loops (other work only adds time). */
function bestNanos(fn: (i: number) => void): number {
  const CALLS = 1_000_000;
  const TRIES = 5;
  let best = Infinity;
  for (let t = 0; t < TRIES; t++) {
    const start = performance.now();
    for (let i = 0; i < CALLS; i++) fn(i);
    best = Math.min(best, ((performance.now() - start) * 1e6) / CALLS);
  }
  return best;
}

/**
 * The hooks' cost per GiB, bounded: Produce requests per GiB (measured) x (one request
 * observation + one append count per partition of the request, at most `partitions`).
 */
function hookBound(rows: Row[], partitions: number): string {
  const perGiB = median(rows.flatMap((r) => (r.figures.produceRequestsPerGiB === undefined ? [] : [r.figures.produceRequestsPerGiB])));
  const requests = new RequestMetrics();
  const stats = new TopicStats();
  const counters = stats.of('t');
  const requestNs = bestNanos((i) => requests.requestCompleted(ApiKey.Produce, 9, { queueMs: (i % 7) * 0.01, localMs: (i % 50) * 0.05, remoteMs: 0, sendMs: 0.02 }));
  const appendNs = bestNanos((i) => stats.recordAppend(counters, 65_536 + (i % 3), 64));
  const secPerGiB = (perGiB * (requestNs + partitions * appendNs)) / 1e9;
  const cpuOn = median(rows.filter((r) => r.variant === 'on').map((r) => r.figures.cpuSecPerGiB));
  return [
    '',
    `hook bound: ${fmt(perGiB)} Produce requests/GiB x (${requestNs.toFixed(0)} ns per request observed + ${partitions} x ${appendNs.toFixed(0)} ns per partition append counted)`,
    `  = ${(secPerGiB * 1000).toFixed(2)} ms CPU per GiB = ${((secPerGiB / cpuOn) * 100).toFixed(2)} % of the median ${cpuOn.toFixed(2)} s/GiB with metrics on`,
  ].join('\n');
}

interface Row {
  round: number;
  variant: Variant;
  figures: Figures;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per-round rows, each variant's medians, and the cost of metrics in %. */
function report(rows: Row[]): string {
  const lines = ['| round | metrics | records/s | MiB/s | broker CPU s/GiB |', '|---|---|---|---|---|'];
  for (const { round, variant, figures: f } of rows) {
    lines.push(`| ${round} | ${variant} | ${fmt(f.recordsPerSec)} | ${f.MiBps.toFixed(1)} | ${f.cpuSecPerGiB.toFixed(2)} |`);
  }
  const of = (variant: Variant): Figures[] => rows.filter((r) => r.variant === variant).map((r) => r.figures);
  const [on, off] = [of('on'), of('off')];
  const medians = (fs: Figures[]): Figures => ({
    recordsPerSec: median(fs.map((f) => f.recordsPerSec)), MiBps: median(fs.map((f) => f.MiBps)), cpuSecPerGiB: median(fs.map((f) => f.cpuSecPerGiB)),
  });
  const [mOn, mOff] = [medians(on), medians(off)];
  lines.push(
    `| median | on | ${fmt(mOn.recordsPerSec)} | ${mOn.MiBps.toFixed(1)} | ${mOn.cpuSecPerGiB.toFixed(2)} |`,
    `| median | off | ${fmt(mOff.recordsPerSec)} | ${mOff.MiBps.toFixed(1)} | ${mOff.cpuSecPerGiB.toFixed(2)} |`,
  );
  // Cost in %: throughput lost with metrics (positive = slower), CPU added (positive = more).
  const slower = (a: Figures, b: Figures): number => ((b.recordsPerSec - a.recordsPerSec) / b.recordsPerSec) * 100;
  const costlier = (a: Figures, b: Figures): number => ((a.cpuSecPerGiB - b.cpuSecPerGiB) / b.cpuSecPerGiB) * 100;
  const pairs = on.map((a, i) => [a, off[i]] as const);
  const pct = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)} %`;
  lines.push(
    '',
    `metrics on vs off, medians:          throughput ${pct(-slower(mOn, mOff))} (records/s and MiB/s), broker CPU s/GiB ${pct(costlier(mOn, mOff))}`,
    `metrics on vs off, median of rounds: throughput ${pct(-median(pairs.map(([a, b]) => slower(a, b))))}, broker CPU s/GiB ${pct(median(pairs.map(([a, b]) => costlier(a, b))))}`,
    `per round, CPU s/GiB on vs off: ${pairs.map(([a, b]) => pct(costlier(a, b))).join(', ')}`,
  );
  return lines.join('\n');
}

await main();
