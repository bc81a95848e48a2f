// Reader/Writer primitives: values round-trip, hand-built encodings decode, and every
// truncated or invalid input throws ProtocolDecodeError.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProtocolDecodeError, Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';

function bytes(write: (w: Writer) => void): Buffer {
  const w = new Writer();
  write(w);
  return w.toBuffer();
}

test('int64 round-trips through two int32 halves', () => {
  for (const n of [0, 1, -1, 2 ** 32, -(2 ** 32), 2 ** 53 - 1, -(2 ** 53 - 1), 1_700_000_000_000]) {
    const buf = bytes((w) => w.writeInt64(n));
    assert.equal(buf.length, 8);
    assert.equal(buf.readBigInt64BE(0), BigInt(n));
    assert.equal(new Reader(buf).readInt64(), n);
  }
});

test('varint, varlong and unsigned varint use zigzag / LEB128 as Kafka does', () => {
  assert.deepEqual([...bytes((w) => w.writeVarInt(-1))], [0x01]);
  assert.deepEqual([...bytes((w) => w.writeVarInt(1))], [0x02]);
  assert.deepEqual([...bytes((w) => w.writeVarInt(-64))], [0x7f]);
  assert.deepEqual([...bytes((w) => w.writeVarInt(64))], [0x80, 0x01]);
  assert.deepEqual([...bytes((w) => w.writeUnsignedVarInt(300))], [0xac, 0x02]);
  assert.deepEqual([...bytes((w) => w.writeUnsignedVarInt(0xffffffff))], [0xff, 0xff, 0xff, 0xff, 0x0f]);
  for (const n of [0, 1, -1, 63, -64, 2 ** 31 - 1, -(2 ** 31)]) {
    assert.equal(new Reader(bytes((w) => w.writeVarInt(n))).readVarInt(), n);
  }
  // zigzag doubles the magnitude, so varlongs are exact up to +-2^52
  for (const n of [0, -1, 2 ** 31, -(2 ** 40), 2 ** 52, -(2 ** 52)]) {
    assert.equal(new Reader(bytes((w) => w.writeVarLong(n))).readVarLong(), n);
  }
  assert.equal(new Reader(bytes((w) => w.writeUnsignedVarInt(0xffffffff))).readUnsignedVarInt(), 0xffffffff);
});

test('strings, bytes and arrays in classic and compact forms', () => {
  const buf = bytes((w) => {
    w.writeString('héllo');
    w.writeNullableString(null);
    w.writeCompactString('');
    w.writeCompactNullableString(null);
    w.writeBytes(Buffer.from([1, 2]));
    w.writeCompactNullableBytes(null);
    w.writeArray([1, 2], (w, e) => w.writeInt32(e));
    w.writeCompactNullableArray(null, (w, e: number) => w.writeInt8(e));
    w.writeUuid('AAAAAAAAAAAAAAAAAAAAAA');
  });
  const r = new Reader(buf);
  assert.equal(r.readString(), 'héllo');
  assert.equal(r.readNullableString(), null);
  assert.equal(r.readCompactString(), '');
  assert.equal(r.readCompactNullableString(), null);
  assert.deepEqual([...r.readBytes()], [1, 2]);
  assert.equal(r.readCompactNullableBytes(), null);
  assert.deepEqual(r.readArray((r) => r.readInt32()), [1, 2]);
  assert.equal(r.readCompactNullableArray((r) => r.readInt8()), null);
  assert.equal(r.readUuid(), 'AAAAAAAAAAAAAAAAAAAAAA');
  assert.equal(r.remaining(), 0);
});

test('uuid uses base64url without padding, like Kafka Uuid.toString()', () => {
  const raw = Buffer.from('0123456789abcdeffedcba9876543210', 'hex');
  const text = new Reader(raw).readUuid();
  assert.equal(text.length, 22);
  assert.equal(text, raw.toString('base64url'));
  assert.deepEqual(bytes((w) => w.writeUuid(text)), raw);
  assert.throws(() => bytes((w) => w.writeUuid('short')), RangeError);
});

test('bytes are views into the source buffer, not copies', () => {
  const buf = bytes((w) => w.writeBytes(Buffer.from('abc')));
  const view = new Reader(buf).readBytes();
  buf[4] = 0x7a;
  assert.equal(view.toString(), 'zbc');
});

test('large buffers are appended by reference; length counts everything', () => {
  const big = Buffer.alloc(4096, 1);
  const w = new Writer();
  w.writeInt32(7);
  w.writeBytes(big);
  w.writeInt8(1);
  const chunks = w.toChunks();
  assert.ok(chunks.includes(big), 'big buffer is one of the chunks');
  assert.equal(w.length, 4 + 4 + 4096 + 1);
  assert.equal(w.toBuffer().length, w.length);
  assert.equal(Buffer.concat(chunks).readInt32BE(4), 4096);
});

test('writer grows past its initial scratch size without corrupting earlier bytes', () => {
  const w = new Writer(8);
  for (let i = 0; i < 1000; i++) w.writeInt32(i);
  const r = new Reader(w.toBuffer());
  for (let i = 0; i < 1000; i++) assert.equal(r.readInt32(), i);
});

test('truncated input throws ProtocolDecodeError for every primitive', () => {
  const cases: [string, (r: Reader) => unknown, Buffer][] = [
    ['int16', (r) => r.readInt16(), Buffer.from([0])],
    ['int32', (r) => r.readInt32(), Buffer.from([0, 0, 0])],
    ['int64', (r) => r.readInt64(), Buffer.alloc(7)],
    ['uuid', (r) => r.readUuid(), Buffer.alloc(15)],
    ['string body', (r) => r.readString(), Buffer.from([0, 5, 0x61])],
    ['compact string body', (r) => r.readCompactString(), Buffer.from([4, 0x61])],
    ['bytes body', (r) => r.readBytes(), Buffer.from([0, 0, 0, 9, 1])],
    ['varint', (r) => r.readUnsignedVarInt(), Buffer.from([0x80, 0x80])],
    ['varlong', (r) => r.readVarLong(), Buffer.from([0xff])],
    ['array count', (r) => r.readArray((r) => r.readInt8()), Buffer.from([0, 0, 0, 50, 1])],
    ['array element', (r) => r.readArray((r) => r.readInt32()), Buffer.from([0, 0, 0, 1, 1])],
    ['tagged field body', (r) => r.skipTaggedFields(), Buffer.from([1, 0, 5, 1])],
  ];
  for (const [name, read, buf] of cases) {
    assert.throws(() => read(new Reader(buf)), ProtocolDecodeError, name);
  }
});

test('invalid encodings throw ProtocolDecodeError', () => {
  assert.throws(() => new Reader(Buffer.from([0xff, 0xff])).readString(), ProtocolDecodeError);
  assert.throws(() => new Reader(Buffer.from([0])).readCompactString(), ProtocolDecodeError);
  assert.throws(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])).readArray((r) => r.readInt8()), ProtocolDecodeError);
  assert.throws(() => new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f])).readUnsignedVarInt(), ProtocolDecodeError);
  assert.throws(() => new Reader(Buffer.alloc(11, 0xff)).readUnsignedVarLong(), ProtocolDecodeError);
});
