/**
 * The append writer: appends handed to its thread land at their positions byte for byte,
 * whether they go through the thread, skip the ring's end, or fall back to the libuv pool
 * (too large, rings full); a failed write rejects with the system error and later writes
 * still work.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { AppendWriter } from '../../src/storage/append-writer.ts';
import { tempDir } from './helpers.ts';

/**
 * Appends `sizes` to every file, the files concurrently; per file either one write at a time
 * (as a log segment appends) or all at once.
 */
async function appendAll(writer: AppendWriter, files: FileHandle[], sizes: number[], oneAtATime: boolean): Promise<Buffer[]> {
  const expected = files.map(() => [] as Buffer[]);
  const perFile = files.map(async (fh, f) => {
    let position = 0;
    const writes: Promise<void>[] = [];
    for (const size of sizes) {
      const data = randomBytes(size);
      expected[f].push(data);
      const write = writer.write(fh, data, position);
      if (oneAtATime) await write;
      writes.push(write);
      position += size;
    }
    await Promise.all(writes);
  });
  await Promise.all(perFile);
  return expected.map((parts) => Buffer.concat(parts));
}

async function openFiles(n: number): Promise<FileHandle[]> {
  const dir = await tempDir();
  return Promise.all(Array.from({ length: n }, (_, i) => fs.open(path.join(dir, `f${i}`), 'w+')));
}

async function assertContents(files: FileHandle[], expected: Buffer[]): Promise<void> {
  for (const [i, fh] of files.entries()) {
    assert.ok((await fh.readFile()).equals(expected[i]), `file ${i} holds exactly its appends`);
    await fh.close();
  }
}

test('small and large appends to many files land at their positions', async () => {
  const writer = new AppendWriter();
  const files = await openFiles(20);
  const sizes = [1, 100, 1024, 70_000, 4096, 65_536, 65_537, 3, 200_000, 512];
  await assertContents(files, await appendAll(writer, files, sizes, false));
});

test('a small ring wraps and, when full, sends appends through the libuv pool', async () => {
  const writer = new AppendWriter({ ringBytes: 4096, jobSlots: 4, maxJobBytes: 1500 });
  const files = await openFiles(8);
  // Sizes that do not divide the ring, so jobs skip its end; 8 files overflow both rings.
  const sizes = [700, 1300, 900, 1500, 17, 1100, 600, 1499, 300, 1024, 1, 1200];
  await assertContents(files, await appendAll(writer, files, sizes, true));
  // Sizes that divide the ring: a job ends exactly at its end, the next one starts at 0.
  const exact = await openFiles(6);
  await assertContents(exact, await appendAll(writer, exact, Array.from({ length: 12 }, () => 1024), true));
  // All at once from the start, and the rings are free again for a second round.
  const again = await openFiles(3);
  await assertContents(again, await appendAll(writer, again, sizes, false));
});

test('a failed write rejects with the system error; the next ones still work', async () => {
  const writer = new AppendWriter();
  const dir = await tempDir();
  const file = path.join(dir, 'read-only');
  await fs.writeFile(file, '');
  const readOnly = await fs.open(file, 'r');
  const [good] = await openFiles(1);
  const data = Buffer.from('after the failure');
  const results = await Promise.allSettled([writer.write(readOnly, Buffer.from('x'), 0), writer.write(good, data, 0)]);
  assert.equal(results[0].status, 'rejected');
  assert.equal((results[0] as PromiseRejectedResult).reason.code, 'EBADF');
  assert.equal(results[1].status, 'fulfilled', 'a failure fails only its own job');
  await writer.write(good, data, data.length);
  await readOnly.close();
  await assertContents([good], [Buffer.concat([data, data])]);
});
