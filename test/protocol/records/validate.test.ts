import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32c } from '../../../src/protocol/crc32c.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { buildRecordBatch, type BatchInput } from '../../../src/protocol/records/builder.ts';
import { splitBatches } from '../../../src/protocol/records/validate.ts';

const MAX = 1 << 20;

async function batch(opts: Partial<BatchInput> = {}): Promise<Buffer> {
  return buildRecordBatch({ records: [{ value: 'a' }, { value: 'b' }], now: 1000, ...opts });
}

/** Edits a header field, then recomputes the CRC so only the intended check fails. */
function edit(b: Buffer, change: (b: Buffer) => void): Buffer {
  change(b);
  b.writeUInt32BE(crc32c(b.subarray(21)), 17);
  return b;
}

function expectError(records: Buffer, code: number, pattern: RegExp, maxBatchBytes = MAX): void {
  const result = splitBatches(records, { maxBatchBytes });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.equal(result.error, code, result.message);
  assert.match(result.message, pattern);
}

test('valid batches split into views over the same memory', async () => {
  const records = Buffer.concat([await batch(), await batch({ producerId: 5, producerEpoch: 0, baseSequence: 2 })]);
  const result = splitBatches(records, { maxBatchBytes: MAX });
  assert.equal(result.ok, true);
  if (!result.ok) return;
  assert.equal(result.batches.length, 2);
  assert.equal(result.batches[1].producerId, 5);
  assert.equal(result.batches[0].buffer.buffer, records.buffer);
  assert.equal(result.batches[0].sizeInBytes + result.batches[1].sizeInBytes, records.length);
});

test('non-idempotent batches with epoch/sequence 0 (as kafkajs sends) are accepted', async () => {
  const b = await batch({ producerId: -1, producerEpoch: 0, baseSequence: 0 });
  assert.equal(splitBatches(b, { maxBatchBytes: MAX }).ok, true);
});

test('empty records: INVALID_RECORD', () => {
  expectError(Buffer.alloc(0), ErrorCode.INVALID_RECORD, /no record batch/);
});

test('batchLength below the minimum: CORRUPT_MESSAGE', async () => {
  const b = await batch();
  b.writeInt32BE(13, 8);
  expectError(b, ErrorCode.CORRUPT_MESSAGE, /less than the minimum/);
});

test('batch extending past the buffer: CORRUPT_MESSAGE', async () => {
  const b = await batch();
  expectError(b.subarray(0, b.length - 1), ErrorCode.CORRUPT_MESSAGE, /truncated/);
});

test('trailing partial batch header: CORRUPT_MESSAGE', async () => {
  const b = Buffer.concat([await batch(), Buffer.alloc(10)]);
  expectError(b, ErrorCode.CORRUPT_MESSAGE, /truncated/);
});

test('magic other than 2: INVALID_RECORD', async () => {
  const b = await batch();
  b.writeInt8(1, 16);
  expectError(b, ErrorCode.INVALID_RECORD, /magic 1/);
});

test('batch shorter than the v2 header: CORRUPT_MESSAGE', async () => {
  const b = (await batch()).subarray(0, 40);
  b.writeInt32BE(28, 8);
  expectError(b, ErrorCode.CORRUPT_MESSAGE, /header size/);
});

test('non-zero baseOffset from a client: INVALID_RECORD', async () => {
  expectError(await batch({ baseOffset: 3 }), ErrorCode.INVALID_RECORD, /should be 0/);
});

test('batch larger than maxBatchBytes: MESSAGE_TOO_LARGE (checked before the CRC)', async () => {
  const b = await batch();
  b[70] ^= 1;
  expectError(b, ErrorCode.MESSAGE_TOO_LARGE, /exceeds the maximum/, b.length - 1);
  assert.equal(splitBatches(await batch(), { maxBatchBytes: b.length }).ok, true);
});

test('CRC mismatch: CORRUPT_MESSAGE', async () => {
  const b = await batch();
  b[b.length - 1] ^= 1;
  expectError(b, ErrorCode.CORRUPT_MESSAGE, /crc/);
});

test('unknown compression codec: CORRUPT_MESSAGE', async () => {
  const b = edit(await batch(), (x) => x.writeInt16BE(5, 21));
  expectError(b, ErrorCode.CORRUPT_MESSAGE, /compression codec id 5/);
});

test('negative lastOffsetDelta: INVALID_RECORD', async () => {
  const b = edit(await batch(), (x) => x.writeInt32BE(-1, 23));
  expectError(b, ErrorCode.INVALID_RECORD, /invalid offset range/);
});

test('zero record count: INVALID_RECORD', async () => {
  const b = edit(await batch(), (x) => x.writeInt32BE(0, 57));
  expectError(b, ErrorCode.INVALID_RECORD, /invalid reported count/);
});

test('record count != lastOffsetDelta + 1: INVALID_RECORD', async () => {
  const b = edit(await batch(), (x) => x.writeInt32BE(3, 57));
  expectError(b, ErrorCode.INVALID_RECORD, /inconsistent batch offset range/);
});

test('control batch from a client: INVALID_RECORD', async () => {
  expectError(await batch({ isControl: true, producerId: 1, producerEpoch: 0, baseSequence: 0 }), ErrorCode.INVALID_RECORD, /control records/);
});

test('producerId without a sequence: INVALID_RECORD', async () => {
  expectError(await batch({ producerId: 1, producerEpoch: 0, baseSequence: -1 }), ErrorCode.INVALID_RECORD, /invalid sequence number -1/);
});

test('producerId with a negative epoch: INVALID_RECORD', async () => {
  expectError(await batch({ producerId: 1, producerEpoch: -1, baseSequence: 0 }), ErrorCode.INVALID_RECORD, /invalid producer epoch/);
});

test('transactional batch without a producerId: INVALID_RECORD', async () => {
  expectError(await batch({ isTransactional: true }), ErrorCode.INVALID_RECORD, /transactional/);
});

test('the first failing batch decides, later ones are not looked at', async () => {
  const bad = await batch({ baseOffset: 1 });
  const records = Buffer.concat([await batch(), bad, Buffer.alloc(3)]);
  expectError(records, ErrorCode.INVALID_RECORD, /should be 0/);
});
