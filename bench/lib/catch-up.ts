// Scenario 5, catch-up: build a backlog (BENCH_BACKLOG_MIB, default 4 GiB) on one topic,
// then per run: the producer alone at a fixed moderate rate (its p99 alone), and the same
// producer while one consumer drains the backlog from the beginning (consumer MiB/s, the
// producer's p99 meanwhile). Gregor only: the mock keeps 5 MiB per partition.
import { rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { fmt, median, medianOf } from './aggregate.ts';
import { summarizeLatencyFile } from './latency.ts';
import type { LatencySummary } from './latency.ts';
import { produce, startConsumer } from './loadgen.ts';
import { startMultiProducer } from './multi-producer.ts';
import type { MultiProduceResult, MultiProducerConfig } from './multi-producer.ts';
import { cpuSeconds, cpuSecondsByThread, peakRssBytes } from './proc.ts';
import { perGiB, perSec, threadCpu } from './scenarios.ts';
import type { RunFigures, Scenario, ScenarioResult } from './scenarios.ts';
import type { Target } from './targets.ts';

const MiB = 1 << 20;
const GiB = 1 << 30;
const RECORD_BYTES = 1024;
/** The producer that keeps writing: ~10 MiB/s, one client, linger 1 ms, acks=1. */
const PRODUCER_RATE = 10_000;
const PRODUCER_LINGER_MS = 1;
/** Not measured at the start of each producer run: connection, metadata, first batches. */
const PRODUCER_CONNECT_SECONDS = 1;
/** The draining consumer runs niced on the shared load-generator core, so the light producer is scheduled first. */
const CONSUMER_NICENESS = 10;
/** Free space wanted beyond the backlog: the producer's writes during all runs, plus slack. */
const DISK_SLACK_BYTES = 2 * GiB;
/** Assumed slowest rates, only to size timeouts. */
const SLOWEST_MIBPS = 10;

export const CATCH_UP: Scenario = {
  id: 5, title: 'catch-up: drain a backlog with one consumer while a producer writes 10,000 records/s x 1 KiB',
  recordBytes: RECORD_BYTES, lingerMs: PRODUCER_LINGER_MS, targetRate: PRODUCER_RATE, endToEnd: false, acks: 1, topicConfigs: {},
  mockLeftOut: 'the mock keeps at most 5 MiB per partition in memory, so it cannot hold a backlog',
};

export interface CatchUpFigures {
  backlogBytes: number;
  /** the max-rate produce that built the backlog */
  buildMiBps: number;
  /** the producer alone, per run (the run's figures hold the producer during the drain) */
  alone: LatencySummary[];
  aloneP99Ms: number;
  duringP99Ms: number;
}

export interface CatchUpResult extends ScenarioResult {
  catchUp: CatchUpFigures;
}

export function backlogBytes(): number {
  const raw = process.env.BENCH_BACKLOG_MIB;
  const mib = raw === undefined || raw === '' ? 4096 : Number(raw);
  if (!Number.isFinite(mib) || mib <= 0) throw new Error(`BENCH_BACKLOG_MIB must be a positive number, got ${raw}`);
  return Math.round(mib * MiB);
}

/** Null when the data dir's disk can take the backlog; otherwise why not. */
export async function diskTooSmall(dataDir: string, backlog: number): Promise<string | null> {
  const fs = await statfs(dataDir);
  const free = fs.bavail * fs.bsize;
  const wanted = backlog + DISK_SLACK_BYTES;
  if (free >= wanted) return null;
  return `the backlog of ${(backlog / GiB).toFixed(2)} GiB needs ${(wanted / GiB).toFixed(1)} GiB free in ${dataDir}, ` +
    `which has ${(free / GiB).toFixed(1)} GiB: set BENCH_BACKLOG_MIB lower or BENCH_DATA_DIR to a bigger disk`;
}

export async function runCatchUp(target: Target, cfg: MultiProducerConfig, log: (s: string) => void): Promise<CatchUpResult> {
  const backlog = backlogBytes();
  const records = Math.floor(backlog / RECORD_BYTES);
  const topic = `bench-s5-${Date.now()}`;
  await target.createTopic(topic, cfg.partitions);
  const buildFile = join(cfg.scratchDir, `${topic}.build.lat`);
  const built = await produce(cfg.perf, {
    bootstrap: target.bootstrap, topic, recordBytes: RECORD_BYTES, records, acks: 1, lingerMs: 5, batchBytes: MiB,
    rateLimit: null, latencyFile: buildFile, timeoutMs: (backlog / MiB / SLOWEST_MIBPS + 120) * 1000,
  });
  await rm(buildFile, { force: true });
  if (built.delivered < records) throw new Error(`backlog: only ${fmt(built.delivered)} of ${fmt(records)} records delivered: ${built.errors.join(' / ')}`);
  const buildMiBps = perSec(built.bytes, built.elapsedMs) / MiB;
  log(`  backlog: ${fmt(records)} records (${(backlog / GiB).toFixed(2)} GiB) in ${(built.elapsedMs / 1000).toFixed(1)} s, ${buildMiBps.toFixed(1)} MiB/s`);
  const run = new CatchUpRunner(target, cfg, topic, records, log);
  await run.producerAlone(cfg.warmupSeconds, 'warmup');
  const runs: RunFigures[] = [];
  const alone: LatencySummary[] = [];
  for (let i = 1; i <= cfg.runs; i++) {
    const soloLatency = await run.producerAlone(cfg.seconds, `run${i}-alone`);
    const figures = await run.drain(`run${i}`);
    log(`  run ${i}: producer alone p99 ${soloLatency.p99Ms.toFixed(2)} ms, during the drain p99 ${figures.latency.p99Ms.toFixed(2)} ms ` +
      `(${fmt(figures.recordsPerSec)} records/s); consumer read ${fmt(figures.consumerRecords)} records at ${figures.consumerMiBps.toFixed(1)} MiB/s`);
    alone.push(soloLatency);
    runs.push(figures);
  }
  const medians = medianOf(runs);
  return {
    target: target.name, scenario: CATCH_UP, runs, median: medians, peakRssMiB: (await peakRssBytes(target.pid)) / MiB,
    catchUp: { backlogBytes: backlog, buildMiBps, alone, aloneP99Ms: median(alone.map((l) => l.p99Ms)), duringP99Ms: medians.latency.p99Ms },
  };
}

/** The two measurements of a run, on the backlog topic. */
class CatchUpRunner {
  private readonly target: Target;
  private readonly cfg: MultiProducerConfig;
  private readonly topic: string;
  private readonly backlogRecords: number;
  private readonly log: (s: string) => void;

  constructor(target: Target, cfg: MultiProducerConfig, topic: string, backlogRecords: number, log: (s: string) => void) {
    this.log = log;
    this.target = target;
    this.cfg = cfg;
    this.topic = topic;
    this.backlogRecords = backlogRecords;
  }

  private startProducer(seconds: number, label: string) {
    const latencyFile = join(this.cfg.scratchDir, `${this.topic}-${label}.lat`);
    const producer = startMultiProducer(this.cfg.multiProducer, {
      bootstrap: this.target.bootstrap, topic: this.topic, partitions: this.cfg.partitions, clients: 1,
      ratePerSec: PRODUCER_RATE, recordBytes: RECORD_BYTES, acks: 1, lingerMs: PRODUCER_LINGER_MS,
      warmupSeconds: PRODUCER_CONNECT_SECONDS, seconds, latencyFile,
      timeoutMs: (seconds + this.backlogRecords * RECORD_BYTES / MiB / SLOWEST_MIBPS + 120) * 1000,
    });
    return { producer, latencyFile };
  }

  private async finish(result: MultiProduceResult, latencyFile: string, label: string): Promise<LatencySummary> {
    if (result.delivered === 0) throw new Error(`producer (${label}) delivered nothing: ${result.errors.join(' / ')}`);
    const latency = await summarizeLatencyFile(latencyFile);
    await rm(latencyFile, { force: true });
    // A producer starved of its core would show broker-independent latency: say how much it waited.
    const pct = (ms: number): string => (result.wallMs > 0 ? ((ms * 100) / result.wallMs).toFixed(0) : '0');
    this.log(`    producer (${label}): ${pct(result.cpuMs)} % busy, waited for its core ${pct(result.runqueueWaitMs)} % of the time, ` +
      `schedule lag p99 ${(result.lagP99Us / 1000).toFixed(2)} ms`);
    return latency;
  }

  /** The producer on its own for `seconds`: its latency without a catch-up read. */
  async producerAlone(seconds: number, label: string): Promise<LatencySummary> {
    const { producer, latencyFile } = this.startProducer(seconds, label);
    return this.finish(await producer.done, latencyFile, label);
  }

  /** The producer runs from before the consumer starts until the consumer has read the backlog's size. */
  async drain(label: string): Promise<RunFigures> {
    const { producer, latencyFile } = this.startProducer(0, label);
    await producer.measuring.catch(async () => {
      await producer.done; // throws the generator's own error when it failed
      throw new Error(`producer (${label}) ended before measuring`);
    });
    const pid = this.target.pid;
    const cpuBefore = await cpuSeconds(pid);
    const threadsBefore = await cpuSecondsByThread(pid);
    const wallBefore = performance.now();
    const consumed = await startConsumer(this.cfg.perf, {
      bootstrap: this.target.bootstrap, topic: this.topic, partitions: this.cfg.partitions, maxRecords: this.backlogRecords,
      exitAtEnd: false, latencyFile: null, fetchWaitMaxMs: this.cfg.fetchWaitMaxMs, niceness: CONSUMER_NICENESS,
      timeoutMs: (this.backlogRecords * RECORD_BYTES / MiB / SLOWEST_MIBPS + 60) * 1000,
    }).done.finally(() => producer.stop());
    const cpuUsed = (await cpuSeconds(pid)) - cpuBefore;
    const threadsUsed = threadCpu(threadsBefore, await cpuSecondsByThread(pid));
    const wallMs = performance.now() - wallBefore;
    const produced = await producer.done;
    const latency = await this.finish(produced, latencyFile, label);
    const moved = consumed.bytes + produced.bytes;
    return {
      records: produced.delivered,
      failed: produced.failed,
      recordsPerSec: perSec(produced.delivered, produced.elapsedMs),
      MiBps: perSec(produced.bytes, produced.elapsedMs) / MiB,
      latency,
      endToEnd: null,
      consumerRecords: consumed.records,
      consumerRecordsPerSec: perSec(consumed.records, consumed.elapsedMs),
      consumerMiBps: perSec(consumed.bytes, consumed.elapsedMs) / MiB,
      brokerCpuSecPerGiB: cpuUsed / (moved / GiB),
      brokerCoreBusyPct: (cpuUsed * 1000 * 100) / wallMs,
      brokerCpuSecPerGiBByThread: perGiB(threadsUsed, moved),
    };
  }
}
