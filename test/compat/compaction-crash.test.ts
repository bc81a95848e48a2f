/**
 * kill -9 during cleaning: a subprocess broker (log.cleaner.backoff.ms=0, so its cleaner
 * runs at every scheduler tick) holds a compacted topic with 100,000 updates over 1,000
 * keys plus 50 tombstones (kcat, acks=all). It is killed the moment a `.cleaned` file shows
 * up in the partition dir (mid-pass), restarted on the same dir, and read back with kcat:
 * offsets ascend, every record is the one written at its offset, and every key's latest
 * write is there (a tombstone may already be gone: delete.retention.ms=0). Then the
 * restarted broker's cleaner must finish the job: below the active segment, one record
 * per key.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { kcat, runPython } from './helpers/processes.ts';
import { SubprocessBroker } from './helpers/subprocess-broker.ts';

const TEST_TIMEOUT_MS = 60_000;
const UPDATES = 100_000;
const KEYS = 1_000;
const TOMBSTONED = 50;
const TOPIC = 'compacted-crash';
/** Poll period while waiting for a file or for the cleaner; a subprocess cannot take a test clock. */
const POLL_MS = 5;
const CLEANED_WAIT_MS = 40_000;

let broker: SubprocessBroker;

before(async () => {
  broker = await SubprocessBroker.start({ 'log.cleaner.backoff.ms': '0' });
  await runPython('compaction_load.py', [broker.bootstrap, TOPIC, 'create']);
});

after(() => broker?.destroy());

/** What was written at each offset: [key, value or null]. */
function written(): [string, string | null][] {
  const out: [string, string | null][] = [];
  for (let i = 0; i < UPDATES; i++) out.push([`key-${i % KEYS}`, `${i}:${'x'.repeat(i % 50)}`]);
  for (let k = 0; k < TOMBSTONED; k++) out.push([`key-${k}`, null]);
  return out;
}

async function consumeAll(): Promise<{ offset: number; key: string; value: string | null }[]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-o', 'beginning', '-e', '-q', '-Z', '-f', '%o\t%k\t%s\n'], { timeoutMs: 30_000 });
  return out.toString('utf8').trim().split('\n').map((line) => {
    const [offset, key, value] = line.split('\t');
    return { offset: Number(offset), key, value: value === 'NULL' ? null : value };
  });
}

async function waitForCleanedFile(dir: string): Promise<string> {
  const deadline = Date.now() + CLEANED_WAIT_MS;
  for (;;) {
    const cleaned = (await fs.readdir(dir).catch(() => [])).find((n) => n.endsWith('.cleaned'));
    if (cleaned !== undefined) return cleaned;
    assert.ok(Date.now() < deadline, `no .cleaned file within ${CLEANED_WAIT_MS} ms\n${broker.output}`);
    await sleep(POLL_MS);
  }
}

function checkAgainstWrites(records: { offset: number; key: string; value: string | null }[], writes: [string, string | null][]): void {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (i > 0) assert.ok(r.offset > records[i - 1].offset, `offsets ascend at ${r.offset}`);
    assert.deepEqual([r.key, r.value], writes[r.offset], `record at offset ${r.offset}`);
  }
  const present = new Set(records.map((r) => r.offset));
  const latest = new Map(writes.map(([key], offset) => [key, offset]));
  for (const [key, offset] of latest) {
    assert.ok(present.has(offset) || writes[offset][1] === null, `latest write of ${key} (offset ${offset}) survives`);
  }
}

test('kill -9 in the middle of a cleaning pass loses nothing; the restarted cleaner completes', { timeout: TEST_TIMEOUT_MS }, async () => {
  const writes = written();
  const lines = writes.map(([key, value]) => `${key}\t${value ?? ''}`).join('\n') + '\n';
  const partitionDir = path.join(broker.logDir, `${TOPIC}-0`);
  const cleanedSeen = waitForCleanedFile(partitionDir);
  await kcat(['-P', '-b', broker.bootstrap, '-t', TOPIC, '-p', '0', '-K', '\t', '-Z', '-X', 'acks=all', '-X', 'linger.ms=20'], { input: lines, timeoutMs: 50_000 });
  await cleanedSeen;
  await broker.kill9();
  await broker.restart();
  checkAgainstWrites(await consumeAll(), writes);

  const deadline = Date.now() + CLEANED_WAIT_MS;
  // The active segment (the tail of the writes) is never cleaned, nor used to clean: below
  // its base, only each key's latest write below it may be left.
  const activeBase = Math.max(...(await fs.readdir(partitionDir)).filter((n) => n.endsWith('.log')).map((n) => Number(n.slice(0, 20))));
  const latestBelow = new Map(writes.slice(0, activeBase).map(([key], offset) => [key, offset]));
  const superseded = (rs: { offset: number; key: string }[]) => rs.filter((r) => r.offset < activeBase && latestBelow.get(r.key) !== r.offset);
  let records = await consumeAll();
  while (superseded(records).length > 0) {
    assert.ok(Date.now() < deadline, `not cleaned after restart: ${records.length} records\n${broker.output}`);
    await sleep(200);
    records = await consumeAll();
  }
  checkAgainstWrites(records, writes);
});
