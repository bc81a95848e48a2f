import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { DelayedFileDeletes, PENDING_DELETE_BATCHES_MAX } from '../../src/storage/delayed-file-deletes.ts';
import { tempDir } from './helpers.ts';

test('files are unlinked once due; past the batch limit the oldest batch goes at once', async () => {
  const dir = await tempDir();
  const file = async (name: string) => {
    const p = path.join(dir, name);
    await fs.writeFile(p, 'x');
    return p;
  };
  const exists = (p: string) => fs.access(p).then(() => true, () => false);
  const deletes = new DelayedFileDeletes();
  const first = await file('first.log.deleted');
  await deletes.add([first], 100);
  await deletes.add([await file('second.log.deleted'), path.join(dir, 'already-gone.deleted')], 200);
  assert.equal(await deletes.removeDue(99), 0);
  assert.equal(await deletes.removeDue(150), 1);
  assert.equal(await exists(first), false);
  assert.equal(deletes.pendingFiles, 2);
  assert.equal(await deletes.removeDue(200), 2, 'a missing file is not an error');
  const oldest = await file('oldest.deleted');
  await deletes.add([oldest], 1_000);
  for (let i = 0; i < PENDING_DELETE_BATCHES_MAX; i++) await deletes.add([path.join(dir, `none-${i}`)], 1_000);
  assert.equal(await exists(oldest), false);
  assert.equal(deletes.pendingFiles, PENDING_DELETE_BATCHES_MAX);
});
