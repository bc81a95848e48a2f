// Drives librdkafka's rdkafka_performance (built by build.ts) as producer and consumer,
// pinned to the load-generator core, and parses its final summary lines.
import type { ChildProcess } from 'node:child_process';
import { collect, spawnPinned } from './proc.ts';
import type { RunResult } from './proc.ts';

/** The core the load generator runs on; the broker under test gets the other one. */
export const LOADGEN_CORE = 1;

export interface ProduceSpec {
  bootstrap: string;
  topic: string;
  recordBytes: number;
  records: number;
  acks: number;
  lingerMs: number;
  batchBytes: number;
  /** rdkafka_performance's -r (it sleeps 1/rate per message, so it lands below this) */
  rateLimit: number | null;
  /** per-message produce latency (send to delivery report), microseconds per line */
  latencyFile: string;
  timeoutMs: number;
}

export interface ProduceResult {
  delivered: number;
  failed: number;
  bytes: number;
  elapsedMs: number;
  /** distinct librdkafka error lines (first few), to say why records failed */
  errors: string[];
}

/** Producer memory cap: 32 MiB like the Java producer's buffer.memory, so latency at max rate is comparable. */
const PRODUCER_QUEUE_KBYTES = 32768;
/** A record undelivered after this counts as failed (librdkafka's default of 300 s would stall the bench). */
const MESSAGE_TIMEOUT_MS = 30_000;

export async function produce(perf: string, spec: ProduceSpec): Promise<ProduceResult> {
  const args = [
    '-P', '-q', '-t', spec.topic, '-b', spec.bootstrap,
    '-s', String(spec.recordBytes), '-c', String(spec.records), '-a', String(spec.acks),
    '-X', `linger.ms=${spec.lingerMs}`, '-X', `batch.size=${spec.batchBytes}`,
    '-X', `queue.buffering.max.kbytes=${PRODUCER_QUEUE_KBYTES}`,
    '-X', `message.timeout.ms=${MESSAGE_TIMEOUT_MS}`,
    '-l', '-A', spec.latencyFile,
  ];
  if (spec.rateLimit !== null) args.push('-r', String(Math.round(spec.rateLimit)));
  const result = await collect(spawnPinned(LOADGEN_CORE, perf, args, { stdio: ['ignore', 'pipe', 'pipe'] }), spec.timeoutMs);
  const m = /(\d+) messages produced \((\d+) bytes\), (\d+) delivered \(offset -?\d+, (\d+) failed\) in (\d+)ms/.exec(result.stdout);
  if (!m) throw new Error(`producer gave no summary${describe(result)}`);
  const delivered = Number(m[3]);
  return { delivered, failed: Number(m[4]), bytes: delivered * spec.recordBytes, elapsedMs: Number(m[5]), errors: errorLines(result) };
}

export interface ConsumeSpec {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** stop after this many records */
  maxRecords: number;
  /** stop when every partition reached its end (a catch-up read) */
  exitAtEnd: boolean;
  /** end-to-end latency (producer's send timestamp in the payload to receipt), microseconds per line */
  latencyFile: string | null;
  fetchWaitMaxMs: number;
  timeoutMs: number;
  /** run under `nice -n <this>` (relative to the bench), so a light producer sharing the core is scheduled first */
  niceness?: number;
}

export interface ConsumeResult {
  records: number;
  bytes: number;
  /** from the first record received to the last */
  elapsedMs: number;
}

export interface RunningConsumer {
  child: ChildProcess;
  done: Promise<ConsumeResult>;
}

/** Starts a partition-assigned (no group) consumer reading from the beginning of every partition. */
export function startConsumer(perf: string, spec: ConsumeSpec): RunningConsumer {
  const args = ['-C', '-q', '-t', spec.topic, '-b', spec.bootstrap, '-o', 'beginning', '-c', String(spec.maxRecords)];
  for (let p = 0; p < spec.partitions; p++) args.push('-p', String(p));
  args.push('-X', `fetch.wait.max.ms=${spec.fetchWaitMaxMs}`);
  if (spec.exitAtEnd) args.push('-e');
  if (spec.latencyFile !== null) args.push('-l', '-A', spec.latencyFile);
  const [cmd, cmdArgs] = spec.niceness === undefined ? [perf, args] : ['nice', ['-n', String(spec.niceness), perf, ...args]];
  const child = spawnPinned(LOADGEN_CORE, cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  const done = collect(child, spec.timeoutMs).then((result) => {
    const m = /(\d+) messages \((\d+) bytes\) consumed in (\d+)ms/.exec(result.stdout);
    if (!m) throw new Error(`consumer gave no summary${describe(result)}`);
    return { records: Number(m[1]), bytes: Number(m[2]), elapsedMs: Number(m[3]) };
  });
  return { child, done };
}

const ERROR_LINES_MAX = 3;

/** librdkafka logs "%<level>|<time>|<FAC>|<name>| [thrd:..]: msg"; keep levels 0-3 (errors), without the time. */
function errorLines(result: RunResult): string[] {
  const seen = new Set<string>();
  for (const line of `${result.stdout}\n${result.stderr}`.split('\n')) {
    const m = /^%[0-3]\|[^|]*\|([^|]*)\|[^|]*\| (.*)$/.exec(line);
    if (m) seen.add(`${m[1]}: ${m[2].replace(/^\[thrd:[^\]]*\]: /, '').replace(/ \[\d+\]:/, ' [*]:')}`);
    if (seen.size === ERROR_LINES_MAX) break;
  }
  return [...seen];
}

function describe(result: RunResult): string {
  const tail = (s: string): string => s.split('\n').filter((l) => !l.includes('CONFWARN')).slice(-8).join('\n');
  return ` (code ${result.code}${result.timedOut ? ', timed out' : ''}):\n${tail(result.stdout)}\n${tail(result.stderr)}`;
}
