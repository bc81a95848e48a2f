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

/** Pushes `bytes` in chunks of `size` and returns the frames that come out. */
function pushChunked(decoder: FrameDecoder, bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < bytes.length; pos += size) {
    decoder.push(bytes.subarray(pos, pos + size));
    for (let f = decoder.next(); f !== null; f = decoder.next()) out.push(f);
  }
  return out;
}

test('a frame spanning chunks is assembled into one buffer; a released one is reused', () => {
  const decoder = new FrameDecoder(1000);
  const first = pushChunked(decoder, frame('a'.repeat(300)), 64);
  assert.equal(first.length, 1);
  assert.equal(first[0].toString(), 'a'.repeat(300));
  assert.equal(decoder.bufferedBytes, 0);
  decoder.release(first[0]);
  const second = pushChunked(decoder, Buffer.concat([frame('b'.repeat(290)), frame('c'.repeat(5))]), 64);
  assert.deepEqual(second.map((f) => f.toString()), ['b'.repeat(290), 'c'.repeat(5)]);
  assert.equal(second[0].buffer, first[0].buffer, 'the released buffer holds the next spanning frame');
});

test('without release, or with a larger frame than the spare, spanning frames get new buffers', () => {
  const decoder = new FrameDecoder(10_000);
  const [a] = pushChunked(decoder, frame('a'.repeat(300)), 64);
  const [b] = pushChunked(decoder, frame('b'.repeat(300)), 64);
  assert.notEqual(a.buffer, b.buffer);
  decoder.release(b);
  const [c] = pushChunked(decoder, frame('c'.repeat(2000)), 64);
  assert.notEqual(c.buffer, b.buffer);
  assert.equal(c.toString(), 'c'.repeat(2000));
  assert.equal(a.toString(), 'a'.repeat(300), 'an unreleased frame is never overwritten');
});

test('releasing a frame that is a view of a received chunk changes nothing', () => {
  const decoder = new FrameDecoder(1000);
  const chunk = frame('view');
  decoder.push(chunk);
  const view = decoder.next();
  assert.ok(view !== null);
  decoder.release(view);
  const [spanning] = pushChunked(decoder, frame('s'.repeat(200)), 64);
  assert.notEqual(spanning.buffer, chunk.buffer);
  assert.equal(chunk.subarray(4).toString(), 'view');
});
