/**
 * The log cleaner on real files with a manual clock: latest value per key with offsets
 * kept, tombstones until delete.retention.ms, codecs kept, lag and ratio settings,
 * checkpoint, a bounded offset map, producers' last batches, appends during a pass.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { CompressionType } from '../../src/protocol/records/batch-layout.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { CLEANER_CHECKPOINT_FILE } from '../../src/storage/cleaner/log-cleaner.ts';
import { compactConfig, DAY_MS, latestPerKey, openManager, readAll, readBatches, writeKeyed, type KeyedWrite } from './cleaner-helpers.ts';
import { tempDir } from './helpers.ts';

function updates(keys: number, rounds: number): KeyedWrite[] {
  const out: KeyedWrite[] = [];
  for (let r = 0; r < rounds; r++) for (let k = 0; k < keys; k++) out.push({ key: `k${k}`, value: `v${r}-${k}` });
  return out;
}

test('keeps the latest value per key at its original offset, in offset order', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig());
  const log = await manager.getOrCreateLog('t', 0);
  const writes = updates(10, 8);
  await writeKeyed(log, writes, { perBatch: 3 });
  await log.roll();
  const segmentsBefore = log.segmentCount;
  const cleaned = await manager.cleaner.cleanNow();
  assert.equal(cleaned.length, 1);
  assert.deepEqual(await readAll(log), latestPerKey(writes, true));
  assert.ok(log.segmentCount < segmentsBefore, `${log.segmentCount} segments after, ${segmentsBefore} before`);
  assert.equal(log.logStartOffset, 0);
  assert.equal(log.logEndOffset, writes.length);
  const checkpoint = await fs.readFile(path.join(manager.logDirs[0], CLEANER_CHECKPOINT_FILE), 'utf8');
  assert.match(checkpoint, new RegExp(`^t 0 ${writes.length}$`, 'm'));
  await manager.close();
});

test('never cleans the active segment; a second pass only runs when the log is dirty again', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig({ minCleanableDirtyRatio: 0.5 }));
  const log = await manager.getOrCreateLog('t', 0);
  const writes = updates(5, 10);
  await writeKeyed(log, writes);
  const activeBase = log.cleanerSnapshot().segments.at(-1)!.baseOffset;
  assert.equal((await manager.cleaner.cleanNow()).length, 1);
  const records = await readAll(log);
  assert.deepEqual(records.filter((r) => r.offset >= activeBase), writes.map((w, offset) => ({ offset, ...w })).filter((r) => r.offset >= activeBase));
  assert.deepEqual(await manager.cleaner.cleanNow(), []);
  await manager.close();
});

test('tombstones stay for delete.retention.ms after the clean that first sees them, then go', async () => {
  const clock = new ManualClock();
  const config = compactConfig({ deleteRetentionMs: DAY_MS });
  const manager = await openManager(await tempDir(), clock, config);
  const log = await manager.getOrCreateLog('t', 0);
  const writes: KeyedWrite[] = [...updates(6, 3), { key: 'k1', value: null }, { key: 'k4', value: null }];
  await writeKeyed(log, writes, { perBatch: 2 });
  await log.roll();
  await manager.cleaner.cleanNow();
  assert.deepEqual(await readAll(log), latestPerKey(writes, true));
  const horizonBatches = (await readBatches(log)).filter((b) => (b.view.attributes & 0x40) !== 0);
  assert.ok(horizonBatches.length > 0);
  for (const b of horizonBatches) assert.equal(b.view.baseTimestamp, clock.now() + DAY_MS);
  clock.advance(DAY_MS - 1);
  await manager.cleaner.cleanNow();
  assert.deepEqual(await readAll(log), latestPerKey(writes, true), 'kept until the horizon');
  clock.advance(1);
  assert.equal((await manager.cleaner.cleanNow()).length, 1, 'a passed horizon alone makes the log cleanable');
  assert.deepEqual(await readAll(log), latestPerKey(writes, false));
  await manager.close();
});

for (const [name, codec] of Object.entries(CompressionType)) {
  test(`rewritten batches keep their codec (${name}) and their producer fields`, async () => {
    const clock = new ManualClock();
    const manager = await openManager(await tempDir(), clock, compactConfig({ segmentBytes: 4096 }));
    const log = await manager.getOrCreateLog('t', 0);
    const writes = updates(4, 6);
    await writeKeyed(log, writes, { perBatch: 6, compression: codec });
    await log.roll();
    await manager.cleaner.cleanNow();
    assert.deepEqual(await readAll(log), latestPerKey(writes, true));
    for (const { view, records } of await readBatches(log)) {
      assert.equal(view.compression, codec);
      assert.ok(view.isCrcValid());
      assert.equal(view.lastOffsetDelta, 5, 'the last offset of a rewritten batch is kept');
      assert.equal(view.recordCount, records.length);
    }
    await manager.close();
  });
}

test('min.compaction.lag.ms keeps young segments out of the pass', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig({ minCompactionLagMs: 60_000 }));
  const log = await manager.getOrCreateLog('t', 0);
  const old = updates(4, 4);
  await writeKeyed(log, old, { clock });
  await log.roll();
  clock.advance(120_000);
  const young = updates(4, 4);
  await writeKeyed(log, young, { clock });
  await log.roll();
  await manager.cleaner.cleanNow();
  const records = await readAll(log);
  const youngStart = old.length;
  assert.deepEqual(records.filter((r) => r.offset < youngStart), latestPerKey(old, true), 'the old part is cleaned against itself only');
  assert.deepEqual(records.filter((r) => r.offset >= youngStart).length, young.length, 'young records untouched');
  await manager.close();
});

test('min.cleanable.dirty.ratio and cleanup.policy choose the logs', async () => {
  const clock = new ManualClock();
  const dir = await tempDir();
  for (const [config, expected] of [
    [compactConfig({ cleanupPolicy: ['delete'] }), 0],
    [compactConfig({ cleanupPolicy: ['compact', 'delete'] }), 1],
    [compactConfig({ minCleanableDirtyRatio: 1 }), 0],
  ] as const) {
    const manager = await openManager(path.join(dir, String(Math.random())), clock, config);
    const log = await manager.getOrCreateLog('t', 0);
    await writeKeyed(log, updates(4, 10));
    await log.roll();
    assert.equal((await manager.cleaner.cleanNow()).length, expected, config.cleanupPolicy.join(','));
    await manager.close();
  }
});

test('max.compaction.lag.ms makes a log with a low dirty ratio cleanable', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig({ minCleanableDirtyRatio: 0.99, maxCompactionLagMs: 60_000 }));
  const log = await manager.getOrCreateLog('t', 0);
  await writeKeyed(log, updates(4, 10), { clock });
  await manager.cleaner.cleanNow();
  await writeKeyed(log, updates(4, 2), { clock });
  await log.roll();
  assert.deepEqual(await manager.cleaner.cleanNow(), []);
  clock.advance(60_001);
  assert.equal((await manager.cleaner.cleanNow()).length, 1);
  await manager.close();
});

test('a small offset map cleans in several passes and reaches the same result', async () => {
  const clock = new ManualClock();
  // 24-byte slots: room for ~40 keys at the 0.9 load factor.
  const manager = await openManager(await tempDir(), clock, compactConfig(), 24 * 45);
  const log = await manager.getOrCreateLog('t', 0);
  const writes = updates(60, 3);
  await writeKeyed(log, writes, { perBatch: 4 });
  await log.roll();
  const first = await manager.cleaner.cleanNow();
  assert.ok(first[0].endOffset < writes.length, `first pass ends at ${first[0].endOffset}`);
  for (let i = 0; i < 10 && (await manager.cleaner.cleanNow()).length > 0; i++);
  assert.deepEqual(await readAll(log), latestPerKey(writes, true));
  await manager.close();
});

test('appends and reads go on while a pass runs', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig({ segmentBytes: 64 * 1024 }));
  const log = await manager.getOrCreateLog('t', 0);
  const writes = updates(100, 30);
  await writeKeyed(log, writes, { perBatch: 10 });
  await log.roll();
  const pass = manager.cleaner.cleanNow();
  const more = updates(100, 1).map((w) => ({ key: w.key, value: `late-${w.key}` }));
  const appended = writeKeyed(log, more, { perBatch: 1 });
  const read = readAll(log);
  await Promise.all([pass, appended, read]);
  const late = more.map((w, i) => ({ offset: writes.length + i, ...w }));
  assert.deepEqual(await readAll(log), [...latestPerKey(writes, true), ...late], 'late writes sit in the active segment, untouched');
  await manager.close();
});

test("a producer's last batch stays as an empty batch when all its records go; earlier ones vanish", async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig());
  const log = await manager.getOrCreateLog('t', 0);
  const producerId = 7;
  for (let seq = 0; seq < 4; seq++) {
    const batch = await buildRecordBatch({ records: [{ key: 'p', value: `v${seq}` }], producerId, producerEpoch: 0, baseSequence: seq, now: 1_000 });
    log.highWatermark = (await log.append(batch, { leaderEpoch: 0, assignOffsets: true })).lastOffset + 1;
  }
  await writeKeyed(log, [{ key: 'p', value: 'plain' }]); // supersedes every producer record
  await log.roll();
  await manager.cleaner.cleanNow();
  const batches = await readBatches(log);
  assert.deepEqual(batches.map((b) => [b.view.baseOffset, b.view.recordCount, b.view.producerId, b.view.baseSequence]), [
    [3, 0, producerId, 3],
    [4, 1, -1, -1],
  ]);
  assert.ok(batches[0].view.isCrcValid());
  await manager.close();
});

test('with min.compaction.lag.ms=0, records stamped after the clock are cleaned too', async () => {
  const clock = new ManualClock(1_000);
  const manager = await openManager(await tempDir(), clock, compactConfig());
  const log = await manager.getOrCreateLog('t', 0);
  const writes = updates(3, 3);
  await writeKeyed(log, writes, { clock: new ManualClock(5_000_000) });
  await log.roll();
  await manager.cleaner.cleanNow();
  assert.deepEqual(await readAll(log), latestPerKey(writes, true));
  await manager.close();
});

test('compact,delete: a first segment emptied by cleaning stays (log start kept) and retention still deletes it', async () => {
  // An empty segment's age is its file's modification time (as Kafka): the clock starts at wall time.
  const clock = new ManualClock(Date.now());
  const manager = await openManager(await tempDir(), clock, compactConfig({ cleanupPolicy: ['compact', 'delete'], deleteRetentionMs: 1_000, retentionMs: 60_000 }));
  const log = await manager.getOrCreateLog('t', 0);
  await writeKeyed(log, [{ key: 'gone', value: 'v' }, { key: 'gone', value: null }], { clock });
  await log.roll();
  await manager.cleaner.cleanNow();
  clock.advance(1_000);
  await manager.cleaner.cleanNow();
  const [first] = log.cleanerSnapshot().segments;
  assert.equal(first.baseOffset, 0);
  assert.equal(first.size, 0);
  assert.equal(log.logStartOffset, 0);
  await writeKeyed(log, [{ key: 'k', value: 'later' }], { clock });
  clock.advance(60_001);
  assert.ok((await log.deleteRetentionBreachedSegments()) >= 1);
  assert.equal(log.cleanerSnapshot().segments[0] === first, false);
  await manager.close();
});

test('a log whose cleaning fails is left as it was, counted uncleanable and skipped; metrics add up', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig());
  const good = await manager.getOrCreateLog('good', 0);
  const bad = await manager.getOrCreateLog('bad', 0);
  for (const log of [good, bad]) {
    await writeKeyed(log, updates(4, 4), { perBatch: 4 });
    await log.roll();
  }
  // Garbage over the records of bad's first batch: it still frames, but its records do not decode.
  const first = bad.cleanerSnapshot().segments[0].paths.log;
  const fh = await fs.open(first, 'r+');
  await fh.write(Buffer.alloc(8, 0xff), 0, 8, 61);
  await fh.close();
  const before = await fs.readFile(first);
  const cleaned = await manager.cleaner.cleanNow();
  assert.deepEqual(cleaned.map((c) => c.topic), ['good']);
  assert.deepEqual(await fs.readFile(first), before);
  assert.equal(manager.cleaner.metrics().uncleanableLogs, 1);
  assert.equal(manager.cleaner.metrics().logsCleaned, 1);
  assert.ok(manager.cleaner.metrics().lastPassRecopyRatio > 0 && manager.cleaner.metrics().lastPassRecopyRatio < 1);
  await writeKeyed(bad, updates(4, 4));
  await bad.roll();
  assert.deepEqual(await manager.cleaner.cleanNow(), []);
  await manager.close();
});
