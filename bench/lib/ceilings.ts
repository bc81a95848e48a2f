// The machine's ceilings, measured in the same run as the scenarios:
// loopback TCP between two Node processes (receiver on the broker core, sender on the
// load-generator core), sequential disk write with a closing fsync, and fdatasync latency
// of small appends. Files go to the bench data dir and are removed afterwards.
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { collect, spawnPinned } from './proc.ts';
import { summarize } from './latency.ts';
import type { LatencySummary } from './latency.ts';
import { BROKER_CORE } from './targets.ts';
import { LOADGEN_CORE } from './loadgen.ts';

export interface Ceilings {
  loopbackMiBps: number;
  diskWriteMiBps: number;
  diskWriteMiB: number;
  fdatasync: LatencySummary;
}

export interface CeilingOptions {
  benchDir: string;
  dataDir: string;
  loopbackSeconds: number;
  diskWriteMiB: number;
  fdatasyncSeconds: number;
}

const MiB = 1 << 20;
const FDATASYNC_APPEND_BYTES = 1024;
const FDATASYNC_OPS_MAX = 20_000;
const LOOPBACK_TRIES = 3;

export async function measureCeilings(opts: CeilingOptions): Promise<Ceilings> {
  const peer = join(opts.benchDir, 'ceilings', 'loopback-peer.ts');
  // Loopback varies by a factor of two from run to run on this VM: take the best of a few.
  let loopbackMiBps = 0;
  for (let i = 0; i < LOOPBACK_TRIES; i++) loopbackMiBps = Math.max(loopbackMiBps, await measureLoopback(peer, opts.loopbackSeconds));
  const diskWriteMiBps = await measureDiskWrite(join(opts.dataDir, 'ceiling-seq-write'), opts.diskWriteMiB);
  const fdatasync = await measureFdatasync(join(opts.dataDir, 'ceiling-fdatasync'), opts.fdatasyncSeconds);
  return { loopbackMiBps, diskWriteMiBps, diskWriteMiB: opts.diskWriteMiB, fdatasync };
}

async function measureLoopback(peer: string, seconds: number): Promise<number> {
  const receiver = spawnPinned(BROKER_CORE, process.execPath, [peer, 'receive'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    receiver.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim().split('\n')[0])));
    receiver.once('error', reject);
  });
  const received = collect(receiver, (seconds + 30) * 1000);
  const sender = spawnPinned(LOADGEN_CORE, process.execPath, [peer, 'send', String(port), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await collect(sender, (seconds + 30) * 1000);
  const lines = (await received).stdout.trim().split('\n');
  const { bytes, seconds: elapsed } = JSON.parse(lines[lines.length - 1]) as { bytes: number; seconds: number };
  return bytes / MiB / elapsed;
}

/** 1 MiB writes, then one fsync; the time includes the fsync (page cache alone would flatter). */
async function measureDiskWrite(path: string, totalMiB: number): Promise<number> {
  const chunk = Buffer.alloc(MiB, 0x62);
  const file = await open(path, 'w');
  try {
    const start = process.hrtime.bigint();
    for (let i = 0; i < totalMiB; i++) await file.write(chunk, 0, MiB);
    await file.sync();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return totalMiB / seconds;
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
}

/** 1 KiB appends each followed by fdatasync, for the given time (bounded by FDATASYNC_OPS_MAX). */
async function measureFdatasync(path: string, seconds: number): Promise<LatencySummary> {
  const record = Buffer.alloc(FDATASYNC_APPEND_BYTES, 0x63);
  const samplesUs = new Float64Array(FDATASYNC_OPS_MAX);
  const file = await open(path, 'a');
  let count = 0;
  try {
    const deadline = Date.now() + seconds * 1000;
    while (Date.now() < deadline && count < FDATASYNC_OPS_MAX) {
      await file.write(record);
      const start = process.hrtime.bigint();
      await file.datasync();
      samplesUs[count++] = Number(process.hrtime.bigint() - start) / 1000;
    }
  } finally {
    await file.close();
    await rm(path, { force: true });
  }
  return summarize(samplesUs.subarray(0, count));
}
