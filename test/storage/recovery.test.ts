import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { appendBatches, baseOffsets, openLog, segmentFiles, tempDir, testConfig } from './helpers.ts';

const config = testConfig({ segmentBytes: 2048 });

/** Writes a log of `batches` 4-record batches, closed cleanly; returns the partition dir. */
async function writeLog(dir: string, batches: number): Promise<string> {
  const log = await openLog({ dir, config });
  await appendBatches(log, batches, 4);
  await log.close();
  return path.join(dir, 'topic-0');
}

async function lastSegment(partitionDir: string): Promise<string> {
  const logs = (await fs.readdir(partitionDir)).filter((n) => n.endsWith('.log')).sort();
  return path.join(partitionDir, logs.at(-1)!);
}

async function readAll(log: Awaited<ReturnType<typeof openLog>>): Promise<number[]> {
  const result = await log.read({ offset: log.logStartOffset, maxBytes: 1 << 24, maxOffset: log.logEndOffset, minOneBatch: true });
  assert.ok(result.kind === 'records');
  const bases = baseOffsets(result.records);
  // a read stays inside one segment; continue from the next
  if (bases.length === 0) return [];
  const rest: number[] = [];
  let next = bases.at(-1)! + 4;
  while (next < log.logEndOffset) {
    const more = await log.read({ offset: next, maxBytes: 1 << 24, maxOffset: log.logEndOffset, minOneBatch: true });
    assert.ok(more.kind === 'records');
    const b = baseOffsets(more.records);
    rest.push(...b);
    next = b.at(-1)! + 4;
  }
  return [...bases, ...rest];
}

test('unclean restart truncates a torn batch at the tail', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const file = await lastSegment(partitionDir);
  const { size } = await fs.stat(file);
  await fs.truncate(file, size - 10);
  const log = await openLog({ dir, config, needsRecovery: true });
  assert.equal(log.logEndOffset, 116);
  assert.equal(log.recoveryPoint, 116);
  assert.deepEqual(await readAll(log), Array.from({ length: 29 }, (_, i) => i * 4));
  await appendBatches(log, 1, 4);
  assert.equal(log.logEndOffset, 120);
  await log.close();
});

test('unclean restart truncates at a batch with a bad CRC in the middle of the active segment and drops the rest', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const file = await lastSegment(partitionDir);
  const bytes = await fs.readFile(file);
  const firstBase = Number(bytes.readBigInt64BE(0));
  // third batch of the active segment: flip a byte in its records
  let pos = 0;
  for (let i = 0; i < 2; i++) pos += 12 + bytes.readInt32BE(pos + 8);
  const corruptBase = Number(bytes.readBigInt64BE(pos));
  bytes[pos + 70] ^= 0xff;
  await fs.writeFile(file, bytes);
  const log = await openLog({ dir, config, needsRecovery: true, recoveryPoint: firstBase });
  assert.equal(log.logEndOffset, corruptBase);
  assert.equal((await fs.stat(file)).size, pos);
  assert.ok(corruptBase > firstBase);
  assert.deepEqual(await readAll(log), Array.from({ length: corruptBase / 4 }, (_, i) => i * 4));
  await log.close();
});

test('a corrupt batch in an earlier segment deletes every later segment', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const files = await segmentFiles(dir);
  assert.ok(files.length >= 3);
  const second = path.join(partitionDir, files[1]);
  const bytes = await fs.readFile(second);
  bytes[17] ^= 0x01; // CRC field of its first batch
  await fs.writeFile(second, bytes);
  const log = await openLog({ dir, config, needsRecovery: true, recoveryPoint: 0 });
  assert.equal(log.logEndOffset, Number(bytes.readBigInt64BE(0)));
  assert.deepEqual(await segmentFiles(dir), files.slice(0, 2));
  await log.close();
});

test('clean restart trusts the batches; unclean restart verifies their CRCs from the recovery point', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const file = await lastSegment(partitionDir);
  const bytes = await fs.readFile(file);
  const firstBase = Number(bytes.readBigInt64BE(0));
  bytes[bytes.length - 5] ^= 0xff; // inside the last batch's records
  await fs.writeFile(file, bytes);
  const clean = await openLog({ dir, config, recoveryPoint: 120 });
  assert.equal(clean.logEndOffset, 120);
  await clean.close();
  const uncleanPastIt = await openLog({ dir, config, needsRecovery: true, recoveryPoint: 120 });
  assert.equal(uncleanPastIt.logEndOffset, 116);
  await uncleanPastIt.close();
  assert.ok(firstBase < 116);
});

test('a clean open cuts an unparseable tail of the active segment so appends stay framed', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const file = await lastSegment(partitionDir);
  const { size } = await fs.stat(file);
  await fs.appendFile(file, Buffer.alloc(30, 7));
  const log = await openLog({ dir, config, recoveryPoint: 120 });
  assert.equal(log.logEndOffset, 120);
  assert.equal((await fs.stat(file)).size, size);
  await appendBatches(log, 1, 4);
  assert.deepEqual(await readAll(log), Array.from({ length: 31 }, (_, i) => i * 4));
  await log.close();
});

test('missing and corrupt index files are rebuilt from the log', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 30);
  const indexes = await segmentFiles(dir, '.index');
  const firstIndex = path.join(partitionDir, indexes[0]);
  const goodIndex = await fs.readFile(firstIndex);
  assert.ok(goodIndex.length >= 16, 'first segment should have index entries');
  await fs.rm(path.join(partitionDir, indexes[1]));
  await fs.rm(path.join(partitionDir, indexes[1].replace('.index', '.timeindex')));
  const corrupt = Buffer.from(goodIndex);
  corrupt.writeInt32BE(0x7fff0000, corrupt.length - 4); // last entry's position past the log
  await fs.writeFile(firstIndex, corrupt);
  const log = await openLog({ dir, config, recoveryPoint: 120 });
  assert.deepEqual(await readAll(log), Array.from({ length: 30 }, (_, i) => i * 4));
  assert.deepEqual(await fs.readFile(firstIndex), goodIndex);
  assert.ok((await fs.stat(path.join(partitionDir, indexes[1]))).size > 0);
  await log.close();
});

test('leftover .deleted/.cleaned/.swap/.tmp files and orphan indexes are removed on open', async () => {
  const dir = await tempDir();
  const partitionDir = await writeLog(dir, 3);
  const junk = ['00000000000000000099.log.deleted', '00000000000000000000.log.cleaned', '00000000000000000000.log.swap', 'leader-epoch-checkpoint.tmp', '00000000000000000500.index'];
  for (const name of junk) await fs.writeFile(path.join(partitionDir, name), 'x');
  const log = await openLog({ dir, config, recoveryPoint: 12 });
  const names = await fs.readdir(partitionDir);
  for (const name of junk) assert.ok(!names.includes(name), name);
  assert.equal(log.logEndOffset, 12);
  await log.close();
});
