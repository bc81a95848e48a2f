import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { compress, decompress, isXerialFramed, LZ4_FRAME_MAGIC } from '../../../src/protocol/compression/index.ts';
import { CompressionType, type CompressionCodecId } from '../../../src/protocol/records/batch-layout.ts';

const require = createRequire(import.meta.url);
const snappy = require('snappy') as { compressSync(b: Buffer): Buffer };
const wasm = require('@platformatic/wasm-utils') as { lz4Compress(b: Buffer): Uint8Array; lz4Decompress(b: Buffer): Uint8Array };

/** 100 KB of mildly repetitive bytes: several xerial chunks and lz4 blocks. */
const data = Buffer.from(Array.from({ length: 4000 }, (_, i) => `record-${i % 97}-${i};`).join('')).subarray(0, 100_000);

const codecs = Object.entries(CompressionType) as [string, CompressionCodecId][];

for (const [name, codec] of codecs) {
  test(`${name}: compress then decompress gives the input back`, async () => {
    const packed = await compress(codec, data);
    if (codec !== CompressionType.none) assert.ok(packed.length < data.length / 2, `${name} ratio`);
    assert.deepEqual(await decompress(codec, packed), data);
  });
}

test('gzip and zstd write their standard magic numbers', async () => {
  assert.equal((await compress(CompressionType.gzip, data)).readUInt16BE(0), 0x1f8b);
  assert.equal((await compress(CompressionType.zstd, data)).readUInt32LE(0), 0xfd2fb528);
});

test('snappy: raw by default, xerial when asked, both decode', async () => {
  const raw = await compress(CompressionType.snappy, data);
  assert.equal(isXerialFramed(raw), false);
  const xerial = await compress(CompressionType.snappy, data, { snappyFraming: 'xerial' });
  assert.equal(isXerialFramed(xerial), true);
  assert.equal(xerial.subarray(0, 8).toString('latin1'), '\x82SNAPPY\0');
  assert.equal(xerial.readInt32BE(8), 1);
  assert.equal(xerial.readInt32BE(12), 1);
  assert.deepEqual(await decompress(CompressionType.snappy, raw), data);
  assert.deepEqual(await decompress(CompressionType.snappy, xerial), data);
});

test('snappy: a hand-framed xerial stream of two chunks from another encoder decodes', async () => {
  const a = data.subarray(0, 1000);
  const b = data.subarray(1000, 3000);
  const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
  const chunk = (c: Buffer): Buffer => {
    const z = snappy.compressSync(c);
    const len = Buffer.alloc(4);
    len.writeInt32BE(z.length);
    return Buffer.concat([len, z]);
  };
  const framed = Buffer.concat([header, chunk(a), chunk(b)]);
  assert.deepEqual(await decompress(CompressionType.snappy, framed), data.subarray(0, 3000));
});

test('snappy: truncated xerial chunk is rejected', async () => {
  const xerial = await compress(CompressionType.snappy, data, { snappyFraming: 'xerial' });
  await assert.rejects(decompress(CompressionType.snappy, xerial.subarray(0, xerial.length - 3)), /truncated/);
});

test('lz4: writes a standard LZ4 frame (magic 0x184D2204, independent blocks)', async () => {
  const frame = await compress(CompressionType.lz4, data);
  assert.equal(frame.readUInt32LE(0), LZ4_FRAME_MAGIC);
  assert.equal(frame.subarray(0, 4).toString('hex'), '04224d18');
  assert.equal(frame[4] & 0xc0, 0x40, 'frame version 01');
  assert.equal(frame[4] & 0x20, 0x20, 'block independence, which Java KafkaLZ4BlockInputStream requires');
});

test('lz4: interoperates with another implementation (@platformatic/wasm-utils)', async () => {
  const theirs = Buffer.from(wasm.lz4Compress(data));
  assert.equal(theirs.readUInt32LE(0), LZ4_FRAME_MAGIC);
  assert.deepEqual(await decompress(CompressionType.lz4, theirs), data);
  const ours = await compress(CompressionType.lz4, data);
  assert.deepEqual(Buffer.from(wasm.lz4Decompress(ours)), data);
});

test('lz4: a raw block without the frame magic is rejected', async () => {
  await assert.rejects(decompress(CompressionType.lz4, Buffer.from('not a frame')), /not an LZ4 frame/);
});

test('decompression is bounded by maxOutputBytes for every codec', async () => {
  for (const codec of [CompressionType.gzip, CompressionType.snappy, CompressionType.lz4, CompressionType.zstd]) {
    const packed = await compress(codec, data);
    await assert.rejects(decompress(codec, packed, 1000), `codec ${codec}`);
    assert.equal((await decompress(codec, packed, data.length)).length, data.length);
  }
  const xerial = await compress(CompressionType.snappy, data, { snappyFraming: 'xerial' });
  await assert.rejects(decompress(CompressionType.snappy, xerial, 1000), /exceeds/);
});

test('garbage input is rejected, not returned', async () => {
  const junk = Buffer.from('definitely not compressed data at all');
  for (const codec of [CompressionType.gzip, CompressionType.snappy, CompressionType.lz4, CompressionType.zstd]) {
    await assert.rejects(decompress(codec, junk), `codec ${codec}`);
  }
});

test('unknown codec ids are rejected', async () => {
  await assert.rejects(compress(5 as CompressionCodecId, data), /unknown compression codec 5/);
  await assert.rejects(decompress(6 as CompressionCodecId, data), /unknown compression codec 6/);
});
