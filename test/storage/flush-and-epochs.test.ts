import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { appendBatches, openLog, tempDir, testConfig } from './helpers.ts';

test('flush.messages fsyncs once enough messages are unflushed', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir, config: testConfig({ flushMessages: 10 }) });
  await appendBatches(log, 2, 4);
  assert.equal(log.recoveryPoint, 0);
  await appendBatches(log, 1, 4);
  assert.equal(log.recoveryPoint, 12);
  await appendBatches(log, 1, 4);
  assert.equal(log.recoveryPoint, 12);
  await log.close();
});

test('without flush.messages nothing is flushed until flush()', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 5, 4);
  assert.equal(log.recoveryPoint, 0);
  await log.flush();
  assert.equal(log.recoveryPoint, 20);
  await log.close();
});

test('the leader-epoch cache records new epochs, persists them and answers endOffsetForEpoch', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 2, 5, { epoch: 1 });
  await appendBatches(log, 1, 5, { epoch: 3 });
  await appendBatches(log, 1, 5, { epoch: 3 });
  // Appends leave the checkpoint to the next flush.
  await log.flush();
  const file = await fs.readFile(path.join(dir, 'topic-0', 'leader-epoch-checkpoint'), 'utf8');
  assert.equal(file, '0\n2\n1 0\n3 10\n');
  assert.deepEqual(log.endOffsetForEpoch(1), { epoch: 1, endOffset: 10 });
  assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 1, endOffset: 10 });
  assert.deepEqual(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 20 });
  assert.deepEqual(log.endOffsetForEpoch(0), { epoch: 0, endOffset: 0 });
  assert.deepEqual(log.endOffsetForEpoch(4), { epoch: -1, endOffset: -1 });
  await log.close();
  const reopened = await openLog({ dir, recoveryPoint: 20 });
  assert.deepEqual(reopened.endOffsetForEpoch(1), { epoch: 1, endOffset: 10 });
  await reopened.truncateTo(10);
  assert.deepEqual(reopened.endOffsetForEpoch(1), { epoch: 1, endOffset: 10 });
  assert.equal(await fs.readFile(path.join(dir, 'topic-0', 'leader-epoch-checkpoint'), 'utf8'), '0\n1\n1 0\n');
  await reopened.close();
});

test('recovery rebuilds the leader-epoch cache from the recovered batches', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 1, 5, { epoch: 2 });
  await appendBatches(log, 1, 5, { epoch: 4 });
  await log.close();
  await fs.rm(path.join(dir, 'topic-0', 'leader-epoch-checkpoint'));
  const recovered = await openLog({ dir, needsRecovery: true });
  assert.deepEqual(recovered.leaderEpochCache.entries(), [
    { epoch: 2, startOffset: 0 },
    { epoch: 4, startOffset: 5 },
  ]);
  await recovered.close();
});

test('recovery with an intact checkpoint leaves the epoch entries unchanged', async () => {
  const dir = await tempDir();
  const log = await openLog({ dir });
  await appendBatches(log, 1, 5, { epoch: 2 });
  await appendBatches(log, 1, 5, { epoch: 4 });
  await log.close();
  const recovered = await openLog({ dir, needsRecovery: true, recoveryPoint: 0 });
  assert.deepEqual(recovered.leaderEpochCache.entries(), [
    { epoch: 2, startOffset: 0 },
    { epoch: 4, startOffset: 5 },
  ]);
  await recovered.close();
});

test('a new epoch reaches the checkpoint with the next flush; a crash before it recovers the epoch from the batches', async () => {
  const dir = await tempDir();
  const checkpoint = (d: string): Promise<string> => fs.readFile(path.join(d, 'topic-0', 'leader-epoch-checkpoint'), 'utf8');
  const log = await openLog({ dir });
  await appendBatches(log, 1, 5, { epoch: 2 });
  await log.flush();
  await appendBatches(log, 1, 5, { epoch: 4 });
  assert.equal(await checkpoint(dir), '0\n1\n2 0\n', 'the append left the checkpoint to the flush');
  assert.equal(log.recoveryPoint, 5);
  // A crash now: the files as they are, opened as after an unclean shutdown.
  const crashed = await tempDir();
  await fs.cp(path.join(dir, 'topic-0'), path.join(crashed, 'topic-0'), { recursive: true });
  const recovered = await openLog({ dir: crashed, needsRecovery: true, recoveryPoint: 5 });
  assert.deepEqual(recovered.leaderEpochCache.entries(), [{ epoch: 2, startOffset: 0 }, { epoch: 4, startOffset: 5 }]);
  await recovered.close();
  await log.flush();
  assert.equal(log.recoveryPoint, 10);
  assert.equal(await checkpoint(dir), '0\n2\n2 0\n4 5\n');
  await log.close();
});

test('becoming leader records the epoch at the log end before any append in it; the next flush writes it', async () => {
  const dir = await tempDir();
  const checkpoint = (): Promise<string> => fs.readFile(path.join(dir, 'topic-0', 'leader-epoch-checkpoint'), 'utf8');
  const log = await openLog({ dir });
  await appendBatches(log, 1, 5, { epoch: 2 });
  await log.flush();
  await log.assignLeaderEpoch(3);
  assert.deepEqual(log.endOffsetForEpoch(2), { epoch: 2, endOffset: 5 }, 'epoch 2 ends where epoch 3 starts');
  assert.deepEqual(log.endOffsetForEpoch(3), { epoch: 3, endOffset: 5 });
  assert.equal(await checkpoint(), '0\n1\n2 0\n', 'no fsyncs at the election');
  await log.assignLeaderEpoch(3);
  await appendBatches(log, 1, 5, { epoch: 3 });
  assert.deepEqual(log.leaderEpochCache.entries(), [{ epoch: 2, startOffset: 0 }, { epoch: 3, startOffset: 5 }], 'the same epoch again, or its first append, changes nothing');
  await log.flush();
  assert.equal(await checkpoint(), '0\n2\n2 0\n3 5\n');
  await log.close();
});

test('a failed checkpoint write fails the flush, and the next flush writes it before the recovery point moves', async () => {
  const dir = await tempDir();
  const checkpointPath = path.join(dir, 'topic-0', 'leader-epoch-checkpoint');
  const log = await openLog({ dir });
  await appendBatches(log, 1, 5, { epoch: 2 });
  await log.flush();
  await appendBatches(log, 1, 5, { epoch: 3 });
  // A directory where the checkpoint's temporary file goes makes its write fail.
  await fs.mkdir(`${checkpointPath}.tmp`);
  await assert.rejects(log.flush());
  assert.equal(log.recoveryPoint, 5, 'not past epoch 3 while its checkpoint is unwritten');
  await fs.rmdir(`${checkpointPath}.tmp`);
  await log.flush();
  assert.equal(await fs.readFile(checkpointPath, 'utf8'), '0\n2\n2 0\n3 5\n');
  assert.equal(log.recoveryPoint, 10);
  await log.close();
});
