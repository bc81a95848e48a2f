import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32, crc32c } from '../../../src/protocol/crc32c.ts';

test('crc32c and crc32 match the standard check values', () => {
  const check = Buffer.from('123456789');
  assert.equal(crc32c(check), 0xe3069283);
  assert.equal(crc32(check), 0xcbf43926);
  assert.equal(crc32c(Buffer.alloc(0)), 0);
});

test('crc32c continues from a previous value', () => {
  const whole = Buffer.from('hello, record batch');
  assert.equal(crc32c(whole.subarray(7), crc32c(whole.subarray(0, 7))), crc32c(whole));
});
