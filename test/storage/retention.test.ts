import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { appendBatches, batch, openLog, segmentFiles, tempDir, testConfig } from './helpers.ts';

test('retention.bytes deletes the oldest whole segments and moves the log start', async () => {
  const dir = await tempDir();
  const one = (await batch(4)).length;
  const log = await openLog({ dir, config: testConfig({ segmentBytes: one * 2, retentionBytes: one * 3, retentionMs: -1 }) });
  await appendBatches(log, 8, 4); // 4 segments of 2 batches
  assert.equal(log.segmentCount, 4);
  assert.equal(await log.deleteRetentionBreachedSegments(), 2);
  assert.equal(log.logStartOffset, 16);
  assert.deepEqual(await segmentFiles(dir), ['00000000000000000016.log', '00000000000000000024.log']);
  assert.equal(await log.deleteRetentionBreachedSegments(), 0);
  await log.close();
});

test('retention.ms deletes segments whose newest record is too old, never data above the high watermark', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(100_000);
  const one = (await batch(4)).length;
  const log = await openLog({ dir, clock, config: testConfig({ segmentBytes: one * 2, retentionMs: 10_000, retentionBytes: -1 }) });
  await appendBatches(log, 6, 4, { ts: 50_000 }); // timestamps 50_000..50_023
  log.highWatermark = 8;
  clock.advance(1_000_000);
  assert.equal(await log.deleteRetentionBreachedSegments(), 1);
  assert.equal(log.logStartOffset, 8);
  log.highWatermark = 24;
  assert.equal(await log.deleteRetentionBreachedSegments(), 2);
  assert.equal(log.segmentCount, 1, 'an empty active segment remains');
  assert.equal(log.logStartOffset, 24);
  assert.equal(log.logEndOffset, 24);
  await appendBatches(log, 1, 4);
  assert.equal(log.logEndOffset, 28);
  await log.close();
});

test('compacted-only topics are not subject to retention', async () => {
  const dir = await tempDir();
  const one = (await batch(4)).length;
  const log = await openLog({ dir, config: testConfig({ segmentBytes: one, retentionBytes: 1, cleanupPolicy: ['compact'] }) });
  await appendBatches(log, 4, 4);
  assert.equal(await log.deleteRetentionBreachedSegments(), 0);
  await log.close();
});
