// Gregor's benchmark (`npm run bench`): builds the native tools, measures the machine's
// ceilings, then runs every scenario against librdkafka's mock cluster and against Gregor,
// prints Markdown tables and writes the raw figures to bench/results/<time>.json.
// Knobs (environment): BENCH_RUNS (3), BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (3),
// BENCH_TARGETS (mock,gregor), BENCH_SCENARIOS (1,2,3,4,5,6), BENCH_PARTITIONS (16),
// BENCH_FETCH_WAIT_MS (500), BENCH_CEILING_SECONDS (3), BENCH_DISK_MIB (4096),
// BENCH_DATA_DIR (os tmpdir), BENCH_NODE_CLIENT (1; 0 skips the kafkajs view), BENCH_NODE_ARGS (extra Node flags for Gregor), BENCH_NICE
// (unset; e.g. -10 runs broker and load generator at that niceness, needs root),
// BENCH_REBUILD=1, RDKAFKA_SRC (an extracted librdkafka tree), BENCH_BACKLOG_MIB (4096, scenario 5).
import { existsSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTools } from './lib/build.ts';
import { measureCeilings } from './lib/ceilings.ts';
import type { Ceilings } from './lib/ceilings.ts';
import { runNodeClient } from './lib/node-client.ts';
import type { NodeClientResult } from './lib/node-client.ts';
import { runChecked } from './lib/proc.ts';
import { catchUpTable, ceilingsTable, durableTable, manyPartitionsTable, nodeClientTable, scenarioTable } from './lib/report.ts';
import { SCENARIOS, runScenario } from './lib/scenarios.ts';
import type { Scenario, ScenarioResult } from './lib/scenarios.ts';
import { CATCH_UP, backlogBytes, diskTooSmall, runCatchUp } from './lib/catch-up.ts';
import { MANY_PARTITIONS, runManyPartitions } from './lib/many-partitions.ts';
import type { MultiProducerConfig } from './lib/multi-producer.ts';
import { gregorEntryPoints, startGregor, startMock } from './lib/targets.ts';
import type { Target } from './lib/targets.ts';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDir);
const resultsDir = join(benchDir, 'results');
const stamp = new Date().toISOString().replace(/[:.]/g, '-');

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

function envList(name: string, fallback: string): string[] {
  return (process.env[name] ?? fallback).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

const log = (s: string): void => console.log(s);

// kafkajs (used for CreateTopics) trips Node 24's TimeoutNegativeWarning; it is harmless noise here.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(`${w.name}: ${w.message}`);
});

async function main(): Promise<void> {
  await mkdir(resultsDir, { recursive: true });
  const dataDir = await mkdtemp(join(process.env.BENCH_DATA_DIR ?? tmpdir(), 'gregor-bench-'));
  const scratchDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : dataDir, 'gregor-bench-lat-'));
  // An early exit (crash, closed stdout) skips the finally below; 'exit' handlers must be synchronous.
  process.once('exit', () => {
    for (const dir of [scratchDir, dataDir]) rmSync(dir, { recursive: true, force: true });
  });
  try {
    log('building load generator and mock broker into bench/.build/ ...');
    const tools = await buildTools(benchDir);
    const cfg: MultiProducerConfig = {
      perf: tools.perf,
      multiProducer: tools.multiProducer,
      wireProducer: tools.wireProducer,
      runs: envNumber('BENCH_RUNS', 3),
      seconds: envNumber('BENCH_SECONDS', 10),
      warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 3),
      partitions: envNumber('BENCH_PARTITIONS', 16),
      fetchWaitMaxMs: envNumber('BENCH_FETCH_WAIT_MS', 500),
      scratchDir,
      dataDir,
    };
    const tree = await treeState();
    log(`Gregor tree: ${tree}`);
    log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (anything else running on the ${cpus().length} cores skews every figure)` +
      (process.env.BENCH_NICE ? `; bench processes run at nice ${process.env.BENCH_NICE}` : ''));
    log(`measuring ceilings (data dir ${dataDir}) ...`);
    const ceilings = await measureCeilings({
      benchDir, dataDir,
      loopbackSeconds: envNumber('BENCH_CEILING_SECONDS', 3),
      diskWriteMiB: envNumber('BENCH_DISK_MIB', 4096),
      fdatasyncSeconds: envNumber('BENCH_CEILING_SECONDS', 3),
    });
    log(`\n${ceilingsTable(ceilings)}\n`);
    const results = await runAll(cfg, ceilings);
    const nodeClient = process.env.BENCH_NODE_CLIENT === '0' ? [] : await runNodeClientView(cfg, ceilings);
    await writeFile(join(resultsDir, `${stamp}.json`), JSON.stringify({ stamp, tree, cfg, ceilings, results, nodeClient }, null, 2));
    log(`\nload average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    log(`raw figures: bench/results/${stamp}.json`);
  } finally {
    await rm(scratchDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The commit measured, and how many files under src/ differ from it (work in progress). */
async function treeState(): Promise<string> {
  try {
    const commit = (await runChecked('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, timeoutMs: 10_000 })).trim();
    const dirty = (await runChecked('git', ['status', '--porcelain', '--', 'src'], { cwd: repoRoot, timeoutMs: 10_000 }))
      .split('\n').filter((l) => l.trim() !== '').length;
    return dirty === 0 ? `commit ${commit}` : `commit ${commit} + ${dirty} uncommitted file(s) under src/`;
  } catch {
    return 'not a git checkout';
  }
}

async function runAll(cfg: MultiProducerConfig, ceilings: Ceilings): Promise<ScenarioResult[]> {
  const ids = envList('BENCH_SCENARIOS', '1,2,3,4,5,6').map(Number);
  const all: ScenarioResult[] = [];
  for (const scenario of SCENARIOS.filter((s) => ids.includes(s.id))) {
    log(`\n## Scenario ${scenario.id}: ${scenario.title} (acks=${scenario.acks}, linger ${scenario.lingerMs} ms, batch 1 MiB, ${cfg.partitions} partitions)`);
    const results = await forEachTarget(targetsFor(scenario), cfg, (target) => runScenario(target, scenario, cfg, log));
    log(`\n${scenarioTable(results, ceilings)}`);
    all.push(...results);
  }
  if (ids.includes(4)) {
    const durable = all.filter((r) => r.scenario.id === 4);
    log(`\n### Scenario 4 against its targets\n\n${durableTable(durable.filter((r) => r.scenario.targetRate !== null), durable.filter((r) => r.scenario.targetRate === null), ceilings)}`);
  }
  if (ids.includes(5)) all.push(...(await runCatchUpScenario(cfg, ceilings)));
  if (ids.includes(6)) {
    log(`\n## Scenario 6: ${MANY_PARTITIONS.title} (acks=1, one request per record)`);
    const results = await forEachTarget(targetsFor(MANY_PARTITIONS), cfg, (target) => runManyPartitions(target, cfg, log));
    log(`\n${scenarioTable(results, ceilings)}\n\n${manyPartitionsTable(results)}`);
    all.push(...results);
  }
  return all;
}

async function runCatchUpScenario(cfg: MultiProducerConfig, ceilings: Ceilings): Promise<ScenarioResult[]> {
  const backlog = backlogBytes();
  log(`\n## Scenario 5: ${CATCH_UP.title} (backlog ${(backlog / 2 ** 30).toFixed(2)} GiB, ${cfg.partitions} partitions)`);
  const tooSmall = await diskTooSmall(cfg.dataDir, backlog);
  if (tooSmall) {
    log(`  SKIPPED: ${tooSmall}`);
    return [];
  }
  const results = await forEachTarget(targetsFor(CATCH_UP), cfg, (target) => runCatchUp(target, cfg, log));
  log(`\n${scenarioTable(results, ceilings)}\n\n${catchUpTable(results, ceilings)}`);
  return results;
}

/** BENCH_TARGETS, without the mock where it makes no sense (said in the output). */
function targetsFor(scenario: Scenario): string[] {
  const names = envList('BENCH_TARGETS', 'mock,gregor');
  if (scenario.mockLeftOut === null || !names.includes('mock')) return names;
  log(`- mock: left out, ${scenario.mockLeftOut}`);
  return names.filter((n) => n !== 'mock');
}

async function runNodeClientView(cfg: MultiProducerConfig, ceilings: Ceilings): Promise<NodeClientResult[]> {
  log(`\n## Node client view: kafkajs producer, max rate, 1 KiB records, acks=1, ${cfg.seconds} s`);
  const results = await forEachTarget(envList('BENCH_TARGETS', 'mock,gregor'), cfg, (target) =>
    runNodeClient(benchDir, target, cfg.partitions, cfg.warmupSeconds, cfg.seconds),
  );
  log(`\n${nodeClientTable(results, ceilings)}`);
  return results;
}

/** Starts each target fresh, runs the measurement, stops it; a target that fails is reported and skipped. */
async function forEachTarget<T>(names: string[], cfg: MultiProducerConfig, measure: (target: Target) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (const name of names) {
    log(`- ${name}`);
    const start = starter(name, cfg);
    if (!start) continue;
    let target: Target;
    try {
      target = await start();
    } catch (err) {
      log(`  NOT RUNNABLE: ${(err as Error).message}`);
      continue;
    }
    try {
      results.push(await measure(target));
    } catch (err) {
      log(`  FAILED: ${(err as Error).message}`);
    } finally {
      await target.stop();
    }
  }
  return results;
}

function starter(name: string, cfg: MultiProducerConfig): (() => Promise<Target>) | null {
  if (name === 'mock') return () => startMock(join(benchDir, '.build', 'mock-broker'));
  if (name === 'gregor') {
    const entries = gregorEntryPoints(repoRoot);
    if (entries.length === 0) {
      log('  SKIPPED: neither src/cli/main.ts nor src/broker.ts exists yet');
      return null;
    }
    const logFile = join(resultsDir, `gregor-${stamp}.log`);
    return async () => {
      for (const entry of entries) {
        try {
          const target = await startGregor(repoRoot, entry.script, cfg.partitions, cfg.dataDir, logFile);
          log(`  started through ${entry.via}; its log: bench/results/gregor-${stamp}.log`);
          return target;
        } catch (err) {
          log(`  could not start through ${entry.via}: ${(err as Error).message}`);
        }
      }
      throw new Error('Gregor is not runnable yet');
    };
  }
  throw new Error(`unknown target ${name} (BENCH_TARGETS takes mock,gregor)`);
}

await main();
