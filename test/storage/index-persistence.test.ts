/**
 * Index entries of the active segment reach their files only at roll and close (an append
 * is one write, to the log; a flush one fdatasync of it); a crash before that leaves the
 * index files behind the log, and recovery rebuilds them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { OFFSET_INDEX_ENTRY_SIZE } from '../../src/storage/offset-index.ts';
import { appendBatches, baseOffsets, openLog, segmentFiles, tempDir, testConfig } from './helpers.ts';

/** Index interval 256 B: every second 4-record batch gets an entry. */
const config = testConfig();

/** Entries written to the active segment's (preallocated, zero-filled) offset index file. */
async function offsetEntriesOnDisk(dir: string): Promise<number> {
  const file = path.join(dir, 'topic-0', (await segmentFiles(dir, '.index')).at(-1)!);
  const bytes = await fs.readFile(file);
  let n = 0;
  // entry i > 0 has a position > 0; the first entry is never at position 0 either
  while ((n + 1) * OFFSET_INDEX_ENTRY_SIZE <= bytes.length && bytes.readInt32BE(n * OFFSET_INDEX_ENTRY_SIZE + 4) > 0) n++;
  return n;
}

async function assertEveryBatchReadable(log: Awaited<ReturnType<typeof openLog>>, batches: number): Promise<void> {
  for (let i = 0; i < batches; i++) {
    const result = await log.read({ offset: i * 4 + 1, maxBytes: 1, maxOffset: log.logEndOffset, minOneBatch: true });
    assert.ok(result.kind === 'records');
    assert.deepEqual(baseOffsets(result.records), [i * 4], `batch ${i}`);
  }
}

test('appends and flushes leave the active index files alone; close writes every entry', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config });
  await appendBatches(log, 40, 4);
  await log.flush();
  await appendBatches(log, 40, 4);
  assert.equal(await offsetEntriesOnDisk(dir), 0);
  await log.close();
  const closedEntries = (await fs.stat(path.join(dir, 'topic-0', (await segmentFiles(dir, '.index'))[0]))).size / OFFSET_INDEX_ENTRY_SIZE;
  assert.ok(closedEntries >= 30, `entries after close: ${closedEntries}`);
  const reopened = await openLog({ dir, config, recoveryPoint: 320 });
  await assertEveryBatchReadable(reopened, 80);
  await reopened.close();
});

test('a crash with index files behind the log: recovery rebuilds them and every batch is found', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config });
  await appendBatches(log, 30, 4);
  await log.flush();
  await appendBatches(log, 30, 4);
  // The files as a kill -9 now would leave them (page cache intact, no close).
  const crashed = await tempDir();
  await fs.cp(path.join(dir, 'topic-0'), path.join(crashed, 'topic-0'), { recursive: true });
  await log.close();
  const recovered = await openLog({ dir: crashed, config, needsRecovery: true, recoveryPoint: 120 });
  assert.equal(recovered.logEndOffset, 240);
  await assertEveryBatchReadable(recovered, 60);
  await recovered.close();
  const reopened = await openLog({ dir: crashed, config, recoveryPoint: 240 });
  await assertEveryBatchReadable(reopened, 60);
  await reopened.close();
});

test('a rolled segment gets all its index entries although it was never flushed', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ segmentBytes: 4096 }) });
  await appendBatches(log, 60, 4);
  const files = await segmentFiles(dir, '.index');
  assert.ok(files.length > 1);
  const first = await fs.readFile(path.join(dir, 'topic-0', files[0]));
  assert.ok(first.length >= 4 * OFFSET_INDEX_ENTRY_SIZE, `first segment's index: ${first.length} bytes`);
  for (let i = 0; i < first.length; i += OFFSET_INDEX_ENTRY_SIZE) assert.ok(first.readInt32BE(i + 4) > 0);
  await log.close();
});
