/**
 * Transactions and the cleaner (appended directly: the transaction APIs are not built yet):
 * aborted data is neither mapped nor kept, committed data is cleaned like any other, a
 * marker stays while its transaction has data left and then goes after delete.retention.ms.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../src/clock.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import type { PartitionLog } from '../../src/storage/partition-log.ts';
import { compactConfig, DAY_MS, openManager, readBatches, writeKeyed } from './cleaner-helpers.ts';
import { tempDir } from './helpers.ts';

async function appendTxnData(log: PartitionLog, producerId: number, key: string, value: string): Promise<void> {
  const batch = await buildRecordBatch({ records: [{ key, value }], producerId, producerEpoch: 0, baseSequence: 0, isTransactional: true, now: 1_000 });
  log.highWatermark = (await log.append(batch, { leaderEpoch: 0, assignOffsets: true })).lastOffset + 1;
}

async function appendMarker(log: PartitionLog, producerId: number, commit: boolean): Promise<void> {
  const key = Buffer.from([0, 0, 0, commit ? 1 : 0]);
  const value = Buffer.from([0, 0, 0, 0, 0, 0]);
  const batch = await buildRecordBatch({ records: [{ key, value }], producerId, producerEpoch: 0, isTransactional: true, isControl: true, now: 1_000 });
  log.highWatermark = (await log.append(batch, { leaderEpoch: 0, assignOffsets: true, origin: 'coordinator' })).lastOffset + 1;
}

test('aborted data never wins over committed data; markers go once their transaction is gone', async () => {
  const clock = new ManualClock();
  const manager = await openManager(await tempDir(), clock, compactConfig({ deleteRetentionMs: DAY_MS }));
  const log = await manager.getOrCreateLog('t', 0);
  await appendTxnData(log, 5, 'a', 'committed'); // 0
  await appendMarker(log, 5, true); // 1
  await appendTxnData(log, 6, 'a', 'aborted'); // 2
  await appendMarker(log, 6, false); // 3
  await writeKeyed(log, [{ key: 'b', value: 'plain' }]); // 4
  await log.roll();
  await manager.cleaner.cleanNow();

  const summary = async () => (await readBatches(log)).map((b) => ({
    offset: b.view.baseOffset, control: b.view.isControl, horizon: (b.view.attributes & 0x40) !== 0, values: b.view.isControl ? [] : b.records.map((r) => `${r.key}=${r.value}`),
  }));
  assert.deepEqual(await summary(), [
    { offset: 0, control: false, horizon: false, values: ['a=committed'] },
    { offset: 1, control: true, horizon: false, values: [] },
    { offset: 2, control: false, horizon: false, values: [] }, // producer 6's last data batch: kept empty
    { offset: 3, control: true, horizon: true, values: [] },
    { offset: 4, control: false, horizon: false, values: ['b=plain'] },
  ]);

  clock.advance(DAY_MS);
  assert.equal((await manager.cleaner.cleanNow()).length, 1, "the abort marker's horizon makes the log cleanable");
  assert.deepEqual((await summary()).map((b) => b.offset), [0, 1, 2, 4]);
  await manager.close();
});
