import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { CompressionType, RECORD_BATCH_HEADER_SIZE } from '../../../src/protocol/records/batch-layout.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import { InvalidRecordError } from '../../../src/protocol/records/invalid-record-error.ts';
import { validateRecordFraming } from '../../../src/protocol/records/record.ts';
import { ErrorCode } from '../../../src/protocol/errors.ts';

const records = [
  { key: 'a', value: 'one', headers: [{ key: 'h', value: 'v' }] },
  { key: null, value: null },
  { key: 'c', value: 'three' },
];

async function rejects(view: RecordBatchView): Promise<void> {
  await assert.rejects(validateRecordFraming(view), (err) => err instanceof InvalidRecordError && err.code === ErrorCode.CORRUPT_MESSAGE);
}

test('well-formed batches pass, for every codec', async () => {
  for (const compression of Object.values(CompressionType)) {
    await validateRecordFraming(new RecordBatchView(await buildRecordBatch({ records, compression })));
  }
});

test('a record count larger than the records present is corrupt', async () => {
  const buf = await buildRecordBatch({ records });
  buf.writeInt32BE(4, 57); // recordsCount
  await rejects(new RecordBatchView(buf));
});

test('bytes left over after the declared records are corrupt', async () => {
  const buf = await buildRecordBatch({ records });
  buf.writeInt32BE(2, 57);
  await rejects(new RecordBatchView(buf));
});

test('a garbage record length is corrupt', async () => {
  const buf = await buildRecordBatch({ records });
  buf[RECORD_BATCH_HEADER_SIZE] = 0x7e; // zig-zag 63: longer than the records section
  await rejects(new RecordBatchView(buf));
});

test('offset deltas that do not run 0, 1, 2 are corrupt', async () => {
  const buf = await buildRecordBatch({ records: [{ value: 'x' }] });
  // record: length, attributes, timestampDelta (1 byte for 0), offsetDelta
  buf[RECORD_BATCH_HEADER_SIZE + 3] = 2; // zig-zag 1
  await rejects(new RecordBatchView(buf));
});

test('a compressed payload that does not decompress is corrupt', async () => {
  const buf = await buildRecordBatch({ records, compression: CompressionType.gzip });
  buf.fill(0x41, RECORD_BATCH_HEADER_SIZE);
  await rejects(new RecordBatchView(buf));
});

test('multi-byte varints pass: 300 records, large timestamp deltas, a header', async () => {
  const many = Array.from({ length: 300 }, (_, i) => ({
    value: Buffer.alloc(200),
    timestamp: 1_700_000_000_000 + i * 2 ** 40,
    headers: [{ key: 'k', value: 'v' }],
  }));
  await validateRecordFraming(new RecordBatchView(await buildRecordBatch({ records: many })));
});

test('a record whose fields run past its declared length is corrupt, even inside the section', async () => {
  const buf = await buildRecordBatch({ records: [{ value: 'abc' }, { value: 'def' }] });
  // first record's length (1-byte zig-zag) made one shorter: its value now ends past it
  buf[RECORD_BATCH_HEADER_SIZE] -= 2;
  await rejects(new RecordBatchView(buf));
});

test('the walk answers the largest record timestamp, NO_TIMESTAMP (-1) when no record has one', async () => {
  const stamped = [{ value: 'a', timestamp: 5_000 }, { value: 'b', timestamp: 9_000 }, { value: 'c', timestamp: 7_000 }];
  for (const compression of Object.values(CompressionType)) {
    assert.equal(await validateRecordFraming(new RecordBatchView(await buildRecordBatch({ records: stamped, compression }))), 9_000);
  }
  const unstamped = await buildRecordBatch({ records: [{ value: 'a', timestamp: -1 }, { value: 'b', timestamp: -1 }] });
  assert.equal(await validateRecordFraming(new RecordBatchView(unstamped)), -1);
  const logAppend = await buildRecordBatch({ records: stamped, timestampType: 'LogAppendTime', now: 42_000 });
  assert.equal(await validateRecordFraming(new RecordBatchView(logAppend)), new RecordBatchView(logAppend).maxTimestamp);
});
