import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import type { LogConfig } from '../../src/config/log-config.ts';
import { CLEAN_SHUTDOWN_FILE, LogManager } from '../../src/storage/log-manager.ts';
import { appendBatches, batch, tempDir, testConfig } from './helpers.ts';

const TOPIC_ID = 'MTIzNDU2Nzg5MDEyMzQ1Ng';

function openManager(logDirs: string[], clock = new ManualClock(), configFor: (topic: string) => LogConfig = () => testConfig()): Promise<LogManager> {
  return LogManager.open({ logDirs, clock, configFor, tickIntervalMs: 0, flushCheckIntervalMs: 1000, checkpointIntervalMs: 60_000 });
}

test('checkpoints, partition.metadata and the clean-shutdown marker round-trip through close and open', async () => {
  const dir = await tempDir();
  const manager = await openManager([dir]);
  const a = await manager.getOrCreateLog('orders', 0, TOPIC_ID);
  const b = await manager.getOrCreateLog('orders', 1, TOPIC_ID);
  await appendBatches(a, 3, 4);
  await appendBatches(b, 1, 4);
  await a.deleteRecordsBefore(4);
  await manager.close();
  const read = (name: string) => fs.readFile(path.join(dir, name), 'utf8');
  assert.equal(await read('recovery-point-offset-checkpoint'), '0\n2\norders 0 12\norders 1 4\n');
  assert.equal(await read('log-start-offset-checkpoint'), '0\n2\norders 0 4\norders 1 0\n');
  assert.equal(await read('orders-0/partition.metadata'), `version: 0\ntopic_id: ${TOPIC_ID}\n`);
  await fs.access(path.join(dir, CLEAN_SHUTDOWN_FILE));

  const reopened = await openManager([dir]);
  await assert.rejects(fs.access(path.join(dir, CLEAN_SHUTDOWN_FILE)));
  const log = reopened.getLog('orders', 0)!;
  assert.equal(log.logStartOffset, 4);
  assert.equal(log.logEndOffset, 12);
  assert.equal(log.recoveryPoint, 12);
  assert.equal(reopened.topicIdOf('orders', 0), TOPIC_ID);
  await assert.rejects(reopened.getOrCreateLog('orders', 0, 'AAAAAAAAAAAAAAAAAAAAAA'));
  await reopened.close();
});

test('without the marker every log is recovered; non-partition entries are left alone', async () => {
  const dir = await tempDir();
  const manager = await openManager([dir]);
  const log = await manager.getOrCreateLog('t', 0);
  await appendBatches(log, 2, 4);
  await manager.close();
  await fs.rm(path.join(dir, CLEAN_SHUTDOWN_FILE));
  await fs.mkdir(path.join(dir, '__cluster_metadata-0'));
  await fs.writeFile(path.join(dir, '__cluster_metadata-0', '00000000000000000000.log'), 'not a kafka log');
  await fs.mkdir(path.join(dir, 'not a partition'));
  await fs.writeFile(path.join(dir, 'meta.properties'), 'node.id=1\n');
  const segment = path.join(dir, 't-0', '00000000000000000000.log');
  await fs.appendFile(segment, Buffer.alloc(7));
  const reopened = await openManager([dir]);
  assert.deepEqual(reopened.allLogs().map((l) => `${l.topic}-${l.partition}`), ['t-0']);
  assert.equal(reopened.getLog('t', 0)!.logEndOffset, 8);
  assert.equal((await fs.readFile(segment)).length % 1 === 0 && (await fs.stat(segment)).size, (await batch(4)).length * 2);
  assert.equal(await fs.readFile(path.join(dir, '__cluster_metadata-0', '00000000000000000000.log'), 'utf8'), 'not a kafka log');
  await reopened.close();
});

test('tick() flushes logs whose data is older than flush.ms and writes checkpoints when due', async () => {
  const dir = await tempDir();
  const clock = new ManualClock();
  const manager = await openManager([dir], clock, () => testConfig({ flushMs: 5000 }));
  const log = await manager.getOrCreateLog('t', 0);
  await appendBatches(log, 2, 4);
  clock.advance(1000);
  await manager.tick();
  assert.equal(log.recoveryPoint, 0);
  clock.advance(4000);
  await manager.tick();
  assert.equal(log.recoveryPoint, 8);
  assert.equal(await fs.readFile(path.join(dir, 'recovery-point-offset-checkpoint'), 'utf8'), '0\n0\n');
  clock.advance(60_000);
  await manager.tick();
  assert.equal(await fs.readFile(path.join(dir, 'recovery-point-offset-checkpoint'), 'utf8'), '0\n1\nt 0 8\n');
  await manager.close();
});

test('deleteLogs renames the partition dirs to -delete and removes them', async () => {
  const dir = await tempDir();
  const manager = await openManager([dir]);
  await appendBatches(await manager.getOrCreateLog('gone', 0), 1, 1);
  await manager.getOrCreateLog('gone', 1);
  await manager.getOrCreateLog('kept', 0);
  await manager.deleteLogs('gone');
  assert.equal(manager.getLog('gone', 0), undefined);
  await manager.close();
  assert.deepEqual((await fs.readdir(dir)).filter((n) => !n.includes('checkpoint') && n !== CLEAN_SHUTDOWN_FILE), ['kept-0']);
});

test('new logs go to the least loaded log dir; leftover -delete dirs are removed at start', async () => {
  const dirA = await tempDir();
  const dirB = await tempDir();
  await fs.mkdir(path.join(dirB, 'old-0.0123abcd-delete'));
  const manager = await openManager([dirA, dirB]);
  for (let p = 0; p < 4; p++) await manager.getOrCreateLog('t', p);
  await manager.close();
  assert.equal((await fs.readdir(dirA)).filter((n) => n.startsWith('t-')).length, 2);
  assert.deepEqual((await fs.readdir(dirB)).filter((n) => n.includes('-')).sort(), ['log-start-offset-checkpoint', 'recovery-point-offset-checkpoint', 't-1', 't-3']);
});

test('tick() applies retention every log.retention.check.interval.ms', async () => {
  const dir = await tempDir();
  const clock = new ManualClock();
  const one = (await batch(4)).length;
  const config = testConfig({ segmentBytes: one, retentionBytes: one, retentionMs: -1 });
  const manager = await LogManager.open({ logDirs: [dir], clock, configFor: () => config, tickIntervalMs: 0, retentionCheckIntervalMs: 300_000 });
  const log = await manager.getOrCreateLog('t', 0);
  await appendBatches(log, 4, 4);
  clock.advance(299_999);
  await manager.tick();
  assert.equal(log.logStartOffset, 0);
  clock.advance(1);
  await manager.tick();
  assert.equal(log.logStartOffset, 12);
  await manager.close();
});
