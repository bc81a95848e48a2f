/**
 * Start-up progress of loading a log dir: "x of y partitions loaded" lines while a load
 * lasts (at most every 5 s of the injected clock) and one final line with the total; a
 * quick load logs only the final line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { LogManager } from '../../src/storage/log-manager.ts';
import type { StorageLogger } from '../../src/storage/logger.ts';
import { tempDir, testConfig } from './helpers.ts';

const PARTITIONS = 4;

interface Line {
  readonly fields: Record<string, unknown>;
  readonly msg: string;
}

function capturingLogger(): { logger: StorageLogger; progress: () => Line[] } {
  const lines: Line[] = [];
  const keep = (fields: object, msg = ''): void => {
    lines.push({ fields: fields as Record<string, unknown>, msg });
  };
  return { logger: { info: keep, warn: keep, error: keep }, progress: () => lines.filter((l) => 'loaded' in l.fields) };
}

async function dirWithPartitions(): Promise<string> {
  const dir = await tempDir();
  const manager = await LogManager.open({ logDirs: [dir], clock: new ManualClock(), configFor: () => testConfig(), tickIntervalMs: 0 });
  for (let p = 0; p < PARTITIONS; p++) await manager.getOrCreateLog('orders', p);
  await manager.close();
  return dir;
}

/** Opens `dir` with one recovery thread; each partition's load takes `msPerPartition` of the clock. */
async function reopen(dir: string, msPerPartition: number): Promise<Line[]> {
  const clock = new ManualClock();
  const { logger, progress } = capturingLogger();
  const manager = await LogManager.open({
    logDirs: [dir], clock, logger, tickIntervalMs: 0, recoveryThreadsPerDataDir: 1,
    // Read once as each partition log opens: the hook that makes each load "take" time.
    configFor: () => {
      clock.advance(msPerPartition);
      return testConfig();
    },
  });
  await manager.close();
  return progress();
}

test('a slow load logs x of y partitions loaded as it goes, then the total', async () => {
  const lines = await reopen(await dirWithPartitions(), 6_000);
  assert.deepEqual(lines.map((l) => l.msg), [
    'loading logs: 1 of 4 partitions loaded',
    'loading logs: 2 of 4 partitions loaded',
    'loading logs: 3 of 4 partitions loaded',
    'loaded 4 of 4 partitions in 24000 ms',
  ]);
  assert.deepEqual(lines[1].fields, { logDir: lines[1].fields.logDir, loaded: 2, partitions: PARTITIONS, ms: 12_000 });
});

test('progress lines are at least 5 s apart', async () => {
  const lines = await reopen(await dirWithPartitions(), 2_000);
  assert.deepEqual(lines.map((l) => l.msg), ['loading logs: 3 of 4 partitions loaded', 'loaded 4 of 4 partitions in 8000 ms']);
});

test('a quick load logs only the total', async () => {
  const lines = await reopen(await dirWithPartitions(), 0);
  assert.deepEqual(lines.map((l) => l.msg), ['loaded 4 of 4 partitions in 0 ms']);
});
