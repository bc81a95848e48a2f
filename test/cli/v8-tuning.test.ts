// `gregor start` sets a V8 flag at run time (src/cli/v8-tuning.ts); V8 ignores unknown
// names there, so a Node upgrade that dropped it would silently bring the GC stalls back.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';

test('the V8 flag gregor start sets exists in this Node', () => {
  const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', maxBuffer: 16 << 20 });
  assert.match(options, /--external-memory-accounted-in-global-limit\b/);
});
