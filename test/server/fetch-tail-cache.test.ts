/**
 * Fetch at the log end is served from the in-memory tail cache (src/storage/tail-cache.ts).
 * Real clients check that what it serves is what the files hold: a kcat consumer reads
 * live while kcat produces (tail reads, from memory), DeleteRecords moves a log start,
 * and after a restart (empty cache, every read from the files) the same records come
 * back, minus the deleted ones.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { kcat } from '../compat/helpers/processes.ts';
import { startTestBroker } from '../helpers/broker.ts';

const TOPIC = 'tail';
const PARTITIONS = 2;
const RECORDS = 3000;
const DELETE_BEFORE = 400;
/** Guards against a hung client; not a performance limit. */
const RUN_TIMEOUT_MS = 60_000;

/** "partition offset value" lines of a kcat consumer, in arrival order. */
function parse(out: Buffer): string[] {
  return out.toString('utf8').split('\n').filter((l) => l !== '');
}

/** A kcat consumer reading from the beginning until it has `count` records. */
function consumeLive(bootstrap: string, count: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('kcat', ['-C', '-b', bootstrap, '-t', TOPIC, '-o', 'beginning', '-c', String(count), '-q', '-f', '%p %o %s\n'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`kcat consumer exited ${code}`));
    });
  });
}

test('records read live at the log end equal those read back from the files after DeleteRecords and a restart', async () => {
  const broker = await startTestBroker({ 'num.partitions': String(PARTITIONS) });
  const bootstrap = broker.bootstrap;
  const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
  let restarted: Awaited<ReturnType<typeof startTestBroker>> | null = null;
  try {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    const live = consumeLive(bootstrap, RECORDS);
    const values = Array.from({ length: RECORDS }, (_, i) => `value-${i}-${'x'.repeat(i % 97)}`);
    // Several producer runs, so the consumer sees the log end move many times.
    for (let run = 0; run < 6; run++) {
      const lines = values.filter((_, i) => i % 6 === run).join('\n') + '\n';
      await kcat(['-P', '-b', bootstrap, '-t', TOPIC, '-X', 'linger.ms=1'], { input: lines, timeoutMs: RUN_TIMEOUT_MS });
    }
    const liveLines = parse(await live);
    assert.equal(liveLines.length, RECORDS);
    assert.deepEqual(liveLines.map((l) => l.split(' ')[2]).sort(), [...values].sort());
    // kafkajs looks the leaders up in its cached metadata before refreshing it.
    await admin.fetchTopicOffsets(TOPIC);
    await admin.deleteTopicRecords({ topic: TOPIC, partitions: [{ partition: 0, offset: String(DELETE_BEFORE) }] });
    await admin.disconnect();
    await broker.stop();
    restarted = await startTestBroker({ 'num.partitions': String(PARTITIONS), 'log.dirs': broker.logDir });
    const fromFiles = parse(await kcat(['-C', '-b', restarted.bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n'], { timeoutMs: RUN_TIMEOUT_MS }));
    const kept = liveLines.filter((l) => !(l.startsWith('0 ') && Number(l.split(' ')[1]) < DELETE_BEFORE));
    assert.ok(kept.length < liveLines.length);
    const byPartition = (lines: string[], p: number): string[] => lines.filter((l) => l.startsWith(`${p} `));
    for (let p = 0; p < PARTITIONS; p++) assert.deepEqual(byPartition(fromFiles, p), byPartition(kept, p));
  } finally {
    await admin.disconnect().catch(() => {});
    await (restarted ?? broker).stopAndRemove();
  }
});
