/**
 * The cleaner's bounded key -> offset map and its key hash.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hashKey } from '../../src/storage/cleaner/key-hash.ts';
import { OffsetMap } from '../../src/storage/cleaner/offset-map.ts';

test('put/get keep the latest offset per key, offsets past 2^32 included', async () => {
  const map = new OffsetMap(24 * 100, 0.9);
  await map.clear();
  assert.equal(map.get(Buffer.from('a')), -1);
  map.put(Buffer.from('a'), 1);
  map.put(Buffer.from('b'), 2);
  map.put(Buffer.from('a'), 2 ** 40 + 3);
  map.put(Buffer.alloc(0), 7);
  assert.equal(map.get(Buffer.from('a')), 2 ** 40 + 3);
  assert.equal(map.get(Buffer.from('b')), 2);
  assert.equal(map.get(Buffer.alloc(0)), 7);
  assert.equal(map.size, 3);
  assert.equal(map.latestOffset, 7);
  await map.clear();
  assert.equal(map.get(Buffer.from('a')), -1);
  assert.equal(map.size, 0);
});

test('the map is full at its load factor and refuses more keys', async () => {
  const map = new OffsetMap(24 * 10, 0.5);
  await map.clear();
  assert.equal(map.capacity, 5);
  for (let i = 0; i < 5; i++) map.put(Buffer.from(`k${i}`), i);
  assert.ok(map.isFull);
  assert.throws(() => map.put(Buffer.from('k9'), 9), RangeError);
  for (let i = 0; i < 5; i++) assert.equal(map.get(Buffer.from(`k${i}`)), i);
});

test('100,000 distinct keys of every length up to 40 bytes get distinct hashes', () => {
  const seen = new Set<string>();
  const out = new Int32Array(4);
  for (let i = 0; i < 100_000; i++) {
    const key = Buffer.from(`${i}:`.padEnd(i % 41, 'x')).subarray(0, Math.max(i % 41, String(i).length + 1));
    hashKey(key, out);
    assert.ok(out.some((x) => x !== 0));
    seen.add(out.join(','));
  }
  assert.equal(seen.size, 100_000);
});

test('keys differing in one byte at any position hash differently', () => {
  const a = new Int32Array(4);
  const b = new Int32Array(4);
  const base = Buffer.alloc(37, 0x61);
  hashKey(base, a);
  for (let i = 0; i < base.length; i++) {
    const other = Buffer.from(base);
    other[i] ^= 1;
    hashKey(other, b);
    assert.notDeepEqual(b, a, `byte ${i}`);
  }
});
