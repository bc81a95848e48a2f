/**
 * Group commit (flush.messages): an append the policy says to flush completes only after an
 * fsync that started after its write; appends written while an fsync runs share the next
 * one; every append completes after the latest flush an earlier one asked for. Also: the
 * flush after a roll covers the rolled segment's index files. The fsyncs are held by a gate
 * on FileHandle#datasync, so the tests see each step without timing.
 */
import assert from 'node:assert/strict';
import fs, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { appendWriter } from '../../src/storage/append-writer.ts';
import type { AppendInfo, PartitionLog } from '../../src/storage/partition-log.ts';
import { batch, openLog, tempDir, testConfig } from './helpers.ts';

/** Holds every datasync until released; counts them (all the log's: nothing rolls here). */
class SyncGate {
  calls = 0;
  #waiting: (() => void)[] = [];
  #original: FileHandle['datasync'] | null = null;
  #proto: { datasync: FileHandle['datasync'] } | null = null;

  async install(dir: string): Promise<void> {
    const fh = await fs.open(path.join(dir, 'probe'), 'w');
    // Starts the append-writer thread, so the steps below count event-loop turns, not its start-up.
    await appendWriter.write(fh, Buffer.from('probe'), 0);
    this.#proto = Object.getPrototypeOf(fh) as { datasync: FileHandle['datasync'] };
    await fh.close();
    const original = this.#proto.datasync;
    this.#original = original;
    const gate = this;
    this.#proto.datasync = function (this: FileHandle): Promise<void> {
      gate.calls++;
      return new Promise<void>((resolve) => gate.#waiting.push(resolve)).then(() => original.call(this));
    };
  }

  uninstall(): void {
    if (this.#proto !== null && this.#original !== null) this.#proto.datasync = this.#original;
  }

  /** Lets every datasync called so far run. */
  release(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  untilCalls(n: number): Promise<void> {
    return until(() => this.calls >= n, `${n} datasync calls`);
  }
}

const gate = new SyncGate();
before(async () => gate.install(await tempDir()));
after(() => gate.uninstall());

/** An append whose completion the test can watch. */
function track(log: PartitionLog, records: Buffer): { done: boolean; info: Promise<AppendInfo> } {
  const tracked = { done: false, info: log.append(records, { leaderEpoch: 0, assignOffsets: true }) };
  tracked.info = tracked.info.then((info) => {
    tracked.done = true;
    return info;
  });
  return tracked;
}

/** Closes the log, letting its final fsync through. */
async function closeReleasing(log: PartitionLog): Promise<void> {
  let closed = false;
  const closing = log.close().then(() => (closed = true));
  while (!closed) {
    gate.release();
    await nextTurn();
  }
  await closing;
}

function untilWritten(log: PartitionLog, logEndOffset: number): Promise<void> {
  return until(() => log.logEndOffset >= logEndOffset, `log end ${logEndOffset}`);
}

/** Event-loop turns a step may take before the test fails instead of hanging. */
const TURNS_MAX = 10_000;

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let turn = 0; !condition(); turn++) {
    if (turn === TURNS_MAX) assert.fail(`still waiting for ${what}`);
    await nextTurn();
  }
}

const config = testConfig({ flushMessages: 1 });

test('flush.messages=1: appends written during an fsync wait for the next one, which covers them all', async () => {
  const log = await openLog({ dir: await tempDir(), config });
  gate.calls = 0;
  const first = track(log, await batch(4));
  await gate.untilCalls(1);
  const rest = [track(log, await batch(4)), track(log, await batch(4)), track(log, await batch(4))];
  await untilWritten(log, 16);
  await nextTurn();
  assert.equal(gate.calls, 1, 'one fsync in flight, the next one waits for it');
  assert.ok(!first.done && rest.every((a) => !a.done), 'nothing completes before its fsync');
  assert.equal(log.completedEndOffset, 0);
  assert.equal(log.recoveryPoint, 0);

  gate.release();
  assert.equal((await first.info).lastOffset, 3);
  assert.equal(log.recoveryPoint, 4, 'the first fsync started before the later writes');
  assert.equal(log.completedEndOffset, 4);
  await gate.untilCalls(2);
  assert.ok(rest.every((a) => !a.done));

  gate.release();
  assert.deepEqual((await Promise.all(rest.map((a) => a.info))).map((i) => i.lastOffset), [7, 11, 15]);
  assert.equal(gate.calls, 2, 'one fsync for the three appends written meanwhile');
  assert.equal(log.recoveryPoint, 16);
  assert.equal(log.completedEndOffset, 16);
  await closeReleasing(log);
});

test('flush.messages=8: an append under the threshold still completes after the flush an earlier one asked for', async () => {
  const log = await openLog({ dir: await tempDir(), config: { ...config, flushMessages: 8 } });
  gate.calls = 0;
  const a = track(log, await batch(4));
  assert.equal((await a.info).lastOffset, 3, 'under the threshold: no fsync');
  assert.equal(gate.calls, 0);
  assert.equal(log.completedEndOffset, 4);
  const b = track(log, await batch(4));
  await gate.untilCalls(1);
  const c = track(log, await batch(4));
  await untilWritten(log, 12);
  await nextTurn();
  assert.ok(!b.done && !c.done, 'c is not flushed by policy but waits for b\'s fsync');
  assert.equal(log.completedEndOffset, 4);
  gate.release();
  await Promise.all([b.info, c.info]);
  assert.equal(gate.calls, 1, 'c did not ask for a flush of its own');
  assert.equal(log.recoveryPoint, 8);
  assert.equal(log.completedEndOffset, 12);
  await closeReleasing(log);
});

test('explicit flushes requested while one runs share the next fsync', async () => {
  const log = await openLog({ dir: await tempDir(), config: testConfig() });
  gate.calls = 0;
  await log.append(await batch(4), { leaderEpoch: 0, assignOffsets: true });
  const running = log.flush();
  await gate.untilCalls(1);
  await log.append(await batch(4), { leaderEpoch: 0, assignOffsets: true });
  const joined = [log.flush(), log.flush(), log.flush()];
  gate.release();
  await running;
  assert.equal(log.recoveryPoint, 4);
  await gate.untilCalls(2);
  gate.release();
  await Promise.all(joined);
  assert.equal(gate.calls, 2);
  assert.equal(log.recoveryPoint, 8);
  await closeReleasing(log);
});

test('the flush after a roll fsyncs the rolled segment\'s log and its index files', async () => {
  const log = await openLog({ dir: await tempDir(), config: testConfig({ segmentBytes: 1024 }) });
  gate.calls = 0;
  while (log.segmentCount < 2) await log.append(await batch(4), { leaderEpoch: 0, assignOffsets: true });
  await gate.untilCalls(3);
  for (let i = 0; i < 10; i++) await nextTurn();
  assert.equal(gate.calls, 3, 'log, offset index and time index of the rolled segment');
  gate.release();
  await closeReleasing(log);
});
