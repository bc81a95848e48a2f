import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { crc32c } from '../../../src/protocol/crc32c.ts';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { splitBatches } from '../../../src/protocol/records/validate.ts';
import { readRecords } from '../../../src/protocol/records/record.ts';

/** A batch header written field by field (no records, just 3 filler bytes), so the
 * getters are checked against known positions, not against our own builder. */
function handBuiltBatch(): Buffer {
  const b = Buffer.alloc(61 + 3);
  b.writeBigInt64BE(1234567890123n, 0);
  b.writeInt32BE(b.length - 12, 8);
  b.writeInt32BE(7, 12);
  b.writeInt8(2, 16);
  b.writeInt16BE(0x0003 | 0x0010 | 0x0020, 21); // lz4, transactional, control
  b.writeInt32BE(4, 23);
  b.writeBigInt64BE(1_700_000_000_000n, 27);
  b.writeBigInt64BE(1_700_000_000_999n, 35);
  b.writeBigInt64BE(987654321n, 43);
  b.writeInt16BE(5, 51);
  b.writeInt32BE(42, 53);
  b.writeInt32BE(5, 57);
  b.write('abc', 61);
  b.writeUInt32BE(crc32c(b.subarray(21)), 17);
  return b;
}

test('getters read every header field at its position', () => {
  const v = new RecordBatchView(handBuiltBatch());
  assert.equal(v.baseOffset, 1234567890123);
  assert.equal(v.batchLength, 64 - 12);
  assert.equal(v.sizeInBytes, 64);
  assert.equal(v.partitionLeaderEpoch, 7);
  assert.equal(v.magic, 2);
  assert.equal(v.attributes, 0x33);
  assert.equal(v.compression, 3);
  assert.equal(v.timestampType, 'CreateTime');
  assert.equal(v.isTransactional, true);
  assert.equal(v.isControl, true);
  assert.equal(v.lastOffsetDelta, 4);
  assert.equal(v.lastOffset, 1234567890127);
  assert.equal(v.baseTimestamp, 1_700_000_000_000);
  assert.equal(v.maxTimestamp, 1_700_000_000_999);
  assert.equal(v.producerId, 987654321);
  assert.equal(v.producerEpoch, 5);
  assert.equal(v.baseSequence, 42);
  assert.equal(v.recordCount, 5);
  assert.equal(v.recordsBytes.toString(), 'abc');
  assert.equal(v.crc, v.computeCrc());
  assert.equal(v.isCrcValid(), true);
});

test('negative int64 fields read as negative numbers', () => {
  const b = handBuiltBatch();
  b.writeBigInt64BE(-1n, 43);
  b.writeBigInt64BE(-1n, 35);
  const v = new RecordBatchView(b);
  assert.equal(v.producerId, -1);
  assert.equal(v.maxTimestamp, -1);
});

test('the view shares memory with the buffer it wraps', () => {
  const b = handBuiltBatch();
  const v = new RecordBatchView(b);
  assert.equal(v.buffer, b);
  b.writeInt32BE(99, 12);
  assert.equal(v.partitionLeaderEpoch, 99);
});

test('setBaseOffset and setPartitionLeaderEpoch leave the CRC valid', () => {
  const b = handBuiltBatch();
  const crcBefore = b.readUInt32BE(17);
  const v = new RecordBatchView(b);
  v.setBaseOffset(2 ** 40 + 5);
  v.setPartitionLeaderEpoch(12);
  assert.equal(v.baseOffset, 2 ** 40 + 5);
  assert.equal(v.partitionLeaderEpoch, 12);
  assert.equal(v.crc, crcBefore);
  assert.equal(v.isCrcValid(), true);
});

test('setLogAppendTime sets the type bit and maxTimestamp and rewrites the CRC', () => {
  const v = new RecordBatchView(handBuiltBatch());
  const crcBefore = v.crc;
  v.setLogAppendTime(1_800_000_000_000);
  assert.equal(v.timestampType, 'LogAppendTime');
  assert.equal(v.maxTimestamp, 1_800_000_000_000);
  assert.equal(v.compression, 3);
  assert.equal(v.isTransactional, true);
  assert.notEqual(v.crc, crcBefore);
  assert.equal(v.isCrcValid(), true);
});

test('a flipped byte in the covered region invalidates the CRC', () => {
  const b = handBuiltBatch();
  b[62] ^= 0xff;
  assert.equal(new RecordBatchView(b).isCrcValid(), false);
});

test('a view over fewer bytes than a header is refused', () => {
  assert.throws(() => new RecordBatchView(Buffer.alloc(60)), { name: 'InvalidRecordError', code: 2 });
});

interface KafkajsLong {
  fromValue(v: number | string): unknown;
}
type KafkajsRecordBatch = (opts: Record<string, unknown>) => Promise<{ buffer: Buffer }>;
type KafkajsRecord = (opts: Record<string, unknown>) => unknown;

test('a batch encoded by kafkajs parses, validates and decodes', async () => {
  const require = createRequire(import.meta.url);
  const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: KafkajsRecordBatch };
  const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as KafkajsRecord;
  const Long = require('kafkajs/src/utils/long.js') as KafkajsLong;
  const records = [
    Record({ offsetDelta: 0, timestampDelta: 0, key: Buffer.from('k0'), value: Buffer.from('v0'), headers: { h: 'x' } }),
    Record({ offsetDelta: 1, timestampDelta: 5, key: null, value: Buffer.from('v1') }),
  ];
  const encoded = await RecordBatch({
    firstOffset: Long.fromValue(0),
    firstTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_000_005,
    lastOffsetDelta: 1,
    producerId: Long.fromValue(17),
    producerEpoch: 3,
    firstSequence: 9,
    records,
  });
  // kafkajs frames the batch with writeBytes(): its int32 length prefix is batchLength.
  const result = splitBatches(encoded.buffer, { maxBatchBytes: 1 << 20 });
  assert.equal(result.ok, true, result.ok ? '' : result.message);
  if (!result.ok) return;
  const [view] = result.batches;
  assert.equal(view.producerId, 17);
  assert.equal(view.producerEpoch, 3);
  assert.equal(view.baseSequence, 9);
  assert.equal(view.recordCount, 2);
  const decoded = await readRecords(view);
  assert.deepEqual(
    decoded.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString(), r.headers.map((h) => [h.key, h.value?.toString()])]),
    [
      [0, 1_700_000_000_000, 'k0', 'v0', [['h', 'x']]],
      [1, 1_700_000_000_005, null, 'v1', []],
    ],
  );
});
