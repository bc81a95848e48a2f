/**
 * Property: for any sequence of keyed writes (values and tombstones, any batching and
 * codec), the cleaned log equals the model — each key's latest write, in offset order —
 * and after delete.retention.ms a second pass leaves no tombstone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../src/clock.ts';
import { CompressionType, type CompressionCodecId } from '../../src/protocol/records/batch-layout.ts';
import { compactConfig, DAY_MS, latestPerKey, openManager, readAll, writeKeyed, type KeyedWrite } from './cleaner-helpers.ts';
import { tempDir } from './helpers.ts';

const write = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
  value: fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: null, freq: 4 }),
});
const codec = fc.constantFrom<CompressionCodecId>(...Object.values(CompressionType));

test('cleaned log = latest write per key in offset order; tombstones gone after delete.retention.ms', async () => {
  const root = await tempDir();
  let run = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(write, { minLength: 1, maxLength: 120 }), fc.integer({ min: 1, max: 7 }), codec, fc.integer({ min: 300, max: 2048 }), async (writes: KeyedWrite[], perBatch, compression, segmentBytes) => {
      const clock = new ManualClock();
      const manager = await openManager(`${root}/${run++}`, clock, compactConfig({ segmentBytes, deleteRetentionMs: DAY_MS }));
      try {
        const log = await manager.getOrCreateLog('t', 0);
        await writeKeyed(log, writes, { perBatch, compression });
        await log.roll();
        await manager.cleaner.cleanNow();
        assert.deepEqual(await readAll(log), latestPerKey(writes, true));
        clock.advance(DAY_MS);
        await manager.cleaner.cleanNow();
        assert.deepEqual(await readAll(log), latestPerKey(writes, false));
        assert.equal(log.logEndOffset, writes.length);
      } finally {
        await manager.close();
      }
    }),
    { numRuns: 60 },
  );
});
