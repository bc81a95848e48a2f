import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from '../../../src/protocol/crc32c.ts';
import { CompressionType } from '../../../src/protocol/records/batch-layout.ts';
import { RecordBatchView } from '../../../src/protocol/records/batch.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import { InvalidRecordError } from '../../../src/protocol/records/invalid-record-error.ts';
import { downConvertToMagic, upConvertMessageSet } from '../../../src/protocol/records/legacy.ts';
import { readRecords } from '../../../src/protocol/records/record.ts';

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(original: Buffer, from: number, random: () => number): Buffer {
  const b = Buffer.from(original);
  const flips = 1 + Math.floor(random() * 4);
  for (let i = 0; i < flips; i++) b[from + Math.floor(random() * (b.length - from))] = Math.floor(random() * 256);
  return b;
}

async function onlyInvalidRecordErrors(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    assert.ok(err instanceof InvalidRecordError, `unexpected ${String(err)}`);
  }
}

const records = [
  { key: 'k', value: 'v'.repeat(40), headers: [{ key: 'h', value: 'x' }], timestamp: 1_700_000_000_000 },
  { key: null, value: null, timestamp: 1_700_000_000_001 },
  { key: 'k2', value: 'w'.repeat(10), timestamp: 1_700_000_000_002 },
];

test('mutated records sections decode or fail with InvalidRecordError, nothing else', async () => {
  const random = prng(42);
  for (const codec of [CompressionType.none, CompressionType.gzip, CompressionType.snappy, CompressionType.lz4, CompressionType.zstd]) {
    const batch = await buildRecordBatch({ records, compression: codec });
    for (let i = 0; i < 300; i++) {
      const view = new RecordBatchView(mutate(batch, 57, random));
      await onlyInvalidRecordErrors(() => readRecords(view));
    }
  }
});

test('mutated legacy message sets convert or fail with InvalidRecordError, nothing else', async () => {
  const random = prng(7);
  const batch = await buildRecordBatch({ records, compression: CompressionType.gzip });
  for (const magic of [0, 1] as const) {
    const set = await downConvertToMagic(batch, magic);
    for (let i = 0; i < 300; i++) {
      await onlyInvalidRecordErrors(() => upConvertMessageSet(mutate(set, 0, random)));
      // Also past the CRC: mutate the wrapper body and re-sign it, so decompression and
      // the inner message set see the damage.
      const resigned = mutate(set, 17, random);
      resigned.writeUInt32BE(crc32(resigned.subarray(16)), 12);
      await onlyInvalidRecordErrors(() => upConvertMessageSet(resigned));
    }
  }
});
