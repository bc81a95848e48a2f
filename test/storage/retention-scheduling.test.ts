/**
 * Retention as the log manager runs it, with a manual clock: log.retention.check.interval.ms,
 * asynchronous deletion (`.deleted` files removed after file.delete.delay.ms, or at the
 * next start after a crash), the log start offset checkpointed and used after a restart.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { LogConfig } from '../../src/config/log-config.ts';
import { LogManager } from '../../src/storage/log-manager.ts';
import { LOG_START_OFFSET_CHECKPOINT_FILE, partitionKey, readOffsetCheckpoint } from '../../src/storage/offset-checkpoints.ts';
import { appendBatches, batch, tempDir, testConfig } from './helpers.ts';

async function openManager(dir: string, clock: ManualClock, config: LogConfig): Promise<LogManager> {
  return LogManager.open({ logDirs: [dir], clock, configFor: () => config, tickIntervalMs: 0, retentionCheckIntervalMs: 10_000, checkpointIntervalMs: 60_000 });
}

async function filesOf(dir: string): Promise<string[]> {
  return (await fs.readdir(path.join(dir, 'topic-0'))).filter((n) => /^\d{20}\./.test(n)).sort();
}

test('retention.ms: the log shrinks to an empty active segment once the interval check runs; files go after file.delete.delay.ms', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_000_000);
  const one = (await batch(4)).length;
  const config = testConfig({ segmentBytes: one * 2, retentionMs: 60_000, retentionBytes: -1, fileDeleteDelayMs: 30_000 });
  const manager = await openManager(dir, clock, config);
  const log = await manager.getOrCreateLog('topic', 0);
  await appendBatches(log, 5, 4, { ts: 1_000_000 }); // 3 segments, the active one holding 1 batch
  assert.equal(log.segmentCount, 3);
  clock.advance(9_000);
  await manager.tick();
  assert.equal(log.segmentCount, 3, 'nothing expired yet');
  clock.advance(61_000);
  const reading = log.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 20, minOneBatch: true });
  await manager.tick();
  assert.equal((await reading).kind, 'records', 'a read that started before the deletion finishes');
  assert.deepEqual([log.segmentCount, log.logStartOffset, log.logEndOffset, log.size], [1, 20, 20, 0]);
  const pending = await filesOf(dir);
  assert.ok(pending.includes('00000000000000000000.log.deleted'), pending.join());
  assert.ok(pending.includes('00000000000000000016.log.deleted'), 'the rolled active segment too');
  assert.ok(pending.includes('00000000000000000020.log'));
  clock.advance(29_000);
  await manager.tick();
  assert.ok((await filesOf(dir)).some((f) => f.endsWith('.deleted')), 'still within file.delete.delay.ms');
  clock.advance(1_000);
  await manager.tick();
  assert.deepEqual((await filesOf(dir)).filter((f) => f.endsWith('.deleted')), []);
  await appendBatches(log, 1, 4, { ts: clock.now() });
  assert.equal(log.logEndOffset, 24);
  await manager.close();
});

test('retention.bytes keeps the partition within one segment of the limit', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_000_000);
  const one = (await batch(4)).length;
  const limit = one * 5;
  const config = testConfig({ segmentBytes: one * 2, retentionMs: -1, retentionBytes: limit });
  const manager = await openManager(dir, clock, config);
  const log = await manager.getOrCreateLog('topic', 0);
  for (let round = 0; round < 6; round++) {
    await appendBatches(log, 3, 4, { ts: clock.now() });
    clock.advance(10_000);
    await manager.tick();
    assert.ok(log.size <= limit + one * 2, `round ${round}: ${log.size} bytes > limit + one segment`);
    assert.ok(log.size >= limit - one * 2 || log.logStartOffset === 0, `round ${round}: deleted too much`);
  }
  assert.ok(log.logStartOffset > 0);
  await manager.close();
});

test('the log start offset is checkpointed and survives a restart; .deleted leftovers are removed at start', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_000_000);
  const one = (await batch(4)).length;
  const config = testConfig({ segmentBytes: one * 2, retentionMs: -1, retentionBytes: -1, fileDeleteDelayMs: 3_600_000 });
  let manager = await openManager(dir, clock, config);
  let log = await manager.getOrCreateLog('topic', 0);
  await appendBatches(log, 6, 4);
  assert.equal(await log.deleteRecordsBefore(10), 10);
  await manager.writeCheckpoints();
  const checkpoint = await readOffsetCheckpoint(dir, LOG_START_OFFSET_CHECKPOINT_FILE);
  assert.equal(checkpoint.get(partitionKey('topic', 0)), 10);
  assert.ok((await filesOf(dir)).some((f) => f.endsWith('.log.deleted')));
  await manager.close();
  manager = await openManager(dir, clock, config);
  log = manager.getLog('topic', 0)!;
  assert.equal(log.logStartOffset, 10, 'inside a segment: kept from the checkpoint');
  assert.deepEqual((await filesOf(dir)).filter((f) => f.endsWith('.deleted')), []);
  const read = await log.read({ offset: 9, maxBytes: 1 << 20, maxOffset: 24, minOneBatch: true });
  assert.equal(read.kind, 'offsetOutOfRange');
  await manager.close();
});
