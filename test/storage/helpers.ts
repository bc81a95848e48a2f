/**
 * Test helpers for storage: temp dirs, small configs, batches built with the real builder.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { defaultLogConfig, type LogConfig } from '../../src/config/log-config.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { PartitionLog } from '../../src/storage/partition-log.ts';

const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
});

/** A fresh temp dir removed when the test file ends. */
export async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-storage-'));
  dirs.push(dir);
  return dir;
}

export function testConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return { ...defaultLogConfig, indexIntervalBytes: 256, ...overrides };
}

/** One batch of `count` records with values "v<i>" and timestamps ts, ts+1, ... */
export function batch(count: number, opts: { ts?: number; valueBytes?: number; epoch?: number } = {}): Promise<Buffer> {
  const ts = opts.ts ?? 1_000;
  const pad = 'x'.repeat(opts.valueBytes ?? 20);
  return buildRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({ value: `v${i}${pad}`, timestamp: ts + i })),
    partitionLeaderEpoch: opts.epoch ?? 0,
  });
}

export interface OpenOptions {
  readonly dir: string;
  readonly config?: LogConfig;
  readonly clock?: ManualClock;
  readonly needsRecovery?: boolean;
  readonly recoveryPoint?: number;
  readonly logStartOffset?: number;
}

export function openLog(opts: OpenOptions): Promise<PartitionLog> {
  return PartitionLog.open({
    dir: path.join(opts.dir, 'topic-0'),
    topic: 'topic',
    partition: 0,
    config: opts.config ?? testConfig(),
    clock: opts.clock ?? new ManualClock(),
    recoveryPoint: opts.recoveryPoint ?? 0,
    logStartOffset: opts.logStartOffset ?? 0,
    needsRecovery: opts.needsRecovery ?? false,
  });
}

/** Appends `n` batches of `perBatch` records as leader; returns each batch's size. */
export async function appendBatches(log: PartitionLog, n: number, perBatch: number, opts: { ts?: number; valueBytes?: number; epoch?: number } = {}): Promise<number[]> {
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const b = await batch(perBatch, { ...opts, ts: (opts.ts ?? 1_000) + i * perBatch });
    sizes.push(b.length);
    log.highWatermark = (await log.append(b, { leaderEpoch: opts.epoch ?? 0, assignOffsets: true })).lastOffset + 1;
  }
  return sizes;
}

/** Base offsets of the batches in a read result. */
export function baseOffsets(records: Buffer): number[] {
  const out: number[] = [];
  for (let pos = 0; pos < records.length; pos += 12 + records.readInt32BE(pos + 8)) out.push(Number(records.readBigInt64BE(pos)));
  return out;
}

/** Names of the segment .log files in the partition dir. */
export async function segmentFiles(dir: string, suffix = '.log'): Promise<string[]> {
  return (await fs.readdir(path.join(dir, 'topic-0'))).filter((n) => n.endsWith(suffix)).sort();
}
