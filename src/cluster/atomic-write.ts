/**
 * Crash-safe file replacement: write `<path>.tmp`, fsync it, rename over `path`, fsync the
 * directory. After a crash the file holds either the old or the new content, never a mix.
 * Also `fsyncDirectory`, which makes newly created entries of a directory durable.
 */
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const file = await open(tmp, 'w');
  try {
    await file.writeFile(content, 'utf8');
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(tmp, path);
  await fsyncDirectory(dirname(path));
}

/** fsyncs a directory so entries created or renamed in it survive a crash. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
