// Scenario 6: one topic of 1,000 partitions written by 100 producer clients (100 broker
// connections) at 10 MiB/s together, 1 KiB records, acks=1, each record its own request
// (bench/wire-producer: 100 librdkafka clients saturate the load-generator core; see there).
// One topic for all runs, so the broker's memory is that of 1,000 partitions, not of one
// topic per run. Reports produce latency, broker RSS against the 256 MiB + 0.5 MiB per
// partition budget, and how busy the generator itself was (is it the limit?).
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fmt, median, medianOf } from './aggregate.ts';
import { summarizeLatencyFile } from './latency.ts';
import { startConsumer } from './loadgen.ts';
import { startMultiProducer } from './multi-producer.ts';
import type { MultiProduceResult, MultiProducerConfig } from './multi-producer.ts';
import { cpuSeconds, cpuSecondsByThread, peakRssBytes } from './proc.ts';
import { perGiB, perSec, threadCpu } from './scenarios.ts';
import type { RunFigures, Scenario, ScenarioResult } from './scenarios.ts';
import type { Target } from './targets.ts';

const MiB = 1 << 20;
const GiB = 1 << 30;
const PARTITIONS = 1000;
const CLIENTS = 100;
const RECORD_BYTES = 1024;
const RATE = 10 * 1024; // 10 MiB/s of 1 KiB records
/** wire-producer sends each record as it falls due (no batching), as a client at 100 records/s per connection does. */
const LINGER_MS = 0;
/** Not measured at the start of each run: 100 connections, metadata, first batches. */
const CONNECT_SECONDS = 2;
/** When the broker's connections are counted, after the measured phase started. */
const COUNT_CONNECTIONS_AFTER_MS = 1000;

export const MANY_PARTITIONS: Scenario = {
  id: 6, title: '1,000 partitions, 100 producer connections, 10 MiB/s = 10,240 records/s x 1 KiB together',
  recordBytes: RECORD_BYTES, lingerMs: LINGER_MS, targetRate: RATE, endToEnd: false, acks: 1, topicConfigs: {}, mockLeftOut: null,
};

export interface ManyPartitionsFigures {
  partitions: number;
  clients: number;
  /** established TCP connections to the broker's port during the measured phase (median of runs) */
  brokerConnections: number;
  /** the generator's CPU time over the measured phase's wall time (median): near 100 % = it is the limit */
  loadgenBusyPct: number;
  /** the share of the measured phase the generator waited for its core (other processes on it), median */
  loadgenWaitPct: number;
  /** how late the generator called produce() against its schedule (medians of runs) */
  lagP99Ms: number;
  lagMaxMs: number;
  /** 256 MiB + 0.5 MiB per partition (issue 6's target) */
  rssBudgetMiB: number;
}

export interface ManyPartitionsResult extends ScenarioResult {
  manyPartitions: ManyPartitionsFigures;
}

interface RunExtra {
  connections: number;
  loadgenBusyPct: number;
  loadgenWaitPct: number;
  queueFull: number;
  lagP99Ms: number;
  lagMaxMs: number;
}

export async function runManyPartitions(target: Target, cfg: MultiProducerConfig, log: (s: string) => void): Promise<ManyPartitionsResult> {
  const topic = `bench-s6-${Date.now()}`;
  await target.createTopic(topic, PARTITIONS);
  const warm = await oneRun(target, cfg, topic, 'warmup', cfg.warmupSeconds);
  log(`  warm-up: ${fmt(warm.figures.recordsPerSec)} records/s, p99 ${warm.figures.latency.p99Ms.toFixed(2)} ms`);
  const runs: RunFigures[] = [];
  const extras: RunExtra[] = [];
  for (let i = 1; i <= cfg.runs; i++) {
    const { figures, extra } = await oneRun(target, cfg, topic, `run${i}`, cfg.seconds);
    log(`  run ${i}: ${fmt(figures.records)} records (${fmt(figures.failed)} failed), ${fmt(figures.recordsPerSec)} records/s, ` +
      `p99 ${figures.latency.p99Ms.toFixed(2)} ms over ${extra.connections} broker connections; generator ${extra.loadgenBusyPct.toFixed(0)} % busy, ` +
      `${extra.loadgenWaitPct.toFixed(0)} % waiting for its core, schedule lag p99 ${extra.lagP99Ms.toFixed(2)} ms, ` +
      `${fmt(extra.queueFull)} records not sent (connection buffer full); consumer read ${fmt(figures.consumerRecords)} records at ${figures.consumerMiBps.toFixed(1)} MiB/s`);
    runs.push(figures);
    extras.push(extra);
  }
  const mid = (pick: (e: RunExtra) => number): number => median(extras.map(pick));
  return {
    target: target.name, scenario: MANY_PARTITIONS, runs, median: medianOf(runs), peakRssMiB: (await peakRssBytes(target.pid)) / MiB,
    manyPartitions: {
      partitions: PARTITIONS, clients: CLIENTS, brokerConnections: mid((e) => e.connections), loadgenBusyPct: mid((e) => e.loadgenBusyPct),
      loadgenWaitPct: mid((e) => e.loadgenWaitPct),
      lagP99Ms: mid((e) => e.lagP99Ms), lagMaxMs: mid((e) => e.lagMaxMs), rssBudgetMiB: 256 + 0.5 * PARTITIONS,
    },
  };
}

async function oneRun(target: Target, cfg: MultiProducerConfig, topic: string, label: string, seconds: number): Promise<{ figures: RunFigures; extra: RunExtra }> {
  const latencyFile = join(cfg.scratchDir, `${topic}-${label}.lat`);
  const producer = startMultiProducer(cfg.wireProducer, {
    bootstrap: target.bootstrap, topic, partitions: PARTITIONS, clients: CLIENTS, ratePerSec: RATE, recordBytes: RECORD_BYTES,
    acks: 1, lingerMs: LINGER_MS, warmupSeconds: CONNECT_SECONDS, seconds, latencyFile, timeoutMs: (seconds * 3 + CONNECT_SECONDS + 90) * 1000,
  });
  await producer.measuring.catch(async () => {
    const result = await producer.done; // throws the generator's own error when it failed
    throw new Error(`wire-producer (${label}) ended before measuring: ${JSON.stringify(result)}`);
  });
  const cpuBefore = await cpuSeconds(target.pid);
  const threadsBefore = await cpuSecondsByThread(target.pid);
  const wallBefore = performance.now();
  await new Promise((resolve) => setTimeout(resolve, Math.min(COUNT_CONNECTIONS_AFTER_MS, seconds * 500)));
  const connections = await establishedConnections(Number(target.bootstrap.split(':').pop()));
  const produced: MultiProduceResult = await producer.done;
  const cpuUsed = (await cpuSeconds(target.pid)) - cpuBefore;
  const threadsUsed = threadCpu(threadsBefore, await cpuSecondsByThread(target.pid));
  const wallMs = performance.now() - wallBefore;
  if (produced.delivered === 0) throw new Error(`no record delivered in the ${label} run (${fmt(produced.failed)} failed): ${produced.errors.join(' / ')}`);
  const latency = await summarizeLatencyFile(latencyFile);
  await rm(latencyFile, { force: true });
  // A catch-up read of as many records as this run delivered, from the start of all 1,000 partitions.
  const readBack = await startConsumer(cfg.perf, {
    bootstrap: target.bootstrap, topic, partitions: PARTITIONS, maxRecords: produced.delivered, exitAtEnd: true, latencyFile: null,
    fetchWaitMaxMs: cfg.fetchWaitMaxMs, timeoutMs: (seconds * 2 + 60) * 1000,
  }).done;
  const figures: RunFigures = {
    records: produced.delivered,
    failed: produced.failed,
    recordsPerSec: perSec(produced.delivered, produced.elapsedMs),
    MiBps: perSec(produced.bytes, produced.elapsedMs) / MiB,
    latency,
    endToEnd: null,
    consumerRecords: readBack.records,
    consumerRecordsPerSec: perSec(readBack.records, readBack.elapsedMs),
    consumerMiBps: perSec(readBack.bytes, readBack.elapsedMs) / MiB,
    brokerCpuSecPerGiB: cpuUsed / (produced.bytes / GiB),
    brokerCoreBusyPct: (cpuUsed * 1000 * 100) / wallMs,
    brokerCpuSecPerGiBByThread: perGiB(threadsUsed, produced.bytes),
  };
  const extra: RunExtra = {
    connections,
    loadgenBusyPct: produced.wallMs > 0 ? (produced.cpuMs * 100) / produced.wallMs : 0,
    loadgenWaitPct: produced.wallMs > 0 ? (produced.runqueueWaitMs * 100) / produced.wallMs : 0,
    queueFull: produced.queueFull,
    lagP99Ms: produced.lagP99Us / 1000,
    lagMaxMs: produced.lagMaxUs / 1000,
  };
  return { figures, extra };
}

/** ESTABLISHED TCP connections whose local port is the broker's (/proc/net/tcp and tcp6; state 01). */
async function establishedConnections(port: number): Promise<number> {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let count = 0;
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length > 3 && fields[1].endsWith(`:${hexPort}`) && fields[3] === '01') count++;
    }
  }
  return count;
}
