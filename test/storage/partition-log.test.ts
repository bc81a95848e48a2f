import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appendBatches, baseOffsets, batch, openLog, segmentFiles, tempDir, testConfig } from './helpers.ts';

test('append assigns offsets and read returns whole batches across segment rolls', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 1024 }) });
  await appendBatches(log, 20, 5);
  assert.equal(log.logEndOffset, 100);
  assert.ok(log.segmentCount > 3, `expected several segments, got ${log.segmentCount}`);
  const files = await segmentFiles(dir);
  assert.equal(files[0], '00000000000000000000.log');
  assert.equal(files.length, log.segmentCount);
  const seen: number[] = [];
  for (let offset = 0; offset < 100; ) {
    const result = await log.read({ offset, maxBytes: 300, maxOffset: 100, minOneBatch: true });
    assert.equal(result.kind, 'records');
    if (result.kind !== 'records') return;
    const bases = baseOffsets(result.records);
    assert.ok(bases.length > 0);
    seen.push(...bases);
    offset = bases.at(-1)! + 5;
  }
  assert.deepEqual(seen, Array.from({ length: 20 }, (_, i) => i * 5));
  await log.close();
});

test('a read starting inside a batch returns that whole batch', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 10, 10);
  const result = await log.read({ offset: 47, maxBytes: 1, maxOffset: 100, minOneBatch: true });
  assert.equal(result.kind, 'records');
  if (result.kind === 'records') assert.deepEqual(baseOffsets(result.records), [40]);
  await log.close();
});

test('maxBytes bounds whole batches; minOneBatch decides an oversize first batch', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  const sizes = await appendBatches(log, 6, 4);
  const two = await log.read({ offset: 0, maxBytes: sizes[0] + sizes[1] + 10, maxOffset: 24, minOneBatch: false });
  assert.ok(two.kind === 'records');
  assert.deepEqual(baseOffsets(two.records), [0, 4]);
  const none = await log.read({ offset: 0, maxBytes: 10, maxOffset: 24, minOneBatch: false });
  assert.ok(none.kind === 'records');
  assert.equal(none.records.length, 0);
  const one = await log.read({ offset: 0, maxBytes: 10, maxOffset: 24, minOneBatch: true });
  assert.ok(one.kind === 'records');
  assert.deepEqual(baseOffsets(one.records), [0]);
  await log.close();
});

test('reads never return a batch at or past maxOffset (the high watermark)', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 5, 3);
  const result = await log.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 9, minOneBatch: true });
  assert.ok(result.kind === 'records');
  assert.deepEqual(baseOffsets(result.records), [0, 3, 6]);
  const atHw = await log.read({ offset: 9, maxBytes: 1 << 20, maxOffset: 9, minOneBatch: true });
  assert.ok(atHw.kind === 'records');
  assert.equal(atHw.records.length, 0);
  await log.close();
});

test('offsets outside [logStartOffset, logEndOffset] are out of range; the log end reads empty', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 2, 5);
  assert.equal((await log.read({ offset: 11, maxBytes: 100, maxOffset: 10, minOneBatch: true })).kind, 'offsetOutOfRange');
  const atEnd = await log.read({ offset: 10, maxBytes: 100, maxOffset: 10, minOneBatch: true });
  assert.ok(atEnd.kind === 'records' && atEnd.records.length === 0);
  log.highWatermark = 10;
  assert.equal(await log.deleteRecordsBefore(5), 5);
  assert.equal((await log.read({ offset: 4, maxBytes: 100, maxOffset: 10, minOneBatch: true })).kind, 'offsetOutOfRange');
  await log.close();
});

test('index lookups find every batch after a clean reopen', async () => {
  const dir = await tempDir();
  const config = testConfig({ segmentBytes: 4096 });
  const log = await openLog({ dir, config });
  await appendBatches(log, 60, 3);
  await log.close();
  assert.ok((await segmentFiles(dir, '.index')).length > 1);
  const reopened = await openLog({ dir, config, recoveryPoint: 180 });
  assert.equal(reopened.logEndOffset, 180);
  for (const offset of [0, 1, 59, 100, 178, 179]) {
    const result = await reopened.read({ offset, maxBytes: 1, maxOffset: 180, minOneBatch: true });
    assert.ok(result.kind === 'records');
    assert.deepEqual(baseOffsets(result.records), [offset - (offset % 3)], `offset ${offset}`);
  }
  await appendBatches(reopened, 1, 3);
  assert.equal(reopened.logEndOffset, 183);
  await reopened.close();
});

test('follower appends keep offsets and reject offsets below the log end', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  const b = await batch(3);
  b.writeBigInt64BE(10n, 0);
  const info = await log.append(b, { leaderEpoch: 0, assignOffsets: false });
  assert.equal(info.firstOffset, 10);
  assert.equal(log.logEndOffset, 13);
  const stale = await batch(2);
  await assert.rejects(log.append(stale, { leaderEpoch: 0, assignOffsets: false }), { name: 'UnexpectedAppendOffsetError' });
  await log.close();
});

test('truncateTo drops batches at and after the offset, across segments', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 600 }) });
  await appendBatches(log, 12, 4);
  await log.truncateTo(20);
  assert.equal(log.logEndOffset, 20);
  const result = await log.read({ offset: 16, maxBytes: 1 << 20, maxOffset: 100, minOneBatch: true });
  assert.ok(result.kind === 'records');
  assert.deepEqual(baseOffsets(result.records), [16]);
  await appendBatches(log, 1, 4);
  assert.equal(log.logEndOffset, 24);
  await log.close();
});

test('deleteRecordsBefore advances the log start and removes whole segments below it', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 600 }) });
  await appendBatches(log, 12, 4);
  const before = (await segmentFiles(dir)).length;
  await log.deleteRecordsBefore(30);
  assert.equal(log.logStartOffset, 30);
  assert.ok((await segmentFiles(dir)).length < before);
  const result = await log.read({ offset: 30, maxBytes: 1, maxOffset: 48, minOneBatch: true });
  assert.ok(result.kind === 'records');
  assert.deepEqual(baseOffsets(result.records), [28]);
  await assert.rejects(log.deleteRecordsBefore(49), RangeError);
  await log.close();
});

test('concurrent appends are serialized in submission order; reads run alongside', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 2000 }) });
  const batches = await Promise.all(Array.from({ length: 40 }, (_, i) => batch(3, { ts: i })));
  const appends = batches.map((b) => log.append(b, { leaderEpoch: 0, assignOffsets: true }));
  const reads = Array.from({ length: 10 }, () => log.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 120, minOneBatch: true }));
  const infos = await Promise.all(appends);
  assert.deepEqual(infos.map((i) => i.firstOffset), Array.from({ length: 40 }, (_, i) => i * 3));
  for (const r of await Promise.all(reads)) {
    assert.ok(r.kind === 'records');
    const bases = baseOffsets(r.records);
    assert.deepEqual(bases, Array.from({ length: bases.length }, (_, i) => i * 3));
  }
  await log.close();
});

test('a read racing a log-start move answers from the new state', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 600 }) });
  await appendBatches(log, 12, 4);
  const read = log.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 48, minOneBatch: true });
  const moved = log.deleteRecordsBefore(40);
  const result = await read;
  await moved;
  if (result.kind === 'records') assert.equal(baseOffsets(result.records)[0], 0);
  const after = await log.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 48, minOneBatch: true });
  assert.equal(after.kind, 'offsetOutOfRange');
  await log.close();
});

test('reads locate and return batches larger than the read window', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ indexIntervalBytes: 100_000 }) });
  const sizes = await appendBatches(log, 6, 2, { valueBytes: 30_000 });
  for (const offset of [0, 5, 11]) {
    const one = await log.read({ offset, maxBytes: 1, maxOffset: 12, minOneBatch: true });
    assert.ok(one.kind === 'records');
    assert.deepEqual(baseOffsets(one.records), [offset - (offset % 2)]);
    assert.equal(one.records.length, sizes[0]);
  }
  const three = await log.read({ offset: 3, maxBytes: sizes[0] * 3 + 100, maxOffset: 12, minOneBatch: false });
  assert.ok(three.kind === 'records');
  assert.deepEqual(baseOffsets(three.records), [2, 4, 6]);
  await log.close();
});
