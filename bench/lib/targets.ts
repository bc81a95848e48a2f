// The brokers under test, each a child process pinned to the broker core:
// librdkafka's in-memory mock cluster (the reference) and Gregor (a fresh data dir each start).
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { spawnPinned, stopChild } from './proc.ts';

/** The core the broker under test runs on; the load generator gets the other one. */
export const BROKER_CORE = 0;

export interface Target {
  name: string;
  bootstrap: string;
  pid: number;
  /** `configs`: topic config entries (e.g. flush.messages); a target that cannot apply them throws */
  createTopic(topic: string, partitions: number, configs?: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

export async function startMock(mockBroker: string): Promise<Target> {
  const child = spawnPinned(BROKER_CORE, mockBroker, ['1'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = lineReader(child);
  const first = await lines.next(START_TIMEOUT_MS);
  const bootstrap = /^bootstrap (\S+)/.exec(first)?.[1];
  if (!bootstrap) throw new Error(`mock-broker said: ${first}`);
  return {
    name: 'mock (librdkafka)',
    bootstrap,
    pid: pidOf(child),
    async createTopic(topic, partitions, configs = {}) {
      if (Object.keys(configs).length > 0) throw new Error('the mock broker takes no topic configs');
      child.stdin?.write(`topic ${topic} ${partitions}\n`);
      const answer = await lines.next(START_TIMEOUT_MS);
      if (answer !== `ok ${topic}`) throw new Error(`mock-broker: ${answer}`);
    },
    stop: () => stopChild(child, 5000),
  };
}

export interface GregorEntryPoint {
  script: string;
  via: string;
}

/**
 * The scripts that can start Gregor, preferred first: the CLI (src/cli/main.ts), then
 * bench/gregor-child.ts around startBroker (src/broker.ts) for while the CLI is missing
 * or broken. Empty when neither source file exists.
 */
export function gregorEntryPoints(repoRoot: string): GregorEntryPoint[] {
  const entries: GregorEntryPoint[] = [];
  const cli = join(repoRoot, 'src', 'cli', 'main.ts');
  if (existsSync(cli)) entries.push({ script: cli, via: 'src/cli/main.ts' });
  if (existsSync(join(repoRoot, 'src', 'broker.ts'))) {
    entries.push({ script: join(repoRoot, 'bench', 'gregor-child.ts'), via: 'startBroker (bench/gregor-child.ts)' });
  }
  return entries;
}

/**
 * Starts `node <script> start --set ...` with a fresh temp data dir. num.partitions is set too,
 * so the bench topics get their partitions by auto-creation should CreateTopics fail.
 * `extraConfig` adds broker config keys (e.g. metrics.enabled for bench/metrics-overhead.ts).
 */
export async function startGregor(
  repoRoot: string, script: string, partitions: number, parentDir: string, logFile: string, extraConfig: Record<string, string> = {},
): Promise<Target> {
  const dataDir = await mkdtemp(join(parentDir, 'gregor-data-'));
  const port = await freePort();
  // The admin HTTP listener stays on as in a default start, on a free port of its own.
  const config = { 'http.listener': `127.0.0.1:${await freePort()}`, ...extraConfig };
  const args = [
    ...brokerNodeFlags(repoRoot),
    ...nodeArgs(),
    script, 'start',
    '--set', `log.dirs=${dataDir}`,
    '--set', `listeners=PLAINTEXT://127.0.0.1:${port}`,
    '--set', `num.partitions=${partitions}`,
    ...Object.entries(config).flatMap(([key, value]) => ['--set', `${key}=${value}`]),
  ];
  const logFd = openSync(logFile, 'a');
  const child = spawnPinned(BROKER_CORE, process.execPath, args, { cwd: repoRoot, stdio: ['ignore', logFd, logFd] });
  closeSync(logFd);
  const bootstrap = `127.0.0.1:${port}`;
  try {
    await waitForPort(port, child, START_TIMEOUT_MS);
  } catch (err) {
    await stopChild(child, 5000);
    await rm(dataDir, { recursive: true, force: true });
    throw new Error(`Gregor did not start (log: ${logFile}): ${(err as Error).message}`);
  }
  return {
    name: 'Gregor',
    bootstrap,
    pid: pidOf(child),
    createTopic: (topic, n, configs = {}) => createTopicWithKafkajs(bootstrap, topic, n, configs),
    async stop() {
      await stopChild(child, 15_000);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The V8 flags a broker runs with: those of the `gregor` command's shebang line
 * (`#!/usr/bin/env -S node <flags>` in bin/gregor.js, their one source; none without it).
 */
function brokerNodeFlags(repoRoot: string): string[] {
  const shim = join(repoRoot, 'bin', 'gregor.js');
  if (!existsSync(shim)) return [];
  const shebang = /^#!.*env -S node(.*)$/m.exec(readFileSync(shim, 'utf8').split('\n', 1)[0]);
  return (shebang?.[1] ?? '').split(/\s+/).filter((arg) => arg !== '');
}

/** BENCH_NODE_ARGS: extra Node flags for Gregor, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`. */
function nodeArgs(): string[] {
  return (process.env.BENCH_NODE_ARGS ?? '').split(/\s+/).filter((arg) => arg !== '');
}

/**
 * CreateTopics through a real client; a failure falls back to auto-creation (num.partitions),
 * except for a topic with configs, which auto-creation would lose.
 */
async function createTopicWithKafkajs(bootstrap: string, topic: string, partitions: number, configs: Record<string, string>): Promise<void> {
  const admin = new Kafka({ brokers: [bootstrap], clientId: 'gregor-bench', logLevel: logLevel.NOTHING, retry: { retries: 2 } }).admin();
  const configEntries = Object.entries(configs).map(([name, value]) => ({ name, value }));
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: partitions, replicationFactor: 1, configEntries }], waitForLeaders: true, timeout: 30_000 });
  } catch (err) {
    if (configEntries.length > 0) throw new Error(`CreateTopics ${topic} with ${JSON.stringify(configs)} failed: ${(err as Error).message}`);
    console.warn(`  (CreateTopics ${topic} failed: ${(err as Error).message}; relying on auto-creation)`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('child has no pid');
  return child.pid;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`port ${port} not open after ${timeoutMs} ms`);
}

/** Line-at-a-time reader of a child's stdout, for the mock broker's command protocol. */
function lineReader(child: ChildProcess): { next(timeoutMs: number): Promise<string> } {
  const queued: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let buffer = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else queued.push(line);
    }
  });
  return {
    next(timeoutMs) {
      const line = queued.shift();
      if (line !== undefined) return Promise.resolve(line);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('mock-broker did not answer')), timeoutMs);
        waiting.push((l) => {
          clearTimeout(timer);
          resolve(l);
        });
      });
    },
  };
}
