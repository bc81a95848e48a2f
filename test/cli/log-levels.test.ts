/**
 * `--log-level info,storage=debug,listener=warn`: the root level and per-component levels
 * (a `listener-PLAINTEXT` component matches `listener`), and a clear error for a bad level.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { componentLogger, createLogger, parseLogLevels } from '../../src/logger.ts';

function collector(): { lines: Record<string, unknown>[]; write(line: string): void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) };
}

it('parses a root level and component levels', () => {
  assert.deepEqual(parseLogLevels('warn,storage=debug,listener=error'), {
    level: 'warn', componentLevels: { storage: 'debug', listener: 'error' },
  });
  assert.throws(() => parseLogLevels('info,storage=loud'), /'storage=loud': the level must be one of/);
});

it('gives each component its own level', () => {
  const out = collector();
  const root = createLogger({ level: 'info', componentLevels: { storage: 'debug', listener: 'warn' }, destination: out });
  componentLogger(root, 'storage').debug('storage detail');
  componentLogger(root, 'listener-PLAINTEXT').info('listener chatter');
  componentLogger(root, 'listener-PLAINTEXT').warn('listener warning');
  componentLogger(root, 'broker').debug('broker detail');
  componentLogger(root, 'broker').info('broker line');
  assert.deepEqual(out.lines.map((l) => [l.component, l.msg]), [
    ['storage', 'storage detail'], ['listener-PLAINTEXT', 'listener warning'], ['broker', 'broker line'],
  ]);
});
