import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP } from '../../src/storage/partition-log.ts';
import { appendBatches, batch, openLog, segmentFiles, tempDir, testConfig } from './helpers.ts';

test('offsetForTimestamp finds the first record at or after a timestamp, across segments and after reopen', async () => {
  const dir = await tempDir();
  const config = testConfig({ segmentBytes: 1500 });
  const log = await openLog({ dir, config });
  await appendBatches(log, 40, 5, { ts: 10_000 }); // record i has timestamp 10_000 + i
  assert.ok(log.segmentCount > 2);
  for (const reopenFirst of [false, true]) {
    const l = reopenFirst ? await openLog({ dir, config, recoveryPoint: 200 }) : log;
    assert.deepEqual(await l.offsetForTimestamp(10_000), { offset: 0, timestamp: 10_000, leaderEpoch: 0 });
    assert.deepEqual(await l.offsetForTimestamp(10_123), { offset: 123, timestamp: 10_123, leaderEpoch: 0 });
    assert.deepEqual(await l.offsetForTimestamp(5), { offset: 0, timestamp: 10_000, leaderEpoch: 0 });
    assert.equal(await l.offsetForTimestamp(10_200), null);
    assert.deepEqual(await l.maxTimestampOffset(), { offset: 199, timestamp: 10_199, leaderEpoch: 0 });
    assert.equal((await l.offsetForTimestamp(EARLIEST_TIMESTAMP))?.offset, 0);
    assert.equal((await l.offsetForTimestamp(LATEST_TIMESTAMP))?.offset, 200);
    if (!reopenFirst) await log.close();
    else await l.close();
  }
});

test('offsetForTimestamp with out-of-order timestamps returns the first record at or after the target', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  for (const ts of [[50, 10, 60], [20, 30, 25], [100, 5, 70]]) {
    const b = await buildRecordBatch({ records: ts.map((timestamp) => ({ value: 'x', timestamp })) });
    await log.append(b, { leaderEpoch: 3, assignOffsets: true });
  }
  assert.deepEqual(await log.offsetForTimestamp(55), { offset: 2, timestamp: 60, leaderEpoch: 3 });
  assert.deepEqual(await log.offsetForTimestamp(61), { offset: 6, timestamp: 100, leaderEpoch: 3 });
  assert.deepEqual(await log.maxTimestampOffset(), { offset: 6, timestamp: 100, leaderEpoch: 3 });
  await log.close();
});

test('LogAppendTime stamps the broker clock into the batch', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(5_000_000);
  const log = await openLog({ dir, clock, config: testConfig({ messageTimestampType: 'LogAppendTime' }) });
  const info = await log.append(await batch(3, { ts: 1 }), { leaderEpoch: 0, assignOffsets: true });
  assert.equal(info.logAppendTime, 5_000_000);
  assert.equal(info.maxTimestamp, 5_000_000);
  assert.deepEqual(await log.offsetForTimestamp(4_999_999), { offset: 0, timestamp: 5_000_000, leaderEpoch: 0 });
  await log.close();
});

test('segments roll by size', async () => {
  const dir = await tempDir();
  const one = (await batch(5)).length;
  const log = await openLog({ dir, config: testConfig({ segmentBytes: one * 3 }) });
  await appendBatches(log, 7, 5);
  assert.deepEqual(await segmentFiles(dir), ['00000000000000000000.log', '00000000000000000015.log', '00000000000000000030.log']);
  await log.close();
});

test('segments roll by segment.ms from the first batch timestamp, or creation time without timestamps', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_000_000);
  const log = await openLog({ dir, clock, config: testConfig({ segmentMs: 1000 }) });
  await log.append(await batch(1, { ts: 50_000 }), { leaderEpoch: 0, assignOffsets: true });
  clock.advance(5000); // wall time does not matter when batches carry timestamps
  await log.append(await batch(1, { ts: 50_900 }), { leaderEpoch: 0, assignOffsets: true });
  assert.equal(log.segmentCount, 1);
  await log.append(await batch(1, { ts: 51_001 }), { leaderEpoch: 0, assignOffsets: true });
  assert.equal(log.segmentCount, 2);
  await log.close();
});

test('a segment whose first batch has no timestamp rolls by its creation time', async () => {
  const dir = await tempDir();
  const clock = new ManualClock(1_000_000);
  const log = await openLog({ dir, clock, config: testConfig({ segmentMs: 1000 }) });
  await log.append(await batch(1, { ts: -1 }), { leaderEpoch: 0, assignOffsets: true });
  clock.advance(1000);
  await log.append(await batch(1, { ts: -1 }), { leaderEpoch: 0, assignOffsets: true });
  assert.equal(log.segmentCount, 1);
  clock.advance(1);
  await log.append(await batch(1, { ts: -1 }), { leaderEpoch: 0, assignOffsets: true });
  assert.equal(log.segmentCount, 2);
  await log.close();
});

test('segments roll when the offset index is full', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ indexIntervalBytes: 1, segmentIndexBytes: 8 * 4 }) });
  await appendBatches(log, 12, 1);
  assert.ok(log.segmentCount >= 2);
  const result = await log.read({ offset: 11, maxBytes: 1, maxOffset: 12, minOneBatch: true });
  assert.ok(result.kind === 'records' && result.firstOffset === 11);
  await log.close();
});
