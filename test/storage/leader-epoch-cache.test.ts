import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { LeaderEpochCache } from '../../src/storage/leader-epoch-cache.ts';
import { tempDir } from './helpers.ts';

test('assign ignores repeats, replaces conflicting entries; truncation from both ends', async () => {
  const dir = await tempDir();
  const cache = await LeaderEpochCache.load(dir);
  assert.equal(cache.assign(1, 0), true);
  assert.equal(cache.assign(1, 5), false);
  assert.equal(cache.assign(3, 10), true);
  assert.equal(cache.assign(5, 20), true);
  assert.equal(cache.epochForOffset(15), 3);
  assert.equal(cache.assign(4, 15), true); // a new leader's start below epoch 5's removes it
  assert.deepEqual(cache.entries(), [
    { epoch: 1, startOffset: 0 },
    { epoch: 3, startOffset: 10 },
    { epoch: 4, startOffset: 15 },
  ]);
  assert.equal(cache.truncateFromStart(12), true);
  assert.deepEqual(cache.entries(), [
    { epoch: 3, startOffset: 12 },
    { epoch: 4, startOffset: 15 },
  ]);
  assert.equal(cache.truncateFromEnd(15), true);
  assert.deepEqual(cache.entries(), [{ epoch: 3, startOffset: 12 }]);
  await cache.flush();
  assert.equal(await fs.readFile(path.join(dir, 'leader-epoch-checkpoint'), 'utf8'), '0\n1\n3 12\n');
  assert.deepEqual((await LeaderEpochCache.load(dir)).entries(), [{ epoch: 3, startOffset: 12 }]);
});
