/**
 * __consumer_offsets is compacted by the cleaner: 300 offset commits of one group
 * (confluent-kafka-python, OffsetCommit) leave one record for the group's partition key after a
 * pass, the committed offset is still the last one, and a broker restarted on the same log
 * dir loads it back from the compacted log.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { startBroker, type RunningBroker } from '../../src/broker.ts';
import { createLogger } from '../../src/logger.ts';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { readRecords } from '../../src/protocol/records/record.ts';
import { batchHeadersOf } from '../../src/storage/batch-header.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { runPython } from './helpers/processes.ts';

const TEST_TIMEOUT_MS = 60_000;
const COMMITS = 300;
const TOPIC = 'offsets-compaction';
const GROUP = 'compaction-group';

let logDir = '';
let broker: RunningBroker | null = null;

after(async () => {
  await broker?.stop();
  if (logDir !== '') await fs.rm(logDir, { recursive: true, force: true });
});

async function start(): Promise<RunningBroker> {
  return startBroker({
    config: { listeners: 'PLAINTEXT://127.0.0.1:0', 'log.dirs': logDir, 'log.cleaner.enable': 'false', 'offsets.topic.num.partitions': '1' },
    logger: createLogger({ level: 'warn', destination: process.stderr }),
  });
}

async function fetchCommitted(b: RunningBroker): Promise<number> {
  return (await runPython('compaction_offsets.py', [b.bootstrap, TOPIC, GROUP, 'fetch'])).offset as number;
}

/** How many records each key has in the log (keys as hex). */
async function recordsPerKey(log: PartitionLog): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let offset = log.logStartOffset;
  while (offset < log.logEndOffset) {
    const read = await log.read({ offset, maxBytes: 1 << 20, maxOffset: log.logEndOffset, minOneBatch: true });
    if (read.kind !== 'records' || read.records.length === 0) break;
    for (const h of batchHeadersOf(read.records)) {
      const view = new RecordBatchView(read.records.subarray(h.position, h.position + h.sizeInBytes));
      if (!view.isControl) for (const r of await readRecords(view)) counts.set(r.key?.toString('hex') ?? '', (counts.get(r.key?.toString('hex') ?? '') ?? 0) + 1);
      offset = view.lastOffset + 1;
    }
  }
  return counts;
}

test('offset commits in __consumer_offsets compact to the latest per key and survive a restart', { timeout: TEST_TIMEOUT_MS }, async () => {
  logDir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-offsets-compaction-'));
  broker = await start();
  await runPython('compaction_offsets.py', [broker.bootstrap, TOPIC, GROUP, 'commit', String(COMMITS)]);

  const offsetsLog = broker.services.logs.getLog('__consumer_offsets', 0)!;
  assert.equal(offsetsLog.config.cleanupPolicy.join(','), 'compact');
  const before = await recordsPerKey(offsetsLog);
  assert.ok(Math.max(...before.values()) >= COMMITS, `commits in the log: ${JSON.stringify([...before.values()])}`);
  await offsetsLog.roll(); // the commits sit in the active segment, which is never cleaned
  const cleaned = await broker.services.logs.cleaner.cleanNow();
  assert.ok(cleaned.some((c) => c.topic === '__consumer_offsets'));
  const after = await recordsPerKey(offsetsLog);
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort(), 'every key keeps a record');
  assert.ok([...after.values()].every((n) => n === 1), `records per key after: ${JSON.stringify([...after.values()])}`);
  assert.equal(await fetchCommitted(broker), COMMITS);

  await broker.stop();
  broker = await start();
  assert.equal(await fetchCommitted(broker), COMMITS, 'loaded back from the compacted log');
});
