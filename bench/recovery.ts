/**
 * Recovery benchmark (not a test): writes a ~1 GB partition log, then times
 *   - a clean open (files trusted),
 *   - an unclean open from recovery point 0 (every batch's framing + CRC32C checked,
 *     indexes rebuilt),
 *   - an unclean open with a torn tail (the last batch cut in half).
 * Usage: npx node bench/recovery.ts [sizeMiB=1024] [segmentMiB=1024] [--drop-caches]
 * With --drop-caches (root only; affects the whole machine) the page cache is dropped
 * before each open, so reads come from disk; otherwise numbers are warm-cache (the CPU +
 * syscall cost of recovery).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../src/clock.ts';
import { defaultLogConfig } from '../src/config/log-config.ts';
import { buildRecordBatch } from '../src/protocol/records/builder.ts';
import { PartitionLog } from '../src/storage/partition-log.ts';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const dropCachesWanted = process.argv.includes('--drop-caches');
const sizeMiB = Number(args[0] ?? 1024);
const segmentMiB = Number(args[1] ?? 1024);
const config = { ...defaultLogConfig, segmentBytes: segmentMiB * 1024 * 1024 };
const clock = new ManualClock();
const root = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-recovery-bench-'));
const dir = path.join(root, 'bench-0');

function open(needsRecovery: boolean): Promise<PartitionLog> {
  return PartitionLog.open({ dir, topic: 'bench', partition: 0, config, clock, recoveryPoint: 0, logStartOffset: 0, needsRecovery });
}

async function writeLog(): Promise<void> {
  // 16 KiB batches of 100-byte records, appended 64 at a time (1 MiB per append)
  const one = await buildRecordBatch({ records: Array.from({ length: 150 }, (_, i) => ({ value: Buffer.alloc(100, i), timestamp: 1_700_000_000_000 + i })) });
  const template = Buffer.concat(Array.from({ length: 64 }, () => one));
  const log = await open(false);
  const appends = Math.ceil((sizeMiB * 1024 * 1024) / template.length);
  for (let i = 0; i < appends; i++) await log.append(Buffer.from(template), { leaderEpoch: 0, assignOffsets: true });
  await log.close();
  console.log(`wrote ${(log.size / 2 ** 20).toFixed(0)} MiB, ${log.logEndOffset} records, ${appends * 64} batches, ${log.segmentCount} segment(s)`);
}

async function dropCaches(): Promise<string> {
  if (!dropCachesWanted) return 'warm cache';
  try {
    await fs.writeFile('/proc/sys/vm/drop_caches', '3');
    return 'cold cache';
  } catch {
    return 'warm cache';
  }
}

async function timeOpen(label: string, needsRecovery: boolean): Promise<void> {
  const cache = await dropCaches();
  const start = process.hrtime.bigint();
  const log = await open(needsRecovery);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const mibPerS = log.size / 2 ** 20 / (ms / 1000);
  console.log(`${label.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${mibPerS.toFixed(0).padStart(6)} MiB/s  (${cache}, LEO ${log.logEndOffset})`);
  await log.close();
}

async function tearTail(): Promise<void> {
  const logs = (await fs.readdir(dir)).filter((n) => n.endsWith('.log')).sort();
  const file = path.join(dir, logs.at(-1)!);
  const { size } = await fs.stat(file);
  await fs.truncate(file, size - 8000);
}

try {
  await writeLog();
  await timeOpen('clean open', false);
  await timeOpen('unclean open, full recovery', true);
  await tearTail();
  await timeOpen('unclean open, torn tail', true);
} finally {
  await fs.rm(root, { recursive: true, force: true });
}
