import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRecordsBatch, readRecordsBatch, Reader } from '@platformatic/kafka';
import { CompressionType, type CompressionCodecId } from '../../../src/protocol/records/batch-layout.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import { readRecords } from '../../../src/protocol/records/record.ts';
import { splitBatches } from '../../../src/protocol/records/validate.ts';

// A second, independent encoder/decoder (its snappy is raw, its lz4 a standard frame, both
// from WebAssembly builds; zstd/gzip from zlib): batches cross in both directions.
const codecs = [
  ['none', CompressionType.none],
  ['gzip', CompressionType.gzip],
  ['snappy', CompressionType.snappy],
  ['lz4', CompressionType.lz4],
  ['zstd', CompressionType.zstd],
] as const satisfies readonly (readonly [string, CompressionCodecId])[];

const value = 'payload '.repeat(200);

for (const [name, codec] of codecs) {
  test(`${name}: a batch built by @platformatic/kafka validates and decodes`, async () => {
    const messages = [
      { topic: 't', key: Buffer.from('k1'), value: Buffer.from(value), timestamp: 1_700_000_000_000n, headers: new Map([[Buffer.from('h'), Buffer.from('x')]]) },
      { topic: 't', key: Buffer.from('k2'), value: Buffer.from('small'), timestamp: 1_700_000_000_007n },
    ];
    const buf = createRecordsBatch(messages, { compression: name }).buffer;
    const result = splitBatches(buf, { maxBatchBytes: 1 << 20 });
    assert.equal(result.ok, true, result.ok ? '' : result.message);
    if (!result.ok) return;
    const [view] = result.batches;
    assert.equal(view.compression, codec);
    const records = await readRecords(view);
    assert.deepEqual(records.map((r) => [r.offset, r.timestamp, r.key?.toString(), r.value?.toString()]), [
      [0, 1_700_000_000_000, 'k1', value],
      [1, 1_700_000_000_007, 'k2', 'small'],
    ]);
    assert.deepEqual(records[0].headers.map((h) => [h.key, h.value?.toString()]), [['h', 'x']]);
  });

  test(`${name}: @platformatic/kafka decodes a batch we built`, async () => {
    const buf = await buildRecordBatch({
      records: [{ key: 'k1', value, timestamp: 1_700_000_000_000, headers: [{ key: 'h', value: 'x' }] }, { key: null, value: 'small', timestamp: 1_700_000_000_003 }],
      compression: codec,
      baseOffset: 7,
    });
    const batch = readRecordsBatch(Reader.from(buf));
    assert.equal(batch.firstOffset, 7n);
    assert.deepEqual(batch.records.map((r) => [r.offsetDelta, r.value?.toString()]), [[0, value], [1, 'small']]);
  });
}
