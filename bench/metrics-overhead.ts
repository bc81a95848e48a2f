// What Gregor's metric hooks cost on scenario 1 of the benchmark (max-rate produce, 1 KiB
// records): starts Gregor with metrics.enabled=true and =false in turn (the order swapped
// every round, so drift on the shared machine hits both), runs scenario 1 against each
// through bench/lib (rdkafka_performance on the load-generator core, the broker pinned to
// its own), and prints records/s, MiB/s and broker CPU s/GiB per round, the medians, and
// the difference in %. CPU s/GiB is the steadier figure when other work shares the cores.
// Usage: npx node bench/metrics-overhead.ts   (rdkafka_performance is built as by `npm run bench`)
// Knobs (environment): OVERHEAD_ROUNDS (3), BENCH_RUNS (2, measured runs per start),
// BENCH_SECONDS (5), BENCH_WARMUP_SECONDS (2), BENCH_PARTITIONS (16), BENCH_DATA_DIR (os tmpdir),
// BENCH_NICE and BENCH_NODE_ARGS as for bench/run.ts.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTools } from './lib/build.ts';
import { SCENARIOS, runScenario } from './lib/scenarios.ts';
import type { BenchConfig, RunFigures } from './lib/scenarios.ts';
import { fmt } from './lib/aggregate.ts';
import { gregorEntryPoints, startGregor } from './lib/targets.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logFile = join(benchDir, 'results', `metrics-overhead-${stamp}.log`);
const SCENARIO = SCENARIOS.find((s) => s.id === 1)!;

type Variant = 'on' | 'off';

interface Row {
  round: number;
  variant: Variant;
  figures: RunFigures;
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
  const rounds = envNumber('OVERHEAD_ROUNDS', 3);
  await mkdir(dirname(logFile), { recursive: true });
  const dataDir = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'gregor-overhead-'));
  const scratchDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : dataDir, 'gregor-overhead-lat-'));
  try {
    const cfg: BenchConfig = {
      perf: (await buildTools(benchDir)).perf,
      runs: envNumber('BENCH_RUNS', 2),
      seconds: envNumber('BENCH_SECONDS', 5),
      warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 2),
      partitions: envNumber('BENCH_PARTITIONS', 16),
      fetchWaitMaxMs: 500,
      scratchDir,
      dataDir,
    };
    log(`scenario ${SCENARIO.id} (${SCENARIO.title}), ${rounds} rounds x ${cfg.runs} runs x ${cfg.seconds} s per variant; ` +
      `load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')}; Gregor's log: ${logFile}`);
    const rows: Row[] = [];
    for (let round = 1; round <= rounds; round++) {
      const order: Variant[] = round % 2 === 1 ? ['on', 'off'] : ['off', 'on'];
      for (const variant of order) rows.push({ round, variant, figures: await measure(variant, cfg) });
    }
    log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    log(report(rows));
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** One fresh broker with metrics.enabled=<variant>, scenario 1 on it (medians of its runs). */
async function measure(variant: Variant, cfg: BenchConfig): Promise<RunFigures> {
  const entry = gregorEntryPoints(repoRoot)[0];
  if (entry === undefined) throw new Error('no Gregor entry point (src/cli/main.ts) to start');
  log(`- metrics ${variant}`);
  const target = await startGregor(repoRoot, entry.script, cfg.partitions, cfg.dataDir, logFile, {
    'metrics.enabled': String(variant === 'on'),
    'http.listener': '127.0.0.1:0',
  });
  try {
    return (await runScenario(target, SCENARIO, cfg, (s) => log(`  ${s}`))).median;
  } finally {
    await target.stop();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Per-round rows, then each variant's median over rounds and what metrics cost in %. */
function report(rows: Row[]): string {
  const lines = ['| round | metrics | records/s | MiB/s | broker CPU s/GiB |', '|---|---|---|---|---|'];
  for (const { round, variant, figures: f } of rows) {
    lines.push(`| ${round} | ${variant} | ${fmt(f.recordsPerSec)} | ${f.MiBps.toFixed(1)} | ${f.brokerCpuSecPerGiB.toFixed(2)} |`);
  }
  const of = (variant: Variant, pick: (f: RunFigures) => number): number =>
    median(rows.filter((r) => r.variant === variant).map((r) => pick(r.figures)));
  const rate = { on: of('on', (f) => f.recordsPerSec), off: of('off', (f) => f.recordsPerSec) };
  const mib = { on: of('on', (f) => f.MiBps), off: of('off', (f) => f.MiBps) };
  const cpu = { on: of('on', (f) => f.brokerCpuSecPerGiB), off: of('off', (f) => f.brokerCpuSecPerGiB) };
  const pct = (change: number, base: number): string => `${((change / base) * 100).toFixed(1)} %`;
  lines.push(
    `| median | on | ${fmt(rate.on)} | ${mib.on.toFixed(1)} | ${cpu.on.toFixed(2)} |`,
    `| median | off | ${fmt(rate.off)} | ${mib.off.toFixed(1)} | ${cpu.off.toFixed(2)} |`,
    '',
    `throughput cost of metrics: ${pct(rate.off - rate.on, rate.off)} of records/s, ${pct(mib.off - mib.on, mib.off)} of MiB/s (positive = slower with metrics)`,
    `CPU cost of metrics: ${pct(cpu.on - cpu.off, cpu.off)} broker CPU s/GiB (positive = more CPU with metrics)`,
  );
  return lines.join('\n');
}

await main();
