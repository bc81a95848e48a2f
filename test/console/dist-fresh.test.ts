/**
 * console/dist is committed (the broker serves it with no build step for users), so it must
 * be exactly what `npm run build:console` makes from console/src: this builds into a temp
 * dir with the same Vite config and compares every file. On a failure, run
 * `npm run build:console` and commit console/dist.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { build } from 'vite';

const CONSOLE_DIR = join(import.meta.dirname, '../../console');

async function files(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.set(relative(dir, path), await readFile(path));
  }
  return out;
}

test('console/dist is the build of console/src', async () => {
  const outDir = await mkdtemp(join(tmpdir(), 'gregor-console-'));
  try {
    await build({ root: CONSOLE_DIR, configFile: join(CONSOLE_DIR, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const built = await files(outDir);
    const committed = await files(join(CONSOLE_DIR, 'dist'));
    assert.deepEqual([...committed.keys()].sort(), [...built.keys()].sort(), 'the same files (run npm run build:console)');
    for (const [name, bytes] of built) assert.ok(bytes.equals(committed.get(name)!), `${name} matches the build (run npm run build:console)`);
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
});
