import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordCursor, sizeOfVarLong, writeVarLong } from '../../../src/protocol/records/varint.ts';

const values = [0, 1, -1, 63, -64, 64, -65, 127, 128, 300, -300, 2 ** 31 - 1, -(2 ** 31), 1_700_000_000_000, -1_700_000_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER];

test('zig-zag varlongs round trip and report their size', () => {
  for (const v of values) {
    const buf = Buffer.alloc(10);
    const end = writeVarLong(buf, 0, v);
    assert.equal(end, sizeOfVarLong(v), `size of ${v}`);
    const c = new RecordCursor(buf, 0, end);
    assert.equal(c.readVarLong(), v);
    assert.equal(c.remaining(), 0);
  }
});

test('known encodings (protobuf zig-zag)', () => {
  const enc = (v: number): string => {
    const b = Buffer.alloc(10);
    return b.subarray(0, writeVarLong(b, 0, v)).toString('hex');
  };
  assert.equal(enc(0), '00');
  assert.equal(enc(-1), '01');
  assert.equal(enc(1), '02');
  assert.equal(enc(-64), '7f');
  assert.equal(enc(64), '8001');
  assert.equal(enc(150), 'ac02');
});

test('truncated and overlong varints are corrupt', () => {
  assert.throws(() => new RecordCursor(Buffer.from([0x80])).readVarInt(), { code: 2, message: /truncated/ });
  assert.throws(() => new RecordCursor(Buffer.alloc(6, 0x80)).readVarInt(), { code: 2, message: /longer than 5/ });
  assert.throws(() => new RecordCursor(Buffer.alloc(11, 0x80)).readVarLong(), { code: 2, message: /longer than 10/ });
});

test('byte fields: null, empty, views; lengths past the end are corrupt', () => {
  const c = new RecordCursor(Buffer.from([0x01, 0x00, 0x04, 0x61, 0x62, 0x06, 0x61]));
  assert.equal(c.readVarBytes(), null);
  assert.deepEqual(c.readVarBytes(), Buffer.alloc(0));
  assert.equal(c.readVarBytes()?.toString(), 'ab');
  assert.throws(() => c.readVarBytes(), { code: 2 });
  assert.throws(() => new RecordCursor(Buffer.from([0x03])).readVarBytes(), { code: 2, message: /negative length/ });
});
