import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { batchHeadersOf } from '../../src/storage/batch-header.ts';
import { PartitionLog } from '../../src/storage/partition-log.ts';
import { TAIL_CACHE_IDLE_MS, TailCache, TailCacheBudget, type TailCacheOptions } from '../../src/storage/tail-cache.ts';
import { baseOffsets, batch, tempDir, testConfig } from './helpers.ts';

/** Deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): (n: number) => number {
  let a = seed;
  return (n) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

async function open(dir: string, tailCache: TailCacheOptions, segmentBytes = 1 << 20): Promise<PartitionLog> {
  return PartitionLog.open({
    dir: path.join(dir, 'topic-0'), topic: 'topic', partition: 0, config: testConfig({ segmentBytes }), clock: new ManualClock(),
    recoveryPoint: 0, logStartOffset: 0, needsRecovery: false, tailCache,
  });
}

const noCache = (): TailCacheOptions => ({ partitionBytesMax: 0, budget: new TailCacheBudget() });

/** Appends `records` as leader and moves the HW to the log end. */
async function append(log: PartitionLog, records: Buffer): Promise<void> {
  log.highWatermark = (await log.append(records, { leaderEpoch: 0, assignOffsets: true })).lastOffset + 1;
}

function activeBase(log: PartitionLog): number {
  return log.cleanerSnapshot().segments.at(-1)!.baseOffset;
}

/** A maxBytes exactly at (or one byte short of) the end of a batch after `offset`: where an off-by-one shows. */
async function batchBoundary(log: PartitionLog, offset: number, rand: (n: number) => number): Promise<number> {
  const all = await log.read({ offset, maxBytes: 1 << 20, maxOffset: log.logEndOffset, minOneBatch: true });
  assert.ok(all.kind === 'records');
  let end = 0;
  for (let k = 1 + rand(4); k > 0 && end < all.records.length; k--) end += 12 + all.records.readInt32BE(end + 8);
  return end - rand(2);
}

test('cached reads return exactly what the segment files return (random batches, several segments, ring wrapping, random limits)', async () => {
  const rand = random(6);
  const log = await open(await tempDir(), noCache(), 4096);
  // A small ring, so it wraps and evicts many times; read after every append.
  const cache = new TailCache({ partitionBytesMax: 24 << 10, budget: new TailCacheBudget() });
  let reads = 0;
  for (let i = 0; i < 200; i++) {
    // Sometimes several batches in one append, as a Produce with several batches.
    const parts = await Promise.all(Array.from({ length: 1 + rand(3) }, () => batch(1 + rand(8), { valueBytes: rand(300) })));
    const records = Buffer.concat(parts);
    await append(log, records);
    cache.append(records, batchHeadersOf(records), activeBase(log));
    const start = cache.startOffset!;
    const end = log.logEndOffset;
    for (let k = 0; k < 15; k++) {
      const offset: number = start + rand(end - start);
      const maxBytes = rand(3) === 0 ? rand(200) : rand(2) === 0 ? rand(20_000) : await batchBoundary(log, offset, rand);
      const maxOffset = rand(2) === 0 ? end : offset + rand(end - offset + 1);
      const minOneBatch = rand(2) === 0;
      if (offset >= maxOffset) continue; // PartitionLog answers these before either path
      const fromFile = await log.read({ offset, maxBytes, maxOffset, minOneBatch });
      const cached = cache.read(offset, maxBytes, maxOffset, minOneBatch);
      const what: string = `append ${i}: offset ${offset} maxBytes ${maxBytes} maxOffset ${maxOffset} minOneBatch ${minOneBatch}`;
      assert.ok(fromFile.kind === 'records' && cached !== null, what);
      assert.equal(cached.firstOffset, fromFile.firstOffset, what);
      assert.ok(cached.records.equals(fromFile.records), what);
      reads++;
    }
    if (start > 0) assert.equal(cache.read(start - 1, 1 << 20, end, true), null, 'below the cached start');
  }
  assert.ok(log.segmentCount > 5, `several segments expected, got ${log.segmentCount}`);
  assert.ok(cache.startOffset! > 100, 'the ring evicted old appends');
  assert.ok(reads > 1500);
  await log.close();
});

/** Appends a one-record batch of ~1 KiB at `base` to `cache` (segment 0). */
async function appendAt(cache: TailCache, base: number): Promise<void> {
  const records = await batch(1, { valueBytes: 1000 });
  records.writeBigInt64BE(BigInt(base), 0);
  cache.append(records, batchHeadersOf(records), 0);
}

test('the ring grows to the partition limit, then evicts the oldest appends; what is left reads up to the end', async () => {
  const budget = new TailCacheBudget();
  const cache = new TailCache({ partitionBytesMax: 128 << 10, budget });
  for (let i = 0; i < 400; i++) await appendAt(cache, i);
  assert.ok(cache.bytes <= (128 << 10) + 4096 * 40);
  assert.equal(budget.bytes, cache.bytes);
  const start = cache.startOffset!;
  assert.ok(start > 250 && start < 300, `about 120 KiB of ~1 KiB batches kept, from ${start}`);
  assert.equal(cache.read(start - 1, 1 << 20, 400, true), null);
  const all = cache.read(start, 1 << 20, 400, true)!;
  assert.deepEqual(baseOffsets(all.records), Array.from({ length: 400 - start }, (_, i) => start + i));
  cache.release();
  assert.equal(budget.bytes, 0);
});

test('a full broker budget takes memory back from idle partitions only, least recently appended first', async () => {
  const clock = new ManualClock();
  const budget = new TailCacheBudget(48 << 10, () => clock.now());
  const a = new TailCache({ partitionBytesMax: 1 << 20, budget });
  const b = new TailCache({ partitionBytesMax: 1 << 20, budget });
  for (let i = 0; i < 100; i++) await appendAt(a, i);
  assert.ok(a.bytes > 0 && budget.bytes === a.bytes && budget.bytes <= budget.bytesMax);
  assert.equal(baseOffsets(a.read(99, 1 << 20, 100, true)!.records)[0], 99);

  clock.advance(TAIL_CACHE_IDLE_MS - 1);
  for (let i = 0; i < 10; i++) await appendAt(b, i);
  assert.equal(b.bytes, 0, 'a was appended to recently: it keeps its ring, b gets none');
  assert.equal(b.read(9, 1 << 20, 10, true), null);
  assert.equal(baseOffsets(a.read(99, 1 << 20, 100, true)!.records)[0], 99);

  clock.advance(1);
  for (let i = 10; i < 100; i++) await appendAt(b, i);
  assert.equal(a.bytes, 0, 'the idle partition gave its memory back');
  assert.equal(a.read(99, 1 << 20, 100, true), null);
  assert.ok(budget.bytes === b.bytes && budget.bytes <= budget.bytesMax);
  assert.equal(baseOffsets(b.read(99, 1 << 20, 100, true)!.records)[0], 99);

  await appendAt(a, 100);
  assert.equal(a.bytes, 0, 'b is active: a gets nothing back');
  clock.advance(TAIL_CACHE_IDLE_MS);
  await appendAt(a, 101);
  assert.equal(b.bytes, 0, 'now b is idle and gives its memory back');
  assert.equal(baseOffsets(a.read(101, 1 << 20, 102, true)!.records)[0], 101);
  assert.equal(budget.bytes, a.bytes);
  a.release();
  assert.equal(budget.bytes, 0);
});

test('an append that does not follow the cached end, or is larger than the ring can be, empties the cache', async () => {
  const cache = new TailCache({ partitionBytesMax: 32 << 10, budget: new TailCacheBudget() });
  const records = await batch(5);
  cache.append(records, batchHeadersOf(records), 0);
  assert.equal(cache.startOffset, 0);
  const gap = Buffer.from(records);
  gap.writeBigInt64BE(100n, 0);
  cache.append(gap, batchHeadersOf(gap), 0);
  assert.equal(cache.startOffset, 100);
  assert.equal(cache.read(0, 1 << 20, 200, true), null);
  const huge = await batch(40, { valueBytes: 1000 });
  huge.writeBigInt64BE(105n, 0);
  cache.append(huge, batchHeadersOf(huge), 0);
  assert.equal(cache.startOffset, null);
  assert.equal(cache.read(105, 1 << 20, 200, true), null);
});

test('after truncation the log serves the new batches, never the truncated ones from memory', async () => {
  const dir = await tempDir();
  const log = await open(dir, { partitionBytesMax: 1 << 20, budget: new TailCacheBudget() });
  for (let i = 0; i < 10; i++) await append(log, await batch(5, { valueBytes: 10 }));
  await log.truncateTo(30);
  assert.equal(log.logEndOffset, 30);
  // Different bytes at the same offsets.
  await append(log, await batch(5, { valueBytes: 200 }));
  await append(log, await batch(5, { valueBytes: 200 }));
  const read = { offset: 30, maxBytes: 1 << 20, maxOffset: 40, minOneBatch: true };
  const served = await log.read(read);
  assert.ok(served.kind === 'records');
  assert.deepEqual(baseOffsets(served.records), [30, 35]);
  const atEnd = await log.read({ ...read, offset: 40, maxOffset: 50 });
  assert.ok(atEnd.kind === 'records');
  assert.equal(atEnd.records.length, 0, 'nothing at or past the new log end');
  await log.close();
  // The files are the truth: a log without a cache reads the same bytes.
  const reopened = await open(dir, noCache());
  reopened.highWatermark = reopened.logEndOffset;
  const fromFile = await reopened.read(read);
  assert.ok(fromFile.kind === 'records');
  assert.ok(served.records.equals(fromFile.records));
  await reopened.close();
});

test('DeleteRecords: reads below the new log start are out of range and the evicted tail is not served', async () => {
  const budget = new TailCacheBudget();
  const log = await open(await tempDir(), { partitionBytesMax: 1 << 20, budget }, 2048);
  for (let i = 0; i < 20; i++) await append(log, await batch(5, { valueBytes: 50 }));
  await log.deleteRecordsBefore(72);
  assert.equal((await log.read({ offset: 70, maxBytes: 1 << 20, maxOffset: 100, minOneBatch: true })).kind, 'offsetOutOfRange');
  const read = await log.read({ offset: 72, maxBytes: 1 << 20, maxOffset: 100, minOneBatch: true });
  assert.ok(read.kind === 'records');
  assert.equal(baseOffsets(read.records)[0], 70, 'the whole batch holding the log start, as the file path');
  await log.close();
  assert.equal(budget.bytes, 0, 'close releases the cache');
});
