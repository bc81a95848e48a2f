// The produce scenarios (1-4) and how one is run against one target: a sizing probe, a
// warm-up run, then N measured runs (each on its own fresh topic) reduced to medians.
// Scenarios 5 (catch-up) and 6 (many partitions) have their own modules.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { produce, startConsumer } from './loadgen.ts';
import type { ConsumeResult, ProduceResult, RunningConsumer } from './loadgen.ts';
import { summarizeLatencyFile } from './latency.ts';
import type { LatencySummary } from './latency.ts';
import { cpuSeconds, cpuSecondsByThread, peakRssBytes } from './proc.ts';
import type { Target } from './targets.ts';
import { fmt, medianOf } from './aggregate.ts';

export interface Scenario {
  id: number;
  title: string;
  recordBytes: number;
  lingerMs: number;
  /** records/s the producer is held to; null = as fast as it can */
  targetRate: number | null;
  /** run a consumer alongside the producer and measure producer timestamp to receipt */
  endToEnd: boolean;
  /** producer acks: 1 = leader appended, -1 = all in-sync replicas (with flush.messages=1: fsynced) */
  acks: number;
  /** topic configs of the bench topics */
  topicConfigs: Record<string, string>;
  /** why librdkafka's mock broker is left out of this scenario; null = it is measured */
  mockLeftOut: string | null;
}

/** Kafka's knob for an fsync before the append is acknowledged (every message). */
const DURABLE: Record<string, string> = { 'flush.messages': '1' };
const MOCK_HAS_NO_DISK = 'the mock writes nothing to disk, so it has nothing to fsync: a durable run of it would measure the same as scenario 1';

export const SCENARIOS: Scenario[] = [
  { id: 1, title: 'max-rate produce, 1 KiB records', recordBytes: 1024, lingerMs: 5, targetRate: null, endToEnd: false, acks: 1, topicConfigs: {}, mockLeftOut: null },
  { id: 2, title: 'max-rate produce, 100 B records', recordBytes: 100, lingerMs: 5, targetRate: null, endToEnd: false, acks: 1, topicConfigs: {}, mockLeftOut: null },
  { id: 3, title: 'fixed 50,000 records/s x 1 KiB, end-to-end', recordBytes: 1024, lingerMs: 1, targetRate: 50_000, endToEnd: true, acks: 1, topicConfigs: {}, mockLeftOut: null },
  {
    id: 4, title: 'durable produce (flush.messages=1, acks=-1), fixed 20 MiB/s = 20,480 records/s x 1 KiB',
    recordBytes: 1024, lingerMs: 1, targetRate: 20_480, endToEnd: false, acks: -1, topicConfigs: DURABLE, mockLeftOut: MOCK_HAS_NO_DISK,
  },
  {
    id: 4, title: 'durable produce (flush.messages=1, acks=-1), max rate, 1 KiB records',
    recordBytes: 1024, lingerMs: 5, targetRate: null, endToEnd: false, acks: -1, topicConfigs: DURABLE, mockLeftOut: MOCK_HAS_NO_DISK,
  },
];

export interface BenchConfig {
  perf: string;
  runs: number;
  seconds: number;
  warmupSeconds: number;
  partitions: number;
  fetchWaitMaxMs: number;
  /** where per-message latency files go (tmpfs when there is one) */
  scratchDir: string;
  /** the bench data dir (disk ceilings, Gregor's log dirs): removed at the end */
  dataDir: string;
}

export interface RunFigures {
  records: number;
  failed: number;
  recordsPerSec: number;
  MiBps: number;
  latency: LatencySummary;
  /** scenario 3 only */
  endToEnd: LatencySummary | null;
  consumerRecords: number;
  consumerRecordsPerSec: number;
  consumerMiBps: number;
  brokerCpuSecPerGiB: number;
  /** broker CPU time over the produce phase's wall time: near 100 % means the broker is the limit */
  brokerCoreBusyPct: number;
  /** broker CPU s/GiB by Node thread kind (all of a non-Node broker's threads count as other) */
  brokerCpuSecPerGiBByThread: ThreadCpu;
}

export interface ThreadCpu {
  /** the event loop */
  main: number;
  /** V8Worker: garbage collection and background compilation */
  v8: number;
  /** libuv-worker: the file-system thread pool */
  libuv: number;
  other: number;
}

export interface ScenarioResult {
  target: string;
  scenario: Scenario;
  runs: RunFigures[];
  median: RunFigures;
  peakRssMiB: number;
}

const MiB = 1 << 20;
const GiB = 1 << 30;
const BATCH_BYTES = 1 << 20;
const PROBE_BYTES = 20 * MiB;
const CONSUMER_START_MS = 1500;
/** A fixed-rate run with a higher median latency was held back by the broker (see updatePacing). */
const PACING_BROKER_BOUND_P50_MS = 50;
/** How long the live consumer may lag behind the producer's end before it is stopped. */
const CONSUMER_DRAIN_MS = 15_000;

/** Mutable state carried from run to run: how many records fill the wanted duration, and the -r setting. */
interface Pacing {
  ratePerSec: number;
  rateLimit: number | null;
}

export async function runScenario(target: Target, scenario: Scenario, cfg: BenchConfig, log: (s: string) => void): Promise<ScenarioResult> {
  const pacing: Pacing = { ratePerSec: scenario.targetRate ?? 0, rateLimit: scenario.targetRate };
  if (scenario.targetRate === null) {
    const probe = await oneRun(target, scenario, cfg, `probe`, Math.ceil(PROBE_BYTES / scenario.recordBytes), pacing);
    log(`  probe: ${fmt(probe.recordsPerSec)} records/s`);
  }
  const warm = await oneRun(target, scenario, cfg, 'warmup', Math.max(1000, Math.round(pacing.ratePerSec * cfg.warmupSeconds)), pacing);
  log(`  warm-up: ${fmt(warm.recordsPerSec)} records/s`);
  const runs: RunFigures[] = [];
  for (let i = 1; i <= cfg.runs; i++) {
    const figures = await oneRun(target, scenario, cfg, `run${i}`, Math.max(1000, Math.round(pacing.ratePerSec * cfg.seconds)), pacing);
    log(`  run ${i}: ${fmt(figures.records)} records (${fmt(figures.failed)} failed), ${fmt(figures.recordsPerSec)} records/s, ` +
      `${figures.MiBps.toFixed(1)} MiB/s, p99 ${figures.latency.p99Ms.toFixed(2)} ms` +
      (figures.endToEnd ? `, end-to-end p99 ${figures.endToEnd.p99Ms.toFixed(2)} ms` : '') +
      `; consumer read ${fmt(figures.consumerRecords)} records at ${figures.consumerMiBps.toFixed(1)} MiB/s`);
    runs.push(figures);
  }
  return { target: target.name, scenario, runs, median: medianOf(runs), peakRssMiB: (await peakRssBytes(target.pid)) / MiB };
}

/** Waits for the live consumer to receive what was delivered; stops it (it then reports) after the drain time. */
async function drain(live: RunningConsumer, delivered: number): Promise<ConsumeResult> {
  const timer = setTimeout(() => live.child.kill('SIGINT'), delivered === 0 ? 0 : CONSUMER_DRAIN_MS);
  try {
    return await live.done;
  } finally {
    clearTimeout(timer);
  }
}

async function oneRun(target: Target, scenario: Scenario, cfg: BenchConfig, label: string, records: number, pacing: Pacing): Promise<RunFigures> {
  const topic = `bench-s${scenario.id}-${label}-${Date.now()}`;
  await target.createTopic(topic, cfg.partitions, scenario.topicConfigs);
  const latencyFile = join(cfg.scratchDir, `${topic}.produce.lat`);
  const e2eFile = scenario.endToEnd ? join(cfg.scratchDir, `${topic}.e2e.lat`) : null;
  const timeoutMs = (cfg.seconds * 4 + 60) * 1000;
  const consumeSpec = { bootstrap: target.bootstrap, topic, partitions: cfg.partitions, fetchWaitMaxMs: cfg.fetchWaitMaxMs };
  // Scenario 3 reads while producing; the others read back afterwards (catch-up read).
  const live = e2eFile ? startConsumer(cfg.perf, { ...consumeSpec, maxRecords: records, exitAtEnd: false, latencyFile: e2eFile, timeoutMs }) : null;
  if (live) await new Promise((resolve) => setTimeout(resolve, CONSUMER_START_MS));
  const cpuBefore = await cpuSeconds(target.pid);
  const threadsBefore = await cpuSecondsByThread(target.pid);
  const wallBefore = performance.now();
  const produced = await produce(cfg.perf, {
    bootstrap: target.bootstrap, topic, recordBytes: scenario.recordBytes, records, acks: scenario.acks,
    lingerMs: scenario.lingerMs, batchBytes: BATCH_BYTES, rateLimit: pacing.rateLimit, latencyFile, timeoutMs,
  });
  const consumed = live ? await drain(live, produced.delivered) : null;
  if (produced.delivered === 0) {
    throw new Error(`no record delivered in the ${label} run (${fmt(produced.failed)} failed): ${produced.errors.join(' / ')}`);
  }
  const cpuUsed = (await cpuSeconds(target.pid)) - cpuBefore;
  const threadsUsed = threadCpu(threadsBefore, await cpuSecondsByThread(target.pid));
  const wallMs = performance.now() - wallBefore;
  const readBack = consumed ?? (await startConsumer(cfg.perf, {
    ...consumeSpec, maxRecords: produced.delivered, exitAtEnd: true, latencyFile: null, timeoutMs: (cfg.seconds * 2 + 30) * 1000,
  }).done);
  const figures: RunFigures = {
    records: produced.delivered,
    failed: produced.failed,
    recordsPerSec: perSec(produced.delivered, produced.elapsedMs),
    MiBps: perSec(produced.bytes, produced.elapsedMs) / MiB,
    latency: await summarizeLatencyFile(latencyFile),
    endToEnd: e2eFile ? await summarizeLatencyFile(e2eFile) : null,
    consumerRecords: readBack.records,
    consumerRecordsPerSec: perSec(readBack.records, readBack.elapsedMs),
    consumerMiBps: perSec(readBack.bytes, readBack.elapsedMs) / MiB,
    brokerCpuSecPerGiB: cpuUsed / (produced.bytes / GiB),
    brokerCoreBusyPct: (cpuUsed * 1000 * 100) / wallMs,
    brokerCpuSecPerGiBByThread: perGiB(threadsUsed, produced.bytes),
  };
  await rm(latencyFile, { force: true });
  if (e2eFile) await rm(e2eFile, { force: true });
  updatePacing(pacing, scenario, produced, figures.recordsPerSec, figures.latency.p50Ms);
  return figures;
}

/**
 * rdkafka_performance's -r sleeps 1/r after each message, so it lands below r by its own
 * per-message cost; estimate that cost from the last run and ask for a bit more. A run whose
 * records waited on the broker (median latency above PACING_BROKER_BOUND_P50_MS) fell short
 * because of the broker, not the generator: the setting stays, so the rate is not overshot.
 */
function updatePacing(pacing: Pacing, scenario: Scenario, produced: ProduceResult, achieved: number, p50Ms: number): void {
  if (scenario.targetRate === null || pacing.rateLimit === null) {
    pacing.ratePerSec = achieved;
    return;
  }
  if (produced.delivered === 0 || achieved <= 0 || p50Ms > PACING_BROKER_BOUND_P50_MS) return;
  const overheadSec = Math.max(0, 1 / achieved - 1 / pacing.rateLimit);
  const wantedPeriod = 1 / scenario.targetRate - overheadSec;
  pacing.rateLimit = wantedPeriod > 0 ? Math.min(1 / wantedPeriod, 4 * scenario.targetRate) : 4 * scenario.targetRate;
}

const NODE_THREAD_KINDS: Record<string, keyof ThreadCpu> = { MainThread: 'main', V8Worker: 'v8', 'libuv-worker': 'libuv' };

export function threadCpu(before: Map<string, number>, after: Map<string, number>): ThreadCpu {
  const used: ThreadCpu = { main: 0, v8: 0, libuv: 0, other: 0 };
  for (const [name, seconds] of after) used[NODE_THREAD_KINDS[name] ?? 'other'] += seconds - (before.get(name) ?? 0);
  return used;
}

export function perGiB(cpu: ThreadCpu, bytes: number): ThreadCpu {
  const gib = bytes / GiB;
  return { main: cpu.main / gib, v8: cpu.v8 / gib, libuv: cpu.libuv / gib, other: cpu.other / gib };
}

export function perSec(amount: number, elapsedMs: number): number {
  return elapsedMs > 0 ? (amount * 1000) / elapsedMs : 0;
}
