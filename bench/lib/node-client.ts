// Secondary figure: what a Node application gets from a target through kafkajs
// (bench/node-client/kafkajs-producer.ts, pinned to the load-generator core).
import { join } from 'node:path';
import { summarize } from './latency.ts';
import type { LatencySummary } from './latency.ts';
import { LOADGEN_CORE } from './loadgen.ts';
import { collect, cpuSeconds, spawnPinned } from './proc.ts';
import type { Target } from './targets.ts';

export interface NodeClientResult {
  target: string;
  recordsPerSec: number;
  MiBps: number;
  /** per send() of 1000 records */
  sendLatency: LatencySummary;
  brokerCpuSecPerGiB: number;
}

const RECORD_BYTES = 1024;
const MiB = 1 << 20;
const GiB = 1 << 30;

interface ProducerOutput {
  records: number;
  bytes: number;
  seconds: number;
  latencyUs: number[];
}

export async function runNodeClient(benchDir: string, target: Target, partitions: number, warmupSeconds: number, seconds: number): Promise<NodeClientResult> {
  await runKafkajs(benchDir, target, partitions, 'warmup', warmupSeconds);
  const cpuBefore = await cpuSeconds(target.pid);
  const out = await runKafkajs(benchDir, target, partitions, 'run', seconds);
  const cpuUsed = (await cpuSeconds(target.pid)) - cpuBefore;
  return {
    target: target.name,
    recordsPerSec: out.records / out.seconds,
    MiBps: out.bytes / MiB / out.seconds,
    sendLatency: summarize(Float64Array.from(out.latencyUs)),
    brokerCpuSecPerGiB: cpuUsed / (out.bytes / GiB),
  };
}

async function runKafkajs(benchDir: string, target: Target, partitions: number, label: string, seconds: number): Promise<ProducerOutput> {
  const topic = `bench-kafkajs-${label}-${Date.now()}`;
  await target.createTopic(topic, partitions);
  const script = join(benchDir, 'node-client', 'kafkajs-producer.ts');
  const child = spawnPinned(LOADGEN_CORE, process.execPath, [script, target.bootstrap, topic, String(seconds), String(RECORD_BYTES)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const result = await collect(child, (seconds * 3 + 60) * 1000);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (result.code !== 0 || !line.startsWith('{')) {
    throw new Error(`kafkajs producer failed (code ${result.code}): ${result.stderr.slice(-500)}`);
  }
  return JSON.parse(line) as ProducerOutput;
}
