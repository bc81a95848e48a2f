/**
 * Crash safety of the compaction swap: the states a crash can leave at each step of
 * .cleaned -> .swap -> replace -> rename (segment-swap.ts) are rebuilt from a log's files
 * before and after a real pass, and reopened without a clean shutdown. Before the commit
 * point (no .cleaned file left) the log must come back as it was; after it, as cleaned — either way
 * every latest value is there, offsets are unique and ascending, and no .cleaned/.swap
 * file is left.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { before, test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { compactConfig, latestPerKey, openManager, readAll, writeKeyed, type KeyedWrite, type ReadRecord } from './cleaner-helpers.ts';
import { tempDir } from './helpers.ts';

const config = compactConfig({ segmentBytes: 1024 * 1024 });
const writes: KeyedWrite[] = Array.from({ length: 80 }, (_, i) => ({ key: `k${i % 12}`, value: i % 17 === 5 ? null : `v${i}` }));
const asWritten: ReadRecord[] = writes.map((w, offset) => ({ offset, ...w }));
const cleaned = latestPerKey(writes, true);
const ZERO = '00000000000000000000';

let beforeDir = '';
let afterDir = '';

/** Files of the partition dir before and after one pass (four inactive segments -> one). */
before(async () => {
  const root = await tempDir();
  const clock = new ManualClock();
  const manager = await openManager(root, clock, config);
  const log = await manager.getOrCreateLog('t', 0);
  for (let i = 0; i < 4; i++) {
    await writeKeyed(log, writes.slice(i * 20, i * 20 + 20), { perBatch: 3 });
    await log.roll();
  }
  await manager.close();
  beforeDir = path.join(root, 'before');
  await fs.cp(log.dir, beforeDir, { recursive: true });
  const reopened = await openManager(root, clock, config);
  const hosted = reopened.getLog('t', 0)!;
  hosted.highWatermark = hosted.logEndOffset; // as the replica manager sets it for a leader
  assert.equal((await reopened.cleaner.cleanNow()).length, 1);
  await reopened.close();
  afterDir = path.join(root, 'after');
  await fs.cp(log.dir, afterDir, { recursive: true });
});

type Step = (dir: string) => Promise<void>;

async function reopenAfterCrash(prepare: Step): Promise<{ records: ReadRecord[]; leftovers: string[] }> {
  const root = await tempDir();
  const dir = path.join(root, 'data', 't-0');
  await fs.cp(beforeDir, dir, { recursive: true });
  await prepare(dir);
  const manager = await openManager(root, new ManualClock(), config);
  const records = await readAll((await manager.getOrCreateLog('t', 0)));
  await manager.close();
  const leftovers = (await fs.readdir(dir)).filter((n) => n.endsWith('.cleaned') || n.endsWith('.swap') || n.endsWith('.deleted'));
  return { records, leftovers };
}

const copyCleaned = (suffixes: Record<string, string>): Step => async (dir) => {
  for (const [file, suffix] of Object.entries(suffixes)) await fs.copyFile(path.join(afterDir, `${ZERO}${file}`), path.join(dir, `${ZERO}${file}${suffix}`));
};
const removeReplaced = (bases: readonly string[]): Step => async (dir) => {
  for (const name of await fs.readdir(dir)) if (bases.some((b) => name.startsWith(b)) && /\.(log|index|timeindex)$/.test(name)) await fs.rm(path.join(dir, name));
};
const renameReplaced = (bases: readonly string[]): Step => async (dir) => {
  for (const name of await fs.readdir(dir)) if (bases.some((b) => name.startsWith(b)) && /\.(log|index|timeindex)$/.test(name)) await fs.rename(path.join(dir, name), path.join(dir, `${name}.deleted`));
};
const steps = (...all: Step[]): Step => async (dir) => {
  for (const step of all) await step(dir);
};

async function replacedBases(): Promise<string[]> {
  const logs = (await fs.readdir(beforeDir)).filter((n) => n.endsWith('.log')).sort();
  return logs.slice(0, -1).map((n) => n.slice(0, 20)); // all but the (empty) active one
}

const cases: [string, () => Promise<Step>, ReadRecord[]][] = [
  ['cleaned files written, nothing renamed', async () => copyCleaned({ '.log': '.cleaned', '.index': '.cleaned', '.timeindex': '.cleaned' }), asWritten],
  ['cleaned log half written', async () => async (dir) => {
    const bytes = await fs.readFile(path.join(afterDir, `${ZERO}.log`));
    await fs.writeFile(path.join(dir, `${ZERO}.log.cleaned`), bytes.subarray(0, Math.floor(bytes.length / 2)));
  }, asWritten],
  ['log renamed to .swap, indexes still .cleaned', async () => copyCleaned({ '.log': '.swap', '.index': '.cleaned', '.timeindex': '.cleaned' }), asWritten],
  ['all renamed to .swap, nothing replaced yet', async () => copyCleaned({ '.log': '.swap', '.index': '.swap', '.timeindex': '.swap' }), cleaned],
  ['.swap files, newest replaced segments deleted', async () => {
    const bases = await replacedBases();
    return steps(copyCleaned({ '.log': '.swap', '.index': '.swap', '.timeindex': '.swap' }), removeReplaced(bases.slice(2)));
  }, cleaned],
  ['.swap files, every replaced segment deleted', async () => steps(copyCleaned({ '.log': '.swap', '.index': '.swap', '.timeindex': '.swap' }), removeReplaced(await replacedBases())), cleaned],
  ['.swap files, replaced segments renamed to .deleted', async () => steps(copyCleaned({ '.log': '.swap', '.index': '.swap', '.timeindex': '.swap' }), renameReplaced(await replacedBases())), cleaned],
  ['log renamed live, indexes still .swap', async () => steps(removeReplaced(await replacedBases()), copyCleaned({ '.log': '', '.index': '.swap', '.timeindex': '.swap' })), cleaned],
];

for (const [name, prepare, expected] of cases) {
  test(`crash: ${name}`, async () => {
    const { records, leftovers } = await reopenAfterCrash(await prepare());
    assert.deepEqual(records, expected);
    assert.deepEqual(leftovers, []);
  });
}

test('the cleaned result differs from the original (the cases above tell the two apart)', () => {
  assert.notDeepEqual(cleaned, asWritten);
});
