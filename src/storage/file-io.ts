/**
 * Positional file I/O helpers over node:fs/promises FileHandles (libuv thread pool, never
 * blocking the event loop), plus the atomic-replace used for checkpoint files.
 */
import type { FileHandle } from 'node:fs/promises';
import fs from 'node:fs/promises';
import path from 'node:path';

/** Reads `length` bytes at `position` into a new Buffer; shorter only at end of file. */
export async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  const n = await readInto(fh, buf, length, position);
  return n === length ? buf : buf.subarray(0, n);
}

/** Fills buf[0, length) from `position`; returns the bytes read (fewer at end of file). */
export async function readInto(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

/** Writes all of `buf` at `position` (looping over short writes). */
export async function writeAt(fh: FileHandle, buf: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < buf.length) {
    const { bytesWritten } = await fh.write(buf, done, buf.length - done, position + done);
    done += bytesWritten;
  }
}

/** fsync of a directory, so a rename / create / unlink in it is durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await fs.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `file` with `contents` atomically and durably: write `<file>.tmp`, fsync it,
 * rename over `file`, fsync the directory. A crash leaves either the old or the new file
 * (plus possibly a stray .tmp, which loaders delete).
 */
export async function writeFileAtomic(file: string, contents: string | Buffer): Promise<void> {
  const tmp = `${file}.tmp`;
  const fh = await fs.open(tmp, 'w');
  try {
    await fh.writeFile(contents);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/** Reads a file, or returns null if it does not exist. */
export async function readFileIfExists(file: string): Promise<Buffer | null> {
  try {
    return await fs.readFile(file);
  } catch (err) {
    if (isNotFound(err)) return null;
    throw err;
  }
}

export function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
}

/** Unlinks a file, ignoring "already gone". */
export async function unlinkIfExists(file: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
