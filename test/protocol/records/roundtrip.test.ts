import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { CompressionType, type CompressionCodecId } from '../../../src/protocol/records/batch-layout.ts';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { buildRecordBatch, type RecordInput } from '../../../src/protocol/records/builder.ts';
import { readRecords, type KafkaRecord } from '../../../src/protocol/records/record.ts';
import { splitBatches } from '../../../src/protocol/records/validate.ts';

const inputs: RecordInput[] = [
  { key: 'key-0', value: 'value-0', timestamp: 1_700_000_000_000, headers: [{ key: 'h1', value: 'x' }, { key: 'h2', value: null }] },
  { key: null, value: Buffer.from([0, 1, 2, 255]), timestamp: 1_700_000_000_500 },
  { key: Buffer.alloc(0), value: null, timestamp: 1_699_999_999_000 },
  { value: 'é'.repeat(5000), timestamp: 1_700_000_000_100, headers: [{ key: 'ünïcode', value: Buffer.from('v') }] },
];

function plain(r: KafkaRecord): unknown {
  return {
    offset: r.offset,
    timestamp: r.timestamp,
    key: r.key === null ? null : r.key.toString('hex'),
    value: r.value === null ? null : r.value.toString('hex'),
    headers: r.headers.map((h) => [h.key, h.value === null ? null : h.value.toString('hex')]),
  };
}

const expected = [
  { offset: 100, timestamp: 1_700_000_000_000, key: Buffer.from('key-0').toString('hex'), value: Buffer.from('value-0').toString('hex'), headers: [['h1', '78'], ['h2', null]] },
  { offset: 101, timestamp: 1_700_000_000_500, key: null, value: '000102ff', headers: [] },
  { offset: 102, timestamp: 1_699_999_999_000, key: '', value: null, headers: [] },
  { offset: 103, timestamp: 1_700_000_000_100, key: null, value: Buffer.from('é'.repeat(5000)).toString('hex'), headers: [['ünïcode', '76']] },
];

const codecs = Object.entries(CompressionType) as [string, CompressionCodecId][];

for (const [name, codec] of codecs) {
  test(`builder + readRecords round trip with ${name}`, async () => {
    const buf = await buildRecordBatch({ records: inputs, compression: codec, baseOffset: 100, producerId: 7, producerEpoch: 1, baseSequence: 11, partitionLeaderEpoch: 4 });
    const view = new RecordBatchView(buf);
    assert.equal(view.sizeInBytes, buf.length);
    assert.equal(view.isCrcValid(), true);
    assert.equal(view.compression, codec);
    assert.equal(view.recordCount, 4);
    assert.equal(view.lastOffsetDelta, 3);
    assert.equal(view.baseTimestamp, 1_700_000_000_000);
    assert.equal(view.maxTimestamp, 1_700_000_000_500);
    assert.equal(view.partitionLeaderEpoch, 4);
    assert.deepEqual((await readRecords(view)).map(plain), expected);
    if (codec !== CompressionType.none) assert.ok(buf.length < 10_000 + 61, `${name} compressed ${buf.length}`);
  });
}

test('snappy in xerial framing round trips', async () => {
  const buf = await buildRecordBatch({ records: inputs, compression: CompressionType.snappy, snappyFraming: 'xerial', baseOffset: 100 });
  const view = new RecordBatchView(buf);
  assert.equal(view.recordsBytes[0], 0x82);
  assert.deepEqual((await readRecords(view)).map(plain), expected);
});

test('defaults: no producer, no leader epoch, CreateTime, records without timestamp get `now`', async () => {
  const buf = await buildRecordBatch({ records: [{ value: 'x' }], now: 5000 });
  const view = new RecordBatchView(buf);
  assert.equal(view.baseOffset, 0);
  assert.equal(view.producerId, -1);
  assert.equal(view.producerEpoch, -1);
  assert.equal(view.baseSequence, -1);
  assert.equal(view.partitionLeaderEpoch, -1);
  assert.equal(view.timestampType, 'CreateTime');
  assert.equal(view.isTransactional, false);
  assert.equal(view.isControl, false);
  assert.equal(view.baseTimestamp, 5000);
  assert.equal((await readRecords(view))[0].timestamp, 5000);
  assert.equal(splitBatches(buf, { maxBatchBytes: 1000 }).ok, true);
});

test('LogAppendTime batches give every record the batch maxTimestamp', async () => {
  const buf = await buildRecordBatch({ records: inputs, compression: CompressionType.gzip });
  const view = new RecordBatchView(buf);
  view.setLogAppendTime(1_800_000_000_000);
  const records = await readRecords(view);
  assert.deepEqual(records.map((r) => r.timestamp), [1_800_000_000_000, 1_800_000_000_000, 1_800_000_000_000, 1_800_000_000_000]);
});

test('flags land in the attributes', async () => {
  const view = new RecordBatchView(await buildRecordBatch({ records: [{ value: 'x' }], isTransactional: true, isControl: true, timestampType: 'LogAppendTime', compression: CompressionType.lz4 }));
  assert.equal(view.attributes, 0x10 | 0x20 | 0x08 | 3);
});

test('an empty batch cannot be built', async () => {
  await assert.rejects(buildRecordBatch({ records: [] }), { code: 87 });
});

test('a compressed batch with garbage records: CORRUPT_MESSAGE', async () => {
  for (const codec of [CompressionType.gzip, CompressionType.snappy, CompressionType.lz4, CompressionType.zstd]) {
    const buf = await buildRecordBatch({ records: inputs, compression: codec });
    buf.fill(0x5a, 61 + 4);
    await assert.rejects(readRecords(new RecordBatchView(buf)), { name: 'InvalidRecordError', code: 2 }, `codec ${codec}`);
  }
});

test('a record count larger than the records: CORRUPT_MESSAGE', async () => {
  const buf = await buildRecordBatch({ records: inputs });
  buf.writeInt32BE(5, 57);
  await assert.rejects(readRecords(new RecordBatchView(buf)), { code: 2, message: /truncated/ });
});

test('bytes left after the declared records: CORRUPT_MESSAGE', async () => {
  const buf = await buildRecordBatch({ records: inputs });
  buf.writeInt32BE(3, 57);
  await assert.rejects(readRecords(new RecordBatchView(buf)), { code: 2, message: /left after/ });
});

interface KafkajsDecoderClass {
  new (buf: Buffer): unknown;
}
type KafkajsBatchDecoder = (decoder: unknown) => Promise<{ records: { key: Buffer | null; value: Buffer | null; offset: string; headers: Record<string, Buffer> }[] }>;

test('kafkajs decodes a batch we built', async () => {
  const require = createRequire(import.meta.url);
  const Decoder = require('kafkajs/src/protocol/decoder.js') as KafkajsDecoderClass;
  const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as KafkajsBatchDecoder;
  const buf = await buildRecordBatch({ records: inputs, compression: CompressionType.gzip, baseOffset: 100 });
  const decoded = await decodeBatch(new Decoder(buf));
  assert.deepEqual(decoded.records.map((r) => [r.offset, r.key?.toString() ?? null]), [['100', 'key-0'], ['101', null], ['102', ''], ['103', null]]);
  assert.equal(decoded.records[0].headers.h1.toString(), 'x');
});

test('readRecords enforces the decompressed size limit', async () => {
  const buf = await buildRecordBatch({ records: inputs, compression: CompressionType.zstd });
  await assert.rejects(readRecords(new RecordBatchView(buf), { maxDecompressedBytes: 100 }), { code: 2, message: /decompress/ });
});
