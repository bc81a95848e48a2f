// bin/gregor.js starts the broker with V8 flags on its shebang line. An unknown flag there
// stops Node at start ("bad option"), and the benches read the same line: every flag must
// exist in the Node this project runs on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

test('every V8 flag on bin/gregor.js\'s shebang exists in this Node', () => {
  const shebang = readFileSync(new URL('../../bin/gregor.js', import.meta.url), 'utf8').split('\n')[0];
  const flags = [...shebang.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]);
  assert.ok(flags.includes('external-memory-accounted-in-global-limit'), shebang);
  const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  for (const flag of flags) assert.match(known, new RegExp(`--${flag}\\b`), `--${flag}`);
});
