import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ReadBufferPool, sizeClass } from '../../src/storage/read-buffers.ts';
import { appendBatches, openLog, tempDir, testConfig } from './helpers.ts';

test('size classes are 2^k, 1.25, 1.5 and 1.75 x 2^k and hold the length', () => {
  assert.equal(sizeClass(8192), 8192);
  assert.equal(sizeClass(8193), 10240);
  assert.equal(sizeClass(1 << 20), 1 << 20);
  // A 1 MiB partition limit plus the index interval and slack of a segment read.
  assert.equal(sizeClass((1 << 20) + 20480), 1.25 * (1 << 20));
  assert.equal(sizeClass((1 << 21) - 1), 1 << 21);
  for (let n = 8192; n < 1 << 22; n += 7919) {
    const size = sizeClass(n);
    assert.ok(size >= n && size <= n * 1.25, `${n} -> ${size}`);
  }
});

test('a released lease hands its buffers to the next lease; takes of one lease never share memory', () => {
  const pool = new ReadBufferPool(1 << 20);
  const first = pool.lease();
  const a = first.take(100_000);
  const b = first.take(100_000);
  assert.equal(a.length, 100_000);
  assert.notEqual(a.buffer, b.buffer);
  first.release();
  assert.equal(pool.idleBytes, 2 * sizeClass(100_000));
  const second = pool.lease();
  const c = second.take(99_000); // same size class
  assert.ok(c.buffer === a.buffer || c.buffer === b.buffer);
  assert.equal(c.length, 99_000);
  assert.equal(pool.idleBytes, sizeClass(100_000));
  second.release();
  second.release(); // nothing left to give back
  assert.equal(pool.idleBytes, 2 * sizeClass(100_000));
});

test('small reads are not pooled and idle buffers stay within the pool limit', () => {
  const pool = new ReadBufferPool(300_000);
  const lease = pool.lease();
  lease.take(100);
  for (let i = 0; i < 4; i++) lease.take(100_000);
  lease.release();
  assert.equal(pool.idleBytes, 2 * sizeClass(100_000), 'two of four 112 KiB buffers fit in 300,000 bytes');
});

test('a log read into leased buffers returns the bytes a fresh read returns, and reuses them once released', async () => {
  const log = await openLog({ dir: await tempDir(), config: testConfig() });
  try {
    await appendBatches(log, 40, 10, { valueBytes: 500 });
    const pool = new ReadBufferPool();
    const opts = { offset: 95, maxBytes: 20_000, maxOffset: 400, minOneBatch: true };
    const fresh = await log.read(opts);
    const lease = pool.lease();
    const leased = await log.read({ ...opts, buffers: lease });
    assert.equal(fresh.kind, 'records');
    assert.equal(leased.kind, 'records');
    if (fresh.kind !== 'records' || leased.kind !== 'records') return;
    assert.ok(fresh.records.length > 8192, 'large enough to be pooled');
    assert.ok(leased.records.equals(fresh.records));
    assert.equal(leased.firstOffset, fresh.firstOffset);
    const memory = leased.records.buffer;
    lease.release();
    const again = await log.read({ ...opts, offset: 0, buffers: pool.lease() });
    assert.equal(again.kind, 'records');
    if (again.kind === 'records') assert.equal(again.records.buffer, memory, 'the released buffer is read into again');
  } finally {
    await log.close();
  }
});
