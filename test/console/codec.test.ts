/**
 * The console's pure helpers, without a browser: how record bytes are shown (auto / text /
 * JSON / hex), one-line previews, byte and number formatting, and chart axis rounding.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base64ToBytes, hexDump, preview, render } from '../../console/src/lib/codec.ts';
import { formatBytes, formatNumber, plural } from '../../console/src/lib/format.ts';
import { niceMax } from '../../console/src/lib/chart-scale.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

test('auto shows JSON pretty-printed, plain UTF-8 as text and anything else as hex', () => {
  assert.deepEqual(render(utf8('{"a":1,"b":[true]}'), 'auto'), { mode: 'json', text: '{\n  "a": 1,\n  "b": [\n    true\n  ]\n}' });
  assert.deepEqual(render(utf8('hello wörld'), 'auto'), { mode: 'text', text: 'hello wörld' });
  assert.equal(render(new Uint8Array([0xff, 0xfe, 0x00]), 'auto').mode, 'hex');
  // Valid UTF-8 with control characters is binary, not text.
  assert.equal(render(new Uint8Array([0x41, 0x00, 0x01]), 'auto').mode, 'hex');
  // A bare number or string is JSON too, but a word that merely starts like one is text.
  assert.equal(render(utf8('42'), 'auto').mode, 'json');
  assert.equal(render(utf8('nullable'), 'auto').mode, 'text');
});

test('an explicit JSON view of non-JSON bytes falls back to text', () => {
  assert.deepEqual(render(utf8('not json'), 'json'), { mode: 'text', text: 'not json' });
});

test('hex dumps 16 bytes a line with offset and printable ASCII', () => {
  const bytes = utf8('0123456789abcdefXY');
  assert.equal(hexDump(bytes), [
    '00000000  30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  0123456789abcdef',
    '00000010  58 59                                            XY',
  ].join('\n'));
  assert.equal(hexDump(new Uint8Array()), '');
});

test('previews collapse whitespace, cut long text and show null', () => {
  assert.equal(preview(utf8('a\n  b')), 'a b');
  assert.equal(preview(utf8('x'.repeat(10)), 4), 'xxxx…');
  assert.equal(preview(null), 'null');
  assert.equal(preview(new Uint8Array([0, 1, 255])), '00 01 ff');
});

test('base64 decodes to the bytes', () => {
  assert.deepEqual(base64ToBytes(Buffer.from([0, 200, 7]).toString('base64')), new Uint8Array([0, 200, 7]));
});

test('byte sizes, numbers and plurals read naturally', () => {
  assert.equal(formatBytes(971), '971 B');
  assert.equal(formatBytes(194.16), '194 B');
  assert.equal(formatBytes(1536), '1.50 KiB');
  assert.equal(formatBytes(50 * 1024 * 1024), '50.0 MiB');
  assert.equal(formatBytes(null), '—');
  assert.equal(formatNumber(1234567), '1,234,567');
  assert.equal(formatNumber(null), '—');
  assert.equal(plural(1, 'topic'), '1 topic');
  assert.equal(plural(3, 'topic'), '3 topics');
});

test('chart axes end on a round maximum with round gridlines', () => {
  assert.equal(niceMax(0), 4);
  assert.equal(niceMax(2.4), 4);
  assert.equal(niceMax(194), 200);
  assert.equal(niceMax(240), 400);
  assert.equal(niceMax(1001), 2000);
});
