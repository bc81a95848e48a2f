// Drives the paced producers built by build.ts, on the load-generator core, for a fixed time or
// until stopped: bench/multi-producer (librdkafka clients) and bench/wire-producer (many
// connections speaking the wire protocol itself); both take the same flags and print the same summary.
import type { ChildProcess } from 'node:child_process';
import { LOADGEN_CORE } from './loadgen.ts';
import { collect, spawnPinned } from './proc.ts';
import type { BenchConfig } from './scenarios.ts';

/** The bench config of the scenarios that use these generators (5 and 6). */
export interface MultiProducerConfig extends BenchConfig {
  /** bench/.build/multi-producer */
  multiProducer: string;
  /** bench/.build/wire-producer */
  wireProducer: string;
}

export interface MultiProduceSpec {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** producer clients, one rd_kafka_t (one broker connection) each */
  clients: number;
  /** records/s of all clients together, on one schedule */
  ratePerSec: number;
  recordBytes: number;
  acks: number;
  lingerMs: number;
  /** not measured: connections, metadata, first batches */
  warmupSeconds: number;
  /** measured time; 0 = until stop() */
  seconds: number;
  /** per-record produce latency (produce() to delivery report), microseconds per line */
  latencyFile: string;
  timeoutMs: number;
}

export interface MultiProduceResult {
  sent: number;
  delivered: number;
  failed: number;
  bytes: number;
  /** first measured send to last delivery report */
  elapsedMs: number;
  /** the measured phase, and the generator's own CPU time (all threads) over it */
  wallMs: number;
  cpuMs: number;
  /** how long the generator's main thread waited for a CPU over the measured phase (other work on its core) */
  runqueueWaitMs: number;
  /** how late produce() was called against the schedule: small = the generator kept up */
  lagP99Us: number;
  lagMaxUs: number;
  queueFull: number;
  errors: string[];
}

export interface RunningMultiProducer {
  child: ChildProcess;
  /** resolves when the warm-up is over and the measured phase starts */
  measuring: Promise<void>;
  /** ends the measured phase (for seconds = 0); the generator then waits for outstanding reports */
  stop(): void;
  done: Promise<MultiProduceResult>;
}

export function startMultiProducer(bin: string, spec: MultiProduceSpec): RunningMultiProducer {
  const args = [
    '-b', spec.bootstrap, '-t', spec.topic, '-P', String(spec.partitions), '-n', String(spec.clients),
    '-r', String(spec.ratePerSec), '-s', String(spec.recordBytes), '-a', String(spec.acks), '-l', String(spec.lingerMs),
    '-w', String(spec.warmupSeconds), '-d', String(spec.seconds), '-A', spec.latencyFile,
  ];
  const child = spawnPinned(LOADGEN_CORE, bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const measuring = new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer | string) => {
      seen += String(chunk);
      if (seen.includes('measuring\n')) resolve();
    });
    child.once('close', () => reject(new Error(`${bin} exited before measuring: ${seen.slice(-500)}`)));
  });
  measuring.catch(() => undefined); // reported through done as well
  const done = collect(child, spec.timeoutMs).then((result) => {
    const line = result.stdout.trim().split('\n').pop() ?? '';
    if (result.code !== 0 || !line.startsWith('{')) {
      throw new Error(`${bin} failed (code ${result.code}${result.timedOut ? ', timed out' : ''}): ${result.stderr.slice(-500)}`);
    }
    return JSON.parse(line) as MultiProduceResult;
  });
  return { child, measuring, stop: () => child.kill('SIGINT'), done };
}
