import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameDecoder, FrameSizeError } from '../../src/server/frame-decoder.ts';

function frame(payload: string): Buffer {
  const body = Buffer.from(payload);
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(body.length, 0);
  return Buffer.concat([prefix, body]);
}

function drain(decoder: FrameDecoder): string[] {
  const out: string[] = [];
  for (let f = decoder.next(); f !== null; f = decoder.next()) out.push(f.toString());
  return out;
}

test('several frames in one chunk come out in order', () => {
  const decoder = new FrameDecoder(100);
  decoder.push(Buffer.concat([frame('a'), frame('bb'), frame('')]));
  assert.deepEqual(drain(decoder), ['a', 'bb', '']);
  assert.equal(decoder.bufferedBytes, 0);
});

test('a frame split byte by byte, prefix included, is reassembled', () => {
  const decoder = new FrameDecoder(100);
  const bytes = Buffer.concat([frame('hello'), frame('world')]);
  const out: string[] = [];
  for (const byte of bytes) {
    decoder.push(Buffer.from([byte]));
    out.push(...drain(decoder));
  }
  assert.deepEqual(out, ['hello', 'world']);
});

test('a frame inside one chunk is a view, not a copy', () => {
  const decoder = new FrameDecoder(100);
  const chunk = frame('view');
  decoder.push(chunk);
  const f = decoder.next();
  assert.ok(f !== null);
  assert.equal(f.buffer, chunk.buffer);
});

test('a size above the limit is rejected before its bytes arrive', () => {
  const decoder = new FrameDecoder(10);
  decoder.push(frame('x'.repeat(10)));
  assert.equal(decoder.next()?.toString(), 'x'.repeat(10));
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(11, 0);
  decoder.push(prefix);
  assert.throws(() => decoder.next(), (err: unknown) => err instanceof FrameSizeError && err.size === 11);
});

test('a negative size is rejected', () => {
  const decoder = new FrameDecoder(10);
  decoder.push(Buffer.from([0xff, 0xff, 0xff, 0xfe]));
  assert.throws(() => decoder.next(), (err: unknown) => err instanceof FrameSizeError && err.size === -2);
});
