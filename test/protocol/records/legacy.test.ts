import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { decompress } from '../../../src/protocol/compression/index.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { CompressionType, type CompressionCodecId } from '../../../src/protocol/records/batch-layout.ts';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { buildRecordBatch, type RecordInput } from '../../../src/protocol/records/builder.ts';
import { encodeMessage, parseMessageSet } from '../../../src/protocol/records/legacy-message.ts';
import { downConvertToMagic, upConvertMessageSet } from '../../../src/protocol/records/legacy.ts';
import { readRecords } from '../../../src/protocol/records/record.ts';
import { splitBatches } from '../../../src/protocol/records/validate.ts';

const require = createRequire(import.meta.url);
type Entry = { key: Buffer | null; value: Buffer | null; timestamp?: number; compression?: number };
const MessageSet = require('kafkajs/src/protocol/messageSet/index.js') as (o: { messageVersion: number; compression: number; entries: Entry[] }) => { buffer: Buffer };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => unknown;
type DecodedMessage = { offset: string; magicByte: number; attributes: number; timestamp?: string; key: Buffer | null; value: Buffer | null };
const decodeMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js') as (d: unknown, size: number) => Promise<DecodedMessage[]>;

const entries: Entry[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 1_600_000_000_001 },
  { key: null, value: Buffer.from('v2'), timestamp: 1_600_000_000_002 },
  { key: Buffer.from('k3'), value: null, timestamp: 1_600_000_000_003 },
];

async function upConverted(set: Buffer): Promise<{ view: RecordBatchView; records: [string | null, string | null, number][] }> {
  const batch = await upConvertMessageSet(set);
  const result = splitBatches(batch, { maxBatchBytes: 1 << 20 });
  assert.equal(result.ok, true, result.ok ? '' : result.message);
  const view = new RecordBatchView(batch);
  const records = (await readRecords(view)).map((r): [string | null, string | null, number] => [r.key?.toString() ?? null, r.value?.toString() ?? null, r.timestamp]);
  return { view, records };
}

test('up-convert a kafkajs v0 message set: no timestamps (-1), offsets from 0', async () => {
  const { view, records } = await upConverted(MessageSet({ messageVersion: 0, compression: 0, entries }).buffer);
  assert.equal(view.baseOffset, 0);
  assert.equal(view.recordCount, 3);
  assert.equal(view.producerId, -1);
  assert.equal(view.compression, CompressionType.none);
  assert.equal(view.maxTimestamp, -1);
  assert.deepEqual(records, [['k1', 'v1', -1], [null, 'v2', -1], ['k3', null, -1]]);
});

test('up-convert a kafkajs v1 message set keeps timestamps', async () => {
  const { records } = await upConverted(MessageSet({ messageVersion: 1, compression: 0, entries }).buffer);
  assert.deepEqual(records, [['k1', 'v1', 1_600_000_000_001], [null, 'v2', 1_600_000_000_002], ['k3', null, 1_600_000_000_003]]);
});

test('up-convert a gzip wrapper (v1, relative inner offsets) keeps the codec', async () => {
  const inner = MessageSet({ messageVersion: 1, compression: CompressionType.gzip, entries }).buffer;
  const wrapper = MessageSet({
    messageVersion: 1,
    compression: CompressionType.gzip,
    entries: [{ key: null, value: gzipSync(inner), timestamp: 1_600_000_000_009, compression: CompressionType.gzip }],
  }).buffer;
  const plainTail = MessageSet({ messageVersion: 1, compression: 0, entries: [entries[0]] }).buffer;
  const { view, records } = await upConverted(Buffer.concat([wrapper, plainTail]));
  assert.equal(view.compression, CompressionType.gzip);
  assert.equal(view.lastOffsetDelta, 3);
  assert.deepEqual(records.map((r) => r[1]), ['v1', 'v2', null, 'v1']);
});

test('inner messages of a LogAppendTime v1 wrapper take the wrapper timestamp', async () => {
  const inner = Buffer.concat(entries.map((e, i) => encodeMessage({ offset: i, magic: 1, attributes: 0, timestamp: e.timestamp ?? 0, key: e.key, value: e.value })));
  const wrapper = encodeMessage({ offset: 2, magic: 1, attributes: CompressionType.gzip | 0x08, timestamp: 1_650_000_000_000, key: null, value: gzipSync(inner) });
  const { records } = await upConverted(wrapper);
  assert.deepEqual(records.map((r) => r[2]), [1_650_000_000_000, 1_650_000_000_000, 1_650_000_000_000]);
});

test('up-conversion rejects a bad CRC32, mixed inner magic, nested compression and empty sets', async () => {
  const set = MessageSet({ messageVersion: 1, compression: 0, entries }).buffer;
  set[set.length - 1] ^= 1;
  await assert.rejects(upConvertMessageSet(set), { name: 'InvalidRecordError', code: ErrorCode.CORRUPT_MESSAGE, message: /crc/ });

  const v0inner = MessageSet({ messageVersion: 0, compression: 1, entries }).buffer;
  const mixed = encodeMessage({ offset: 2, magic: 1, attributes: CompressionType.gzip, timestamp: 1, key: null, value: gzipSync(v0inner) });
  await assert.rejects(upConvertMessageSet(mixed), { code: ErrorCode.INVALID_RECORD, message: /magic/ });

  const nested = encodeMessage({ offset: 0, magic: 1, attributes: CompressionType.gzip, timestamp: 1, key: null, value: gzipSync(mixed) });
  await assert.rejects(upConvertMessageSet(nested), { code: ErrorCode.INVALID_RECORD, message: /compressed message/ });

  const garbage = encodeMessage({ offset: 0, magic: 1, attributes: CompressionType.gzip, timestamp: 1, key: null, value: Buffer.from('junk') });
  await assert.rejects(upConvertMessageSet(garbage), { code: ErrorCode.CORRUPT_MESSAGE, message: /decompress/ });

  await assert.rejects(upConvertMessageSet(Buffer.alloc(0)), { code: ErrorCode.INVALID_RECORD });
  await assert.rejects(upConvertMessageSet(set.subarray(0, 30)), { code: ErrorCode.CORRUPT_MESSAGE, message: /truncated/ });
});

const inputs: RecordInput[] = [
  { key: 'a', value: 'one', timestamp: 1_700_000_000_010 },
  { key: null, value: 'two', timestamp: 1_700_000_000_030, headers: [{ key: 'dropped', value: 'x' }] },
  { key: 'c', value: null, timestamp: 1_700_000_000_020 },
];

async function storedLog(codec: CompressionCodecId): Promise<Buffer> {
  const first = await buildRecordBatch({ records: inputs, compression: codec, baseOffset: 50 });
  const second = await buildRecordBatch({ records: [{ key: 'd', value: 'four', timestamp: 1_700_000_000_040 }], compression: codec, baseOffset: 53 });
  return Buffer.concat([first, second]);
}

for (const [name, codec] of [['none', 0], ['gzip', 1]] as const) {
  for (const magic of [0, 1] as const) {
    test(`down-convert ${name} batches to magic ${magic}: kafkajs reads offsets, keys, values, timestamps`, async () => {
      const set = await downConvertToMagic(await storedLog(codec), magic);
      const messages = await decodeMessageSet(new Decoder(set), set.length);
      assert.deepEqual(
        messages.map((m) => [String(m.offset), m.magicByte, m.key?.toString() ?? null, m.value?.toString() ?? null]),
        [['50', magic, 'a', 'one'], ['51', magic, null, 'two'], ['52', magic, 'c', null], ['53', magic, 'd', 'four']],
      );
      if (magic === 1) assert.deepEqual(messages.map((m) => Number(m.timestamp)), [1_700_000_000_010, 1_700_000_000_030, 1_700_000_000_020, 1_700_000_000_040]);
    });
  }
}

test('down-converted compressed batches become one wrapper each, with v1 relative inner offsets', async () => {
  const set = await downConvertToMagic(await storedLog(CompressionType.gzip), 1);
  const wrappers = parseMessageSet(set);
  assert.deepEqual(wrappers.map((w) => [w.offset, w.attributes & 7, w.timestamp]), [[52, 1, 1_700_000_000_030], [53, 1, 1_700_000_000_040]]);
  const inner = parseMessageSet(await decompress(CompressionType.gzip, wrappers[0].value as Buffer));
  assert.deepEqual(inner.map((m) => m.offset), [0, 1, 2]);
  const v0 = parseMessageSet(await downConvertToMagic(await storedLog(CompressionType.gzip), 0));
  const v0inner = parseMessageSet(await decompress(CompressionType.gzip, v0[0].value as Buffer));
  assert.deepEqual(v0inner.map((m) => [m.offset, m.timestamp]), [[50, -1], [51, -1], [52, -1]]);
});

for (const [name, codec] of [['snappy', CompressionType.snappy], ['lz4', CompressionType.lz4]] as const) {
  test(`${name}: down-convert then up-convert round trips the records`, async () => {
    const set = await downConvertToMagic(await storedLog(codec), 1);
    const wrappers = parseMessageSet(set);
    assert.equal(wrappers[0].attributes & 7, codec);
    if (codec === CompressionType.snappy) assert.equal((wrappers[0].value as Buffer)[0], 0x82, 'xerial framing, as Java writes');
    const { view, records } = await upConverted(set);
    assert.equal(view.compression, codec);
    assert.deepEqual(records, [['a', 'one', 1_700_000_000_010], [null, 'two', 1_700_000_000_030], ['c', null, 1_700_000_000_020], ['d', 'four', 1_700_000_000_040]]);
  });
}

test('down-conversion keeps LogAppendTime on magic 1 and drops control batches', async () => {
  const batch = await buildRecordBatch({ records: inputs, baseOffset: 10 });
  new RecordBatchView(batch).setLogAppendTime(1_750_000_000_000);
  const control = await buildRecordBatch({ records: [{ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0, 0, 0, 0, 0]) }], baseOffset: 13, isControl: true, isTransactional: true, producerId: 1, producerEpoch: 0 });
  const messages = parseMessageSet(await downConvertToMagic(Buffer.concat([batch, control]), 1));
  assert.deepEqual(messages.map((m) => [m.offset, m.attributes, m.timestamp]), [[10, 8, 1_750_000_000_000], [11, 8, 1_750_000_000_000], [12, 8, 1_750_000_000_000]]);
});

test('down-conversion drops a trailing partial batch and refuses zstd', async () => {
  const log = await storedLog(CompressionType.none);
  const messages = parseMessageSet(await downConvertToMagic(log.subarray(0, log.length - 5), 1));
  assert.deepEqual(messages.map((m) => m.offset), [50, 51, 52]);
  await assert.rejects(downConvertToMagic(await storedLog(CompressionType.zstd), 1), { code: ErrorCode.UNSUPPORTED_COMPRESSION_TYPE });
});

test('down-conversion from a fetch offset inside a batch: uncompressed skip earlier records, wrappers stay whole', async () => {
  const plainSet = parseMessageSet(await downConvertToMagic(await storedLog(CompressionType.none), 1, { firstOffset: 52 }));
  assert.deepEqual(plainSet.map((m) => m.offset), [52, 53]);
  const wrapped = parseMessageSet(await downConvertToMagic(await storedLog(CompressionType.gzip), 1, { firstOffset: 52 }));
  const inner = parseMessageSet(await decompress(CompressionType.gzip, wrapped[0].value as Buffer));
  assert.equal(inner.length, 3);
});
