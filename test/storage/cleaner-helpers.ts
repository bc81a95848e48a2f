/**
 * Helpers for the cleaner tests: a LogManager over compacted test logs driven by a manual
 * clock (no timers), keyed writes, and reading a log back record by record.
 */
import path from 'node:path';
import { ManualClock } from '../../src/clock.ts';
import type { LogConfig } from '../../src/config/log-config.ts';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import type { CompressionCodecId } from '../../src/protocol/records/batch-layout.ts';
import { readRecords } from '../../src/protocol/records/record.ts';
import { LogManager } from '../../src/storage/log-manager.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { batchHeadersOf } from '../../src/storage/batch-header.ts';
import { testConfig } from './helpers.ts';

export const DAY_MS = 86_400_000;

/** A compacted topic's config: tiny segments so a few records span several. */
export function compactConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  return testConfig({ cleanupPolicy: ['compact'], segmentBytes: 1024, minCleanableDirtyRatio: 0.01, ...overrides });
}

export async function openManager(dir: string, clock: ManualClock, config: LogConfig, dedupeBufferBytes = 1024 * 1024): Promise<LogManager> {
  return LogManager.open({
    logDirs: [path.join(dir, 'data')],
    clock,
    configFor: () => config,
    tickIntervalMs: 0,
    cleaner: { dedupeBufferBytes, backoffMs: 0 },
  });
}

export interface KeyedWrite {
  readonly key: string | null;
  /** null = tombstone. */
  readonly value: string | null;
}

export interface WriteOptions {
  readonly perBatch?: number;
  readonly compression?: CompressionCodecId;
  readonly clock?: ManualClock;
}

/** Appends the writes as leader, `perBatch` records per batch; returns the offsets. */
export async function writeKeyed(log: PartitionLog, writes: readonly KeyedWrite[], opts: WriteOptions = {}): Promise<void> {
  const perBatch = opts.perBatch ?? 1;
  for (let i = 0; i < writes.length; i += perBatch) {
    const records = writes.slice(i, i + perBatch).map((w) => ({ key: w.key, value: w.value, timestamp: opts.clock?.now() ?? 1_000 }));
    const batch = await buildRecordBatch({ records, compression: opts.compression });
    log.highWatermark = (await log.append(batch, { leaderEpoch: 0, assignOffsets: true })).lastOffset + 1;
  }
}

export interface ReadRecord {
  readonly offset: number;
  readonly key: string | null;
  readonly value: string | null;
}

export interface ReadBatch {
  readonly view: RecordBatchView;
  readonly records: ReadRecord[];
}

/** Every batch of the log from its start, decoded. */
export async function readBatches(log: PartitionLog): Promise<ReadBatch[]> {
  const out: ReadBatch[] = [];
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = await log.read({ offset, maxBytes: 1024 * 1024, maxOffset: log.logEndOffset, minOneBatch: true });
    if (read.kind !== 'records' || read.records.length === 0) break;
    for (const header of batchHeadersOf(read.records)) {
      const view = new RecordBatchView(Buffer.from(read.records.subarray(header.position, header.position + header.sizeInBytes)));
      const records = (await readRecords(view)).map((r) => ({ offset: r.offset, key: r.key?.toString() ?? null, value: r.value?.toString() ?? null }));
      out.push({ view, records });
      offset = view.lastOffset + 1;
    }
  }
  return out;
}

export async function readAll(log: PartitionLog): Promise<ReadRecord[]> {
  return (await readBatches(log)).flatMap((b) => b.records);
}

/** The model: each key's latest write, in offset order (offsets = positions in `writes`). */
export function latestPerKey(writes: readonly KeyedWrite[], keepTombstones: boolean): ReadRecord[] {
  const latest = new Map<string, number>();
  writes.forEach((w, offset) => {
    if (w.key !== null) latest.set(w.key, offset);
  });
  return [...latest.values()]
    .sort((a, b) => a - b)
    .map((offset) => ({ offset, key: writes[offset].key, value: writes[offset].value }))
    .filter((r) => keepTombstones || r.value !== null);
}
