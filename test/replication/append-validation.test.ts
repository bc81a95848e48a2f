/**
 * validateForAppend on CreateTime topics stores each batch's real largest record
 * timestamp in its header, as Kafka's LogValidator (setMaxTimestamp): librdkafka writes
 * maxTimestamp 0 for records produced without a timestamp (-1), and retention.ms read
 * that 0 as "1970" and deleted fresh records at the next retention pass.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { resolveLogConfig } from '../../src/config/topic-config.ts';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { CRC_OFFSET, MAX_TIMESTAMP_OFFSET } from '../../src/protocol/records/batch-layout.ts';
import { buildRecordBatch, type RecordInput } from '../../src/protocol/records/builder.ts';
import { writeInt64 } from '../../src/protocol/records/int64.ts';
import { validateForAppend } from '../../src/replication/append-validation.ts';

const NOW = 1_700_000_000_000;

/** A batch of `records` whose header claims `claimedMax` (CRC made valid again). */
async function batchClaiming(records: RecordInput[], claimedMax: number): Promise<Buffer> {
  const buf = await buildRecordBatch({ records });
  writeInt64(buf, MAX_TIMESTAMP_OFFSET, claimedMax);
  buf.writeUInt32BE(new RecordBatchView(buf).computeCrc(), CRC_OFFSET);
  return buf;
}

async function storedHeader(records: Buffer, overrides: Record<string, string> = {}): Promise<RecordBatchView> {
  const config = resolveLogConfig(BrokerConfig.from({}), overrides);
  const out = await validateForAppend(records, { config, now: NOW, partitionName: 't-0' });
  assert.ok(out.ok);
  const view = new RecordBatchView(out.records);
  assert.ok(view.isCrcValid());
  return view;
}

test('records without a timestamp: the header maxTimestamp becomes -1 whatever the producer wrote', async () => {
  const view = await storedHeader(await batchClaiming([{ value: 'a', timestamp: -1 }, { value: 'b', timestamp: -1 }], 0));
  assert.equal(view.maxTimestamp, -1);
  assert.equal(view.timestampType, 'CreateTime');
});

test('a header maxTimestamp below or above the records is replaced by their largest timestamp', async () => {
  const records = [{ value: 'a', timestamp: NOW - 5_000 }, { value: 'b', timestamp: NOW - 1_000 }];
  assert.equal((await storedHeader(await batchClaiming(records, NOW - 9_000))).maxTimestamp, NOW - 1_000);
  assert.equal((await storedHeader(await batchClaiming(records, NOW))).maxTimestamp, NOW - 1_000);
  // the decoding paths (compacted topics, a lower timestamp bound) do the same
  const keyed = records.map((r) => ({ ...r, key: 'k' }));
  assert.equal((await storedHeader(await batchClaiming(keyed, 0), { 'cleanup.policy': 'compact' })).maxTimestamp, NOW - 1_000);
  assert.equal((await storedHeader(await batchClaiming(records, 0), { 'message.timestamp.before.max.ms': '86400000' })).maxTimestamp, NOW - 1_000);
});

test('a header that understates a record beyond message.timestamp.after.max.ms does not hide it', async () => {
  const config = resolveLogConfig(BrokerConfig.from({}), {});
  const out = await validateForAppend(await batchClaiming([{ value: 'a', timestamp: NOW + 2 * 3_600_000 }], NOW), { config, now: NOW, partitionName: 't-0' });
  assert.ok(!out.ok);
  assert.equal(out.failure.recordErrors.length, 1);
});
