/**
 * Producer state through the PartitionLog (idempotent producers): duplicates answered with
 * the original offsets, sequence gaps, epoch fencing and bumps, sequence wrap, unknown
 * producers, expiry with a manual clock, and rebuild from snapshots + replay after a
 * clean close and after a kill (no close).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import test from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { LogManager } from '../../src/storage/log-manager.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { ProducerStateError } from '../../src/storage/producer-state/producer-state-error.ts';
import { INT32_MAX } from '../../src/storage/producer-state/sequence.ts';
import { openLog, tempDir, testConfig } from './helpers.ts';

const PID = 42;

function idem(count: number, seq: number, opts: { epoch?: number; pid?: number; ts?: number } = {}): Promise<Buffer> {
  return buildRecordBatch({
    records: Array.from({ length: count }, (_, i) => ({ value: `v${seq + i}`, timestamp: (opts.ts ?? 1_700_000_000_000) + i })),
    producerId: opts.pid ?? PID,
    producerEpoch: opts.epoch ?? 0,
    baseSequence: seq,
  });
}

async function append(log: PartitionLog, batch: Buffer) {
  const info = await log.append(batch, { leaderEpoch: 0, assignOffsets: true });
  log.highWatermark = log.logEndOffset;
  return info;
}

async function refusal(log: PartitionLog, batch: Buffer): Promise<number> {
  const err = await log.append(batch, { leaderEpoch: 0, assignOffsets: true }).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof ProducerStateError, `expected a ProducerStateError, got ${String(err)}`);
  return err.code;
}

test('a retried batch among the last 5 gets its original offsets and is not appended again', async () => {
  const log = await openLog({ dir: await tempDir() });
  await append(log, await buildRecordBatch({ records: [{ value: 'plain' }] }));
  for (let seq = 0; seq < 12; seq += 2) await append(log, await idem(2, seq));
  const end = log.logEndOffset;
  const dup = await append(log, await idem(2, 4));
  assert.deepEqual([dup.duplicate, dup.firstOffset, dup.lastOffset, dup.logAppendTime], [true, 5, 6, -1]);
  assert.equal(log.logEndOffset, end);
  // seq 0-1 is the 6th batch back: no longer cached, so it is out of order, not a duplicate.
  assert.equal(await refusal(log, await idem(2, 0)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  // A different range overlapping a cached batch is not a duplicate either.
  assert.equal(await refusal(log, await idem(1, 5)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  await log.close();
});

test('sequence gaps are OUT_OF_ORDER; an unknown producer may start at any sequence', async () => {
  const log = await openLog({ dir: await tempDir() });
  assert.equal((await append(log, await idem(3, 17))).firstOffset, 0);
  assert.equal(await refusal(log, await idem(1, 21)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  assert.equal((await append(log, await idem(1, 20))).firstOffset, 3);
  assert.equal(log.producerState.lastEntry(PID)?.lastSeq, 20);
  await log.close();
});

test('an older epoch is INVALID_PRODUCER_EPOCH; a new epoch must restart at sequence 0 and resets the sequences', async () => {
  const log = await openLog({ dir: await tempDir() });
  await append(log, await idem(2, 0, { epoch: 3 }));
  assert.equal(await refusal(log, await idem(1, 2, { epoch: 2 })), ErrorCode.INVALID_PRODUCER_EPOCH);
  assert.equal(await refusal(log, await idem(1, 2, { epoch: 4 })), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  await append(log, await idem(1, 0, { epoch: 4 }));
  const entry = log.producerState.lastEntry(PID)!;
  assert.deepEqual([entry.producerEpoch, entry.lastSeq, entry.batches.length], [4, 0, 1]);
  // The old epoch's batch is no longer a duplicate candidate.
  assert.equal(await refusal(log, await idem(2, 0, { epoch: 3 })), ErrorCode.INVALID_PRODUCER_EPOCH);
  await log.close();
});

test('sequences wrap from Int32 max to 0', async () => {
  const log = await openLog({ dir: await tempDir() });
  await append(log, await idem(2, INT32_MAX - 1));
  assert.equal(log.producerState.lastEntry(PID)?.lastSeq, INT32_MAX);
  await append(log, await idem(2, 0));
  // A batch spanning the wrap: sequences Int32 max - 1, Int32 max, 0.
  const log2 = await openLog({ dir: await tempDir() });
  await append(log2, await idem(3, INT32_MAX - 1));
  assert.equal(log2.producerState.lastEntry(PID)?.lastSeq, 0);
  const dup = await append(log2, await idem(3, INT32_MAX - 1));
  assert.ok(dup.duplicate);
  await append(log2, await idem(1, 1));
  await Promise.all([log.close(), log2.close()]);
});

test('producers idle for producer.id.expiration.ms are forgotten (then any sequence is accepted)', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const log = await openLog({ dir: await tempDir(), clock });
  await append(log, await idem(1, 0, { ts: clock.now() }));
  await append(log, await idem(1, 0, { pid: 7, ts: clock.now() + 1_000 }));
  clock.advance(86_400_000);
  assert.equal(await log.removeExpiredProducers(), 1);
  assert.equal(log.producerState.lastEntry(PID), undefined);
  assert.ok(log.producerState.lastEntry(7) !== undefined);
  await append(log, await idem(1, 9, { ts: clock.now() }));
  await log.close();
});

test('the log manager expires producers every producer.id.expiration.check.interval.ms', async () => {
  const clock = new ManualClock(1_700_000_000_000);
  const manager = await LogManager.open({
    logDirs: [await tempDir()], clock, configFor: () => testConfig(), tickIntervalMs: 0,
    producerIdExpirationMs: 10_000, producerIdExpirationCheckIntervalMs: 5_000,
  });
  const log = await manager.getOrCreateLog('t', 0);
  await append(log, await idem(1, 0, { ts: clock.now() }));
  clock.advance(9_999);
  await manager.tick();
  assert.ok(log.producerState.lastEntry(PID) !== undefined, 'not idle long enough yet');
  clock.advance(1);
  await manager.tick();
  assert.ok(log.producerState.lastEntry(PID) !== undefined, 'no check due yet');
  clock.advance(4_999);
  await manager.tick();
  assert.equal(log.producerState.lastEntry(PID), undefined);
  await manager.close();
});

test('clean close writes a snapshot at the log end; reopening keeps deduplicating the last batch', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 300 }) });
  for (let seq = 0; seq < 10; seq += 2) await append(log, await idem(2, seq));
  assert.ok(log.segmentCount > 1, 'segments rolled');
  await log.close();
  const partitionDir = path.join(dir, 'topic-0');
  const snapshots = (await fs.readdir(partitionDir)).filter((n) => n.endsWith('.snapshot')).sort();
  assert.equal(snapshots.at(-1), '00000000000000000010.snapshot');
  assert.ok(snapshots.length > 1, 'a snapshot per roll');
  const reopened = await openLog({ dir, config: testConfig({ segmentBytes: 300 }) });
  const dup = await append(reopened, await idem(2, 8));
  assert.deepEqual([dup.duplicate, dup.firstOffset], [true, 8]);
  assert.equal(await refusal(reopened, await idem(1, 11)), ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  await append(reopened, await idem(1, 10));
  await reopened.close();
});

test('after a kill (no close) the state is rebuilt from the last roll snapshot plus the batches after it', async () => {
  const dir = await tempDir();
  const config = testConfig({ segmentBytes: 300 });
  const log = await openLog({ dir, config });
  for (let seq = 0; seq < 14; seq += 2) await append(log, await idem(2, seq));
  await append(log, await idem(1, 0, { pid: 9 }));
  await log.flush();
  // No close: reopen the same files as after a crash.
  const recovered = await openLog({ dir, config, needsRecovery: true });
  const dup = await append(recovered, await idem(2, 12));
  assert.deepEqual([dup.duplicate, dup.firstOffset], [true, 12]);
  assert.ok((await append(recovered, await idem(1, 0, { pid: 9 }))).duplicate);
  assert.equal((await append(recovered, await idem(1, 14))).firstOffset, 15);
  await recovered.close();
  await log.close().catch(() => {});
});

test('a corrupt snapshot is deleted and the state replayed from the log', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await append(log, await idem(2, 0));
  await log.close();
  const file = path.join(dir, 'topic-0', '00000000000000000002.snapshot');
  const bytes = await fs.readFile(file);
  bytes[bytes.length - 1] ^= 0xff;
  await fs.writeFile(file, bytes);
  const reopened = await openLog({ dir, needsRecovery: true });
  assert.ok((await append(reopened, await idem(2, 0))).duplicate);
  await reopened.close();
});

test('truncating the whole log forgets every producer and snapshot; DeleteRecords drops snapshots below the log start', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 300 }) });
  for (let seq = 0; seq < 10; seq += 2) await append(log, await idem(2, seq));
  const before = [...log.producerState.snapshotOffsets];
  await log.deleteRecordsBefore(6);
  assert.deepEqual(log.producerState.snapshotOffsets, before.filter((o) => o >= 6));
  await log.truncateTo(0);
  assert.equal(log.producerState.lastEntry(PID), undefined);
  assert.deepEqual(log.producerState.snapshotOffsets, []);
  await log.close();
});
