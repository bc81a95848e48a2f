/**
 * Compaction with real clients: 100,000 updates over 1,000 keys (kcat, lz4) and then
 * tombstones for 50 of them go into a compacted topic; two cleaner passes run (driven
 * through LogManager.cleaner, log.cleaner.enable=false so nothing else cleans) while a
 * confluent-kafka-python producer and consumer keep working on the same topic. Read back
 * with kcat record by record: each surviving key once, with its latest value, at the offset
 * it was written at; the tombstoned keys are gone (delete.retention.ms=0: the first pass
 * keeps them and stamps the horizon, the second removes them). Keyless records are refused
 * (INVALID_RECORD) on the compacted topic.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat, run, runPython, streamPython } from './helpers/processes.ts';

const TEST_TIMEOUT_MS = 60_000;
const UPDATES = 100_000;
const KEYS = 1_000;
const TOMBSTONED = 50;
const TOPIC = 'compacted-updates';

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker({ 'log.cleaner.enable': 'false' });
  await runPython('compaction_load.py', [broker.bootstrap, TOPIC, 'create']);
});

after(() => broker?.stop());

/** Update i of key i % KEYS: "<i>:" plus a payload that varies per record. */
function valueOf(i: number): string {
  return `${i}:${'payload-'.repeat(1 + (i % 7))}${(i * 2654435761) >>> 0}`;
}

function updateLines(): string {
  const lines: string[] = [];
  for (let i = 0; i < UPDATES; i++) lines.push(`key-${i % KEYS}\t${valueOf(i)}`);
  for (let k = 0; k < TOMBSTONED; k++) lines.push(`key-${k}\t`); // -Z: empty value = tombstone
  return lines.join('\n') + '\n';
}

/** Offset -> [key, value] as kcat prints them (-Z: NULL for a null value). */
async function consumeAll(): Promise<{ offset: number; key: string; value: string }[]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-Z', '-f', '%o\t%k\t%s\n'], { timeoutMs: 50_000 });
  return out.toString('utf8').trim().split('\n').map((line) => {
    const [offset, key, value] = line.split('\t');
    return { offset: Number(offset), key, value };
  });
}

test('100,000 updates over 1,000 keys compact to the latest value per key while clients keep running', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  await kcat(['-P', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-K', '\t', '-Z', '-z', 'lz4', '-X', 'linger.ms=20'], { input: updateLines(), timeoutMs: 50_000 });
  const log = broker.services.logs.getLog(TOPIC, 0)!;
  assert.equal(log.logEndOffset, UPDATES + TOMBSTONED);
  await log.roll(); // the updates become cleanable; the live clients write to the new active segment
  const segmentsBefore = log.segmentCount;
  const bytesBefore = log.size;

  const stopFile = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-compaction-')), 'stop');
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  const load = streamPython('compaction_load.py', [broker.bootstrap, TOPIC, 'load', stopFile], (line) => line === 'ready' && ready());
  await Promise.race([isReady, load.exited.then((r) => assert.fail(`load exited early: ${r.stderr}`))]);

  const [first] = await broker.services.logs.cleaner.cleanNow();
  assert.equal(first?.topic, TOPIC);
  const { stats } = first;
  t.diagnostic(`pass 1: ${stats.bytesRead} B / ${stats.recordsRead} records read in ${stats.elapsedMs.toFixed(0)} ms ` +
    `(${(stats.bytesRead / 1048576 / (stats.elapsedMs / 1000)).toFixed(1)} MiB/s, ${Math.round(stats.recordsRead / (stats.elapsedMs / 1000))} records/s), ` +
    `${stats.recordsKept} kept, ${segmentsBefore} segments / ${bytesBefore} B before, ${log.segmentCount} / ${log.size} B after`);
  const [second] = await broker.services.logs.cleaner.cleanNow();
  assert.equal(second?.topic, TOPIC, 'the passed tombstone horizon makes the log cleanable again');

  await fs.writeFile(stopFile, '');
  const loadResult = await load.exited;
  assert.equal(loadResult.code, 0, loadResult.stderr);
  const summary = JSON.parse(loadResult.stdout.toString('utf8').trim().split('\n').at(-1)!) as { produced: number; consumed: number };
  assert.ok(summary.produced > 0 && summary.consumed > 0, JSON.stringify(summary));

  const records = await consumeAll();
  for (let i = 1; i < records.length; i++) assert.ok(records[i].offset > records[i - 1].offset, `offsets ascend at ${records[i].offset}`);
  const updates = records.filter((r) => r.key.startsWith('key-'));
  const expected = [];
  for (let k = TOMBSTONED; k < KEYS; k++) {
    const i = UPDATES - KEYS + k; // the last update of key-k
    expected.push({ offset: i, key: `key-${k}`, value: valueOf(i) });
  }
  assert.deepEqual(updates, expected);
  const live = records.filter((r) => r.key.startsWith('live-'));
  assert.ok(live.length > 0 && live.every((r) => r.offset >= UPDATES + TOMBSTONED));
});

test('keyless records are refused on a compacted topic (INVALID_RECORD)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const r = await run('kcat', ['-P', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-X', 'message.send.max.retries=0'], { input: 'no key here\n', timeoutMs: 30_000 });
  // librdkafka's text for INVALID_RECORD (87).
  assert.match(r.stderr, /Broker failed to validate record/);
});
