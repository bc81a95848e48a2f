/**
 * The README's embedded-broker example, run as written: the code block after the
 * `<!-- readme-example: embedded -->` marker is saved inside the package (so `gregor`
 * and `kafkajs` resolve as they would for a user) and run with `node --test`.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO = new URL('../../', import.meta.url).pathname;
const MARKER = '<!-- readme-example: embedded -->';

async function readmeExample(): Promise<string> {
  const readme = await readFile(join(REPO, 'README.md'), 'utf8');
  const at = readme.indexOf(MARKER);
  assert.ok(at >= 0, `README.md has no ${MARKER}`);
  const block = /```js\n([\s\S]*?)```/.exec(readme.slice(at));
  assert.ok(block !== null, 'no js code block after the marker');
  return block[1];
}

it('runs the README example', async () => {
  // Under the repo's git-ignored tmp/, so the package resolves itself by name.
  await mkdir(join(REPO, 'tmp'), { recursive: true });
  const dir = await mkdtemp(join(REPO, 'tmp', 'readme-'));
  try {
    const file = join(dir, 'example.test.mjs');
    await writeFile(file, await readmeExample());
    // Without NODE_TEST_CONTEXT, which would make the child report to this runner instead of stdout.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: REPO, env });
    assert.match(stdout, /^# pass 1$/m);
    assert.match(stdout, /^# fail 0$/m);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
