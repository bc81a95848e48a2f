import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentLogger, createLogger } from '../../src/logger.ts';

function collector(): { lines: string[]; write(line: string): void } {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

test('JSON lines carry level, message, component and fields', () => {
  const out = collector();
  const root = createLogger({ level: 'info', destination: out });
  componentLogger(root, 'server').warn({ port: 9092 }, 'hello');
  root.debug('below the level');
  assert.equal(out.lines.length, 1);
  const entry = JSON.parse(out.lines[0]) as Record<string, unknown>;
  assert.equal(entry.level, 40);
  assert.equal(entry.msg, 'hello');
  assert.equal(entry.component, 'server');
  assert.equal(entry.port, 9092);
});

test('pretty lines are human-readable', () => {
  const out = collector();
  const root = createLogger({ level: 'debug', pretty: true, destination: out });
  componentLogger(root, 'storage').debug({ topic: 't' }, 'rolled');
  assert.equal(out.lines.length, 1);
  assert.match(out.lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z DEBUG \[storage\] rolled topic="t"\n$/);
});
