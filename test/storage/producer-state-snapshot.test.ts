/**
 * Producer snapshot files in Kafka's layout: version 1, CRC32C over the entries, 46-byte
 * entries; round trip, and corruption detected.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { crc32c } from '../../src/protocol/crc32c.ts';
import { CorruptSnapshotError, decodeSnapshot, encodeSnapshot } from '../../src/storage/producer-state/producer-snapshot-file.ts';
import { ProducerStateEntry } from '../../src/storage/producer-state/producer-state-entry.ts';

function entry(): ProducerStateEntry {
  const e = new ProducerStateEntry({ producerId: 1234, producerEpoch: 3, coordinatorEpoch: 7, lastTimestamp: -1, currentTxnFirstOffset: 90 });
  e.addBatch(3, 19, 99, 9, 1_700_000_000_000);
  e.currentTxnFirstOffset = 90;
  return e;
}

test('snapshot bytes follow Kafka layout: version, CRC32C of the rest, entries', () => {
  const bytes = encodeSnapshot([entry()]);
  assert.equal(bytes.length, 2 + 4 + 4 + 46);
  assert.equal(bytes.readInt16BE(0), 1);
  assert.equal(bytes.readUInt32BE(2), crc32c(bytes.subarray(6)));
  assert.equal(bytes.readInt32BE(6), 1);
  assert.equal(bytes.readBigInt64BE(10), 1234n);
  assert.equal(bytes.readInt16BE(18), 3);
  assert.equal(bytes.readInt32BE(20), 19); // lastSequence
  assert.equal(bytes.readBigInt64BE(24), 99n); // lastOffset
  assert.equal(bytes.readInt32BE(32), 9); // offsetDelta
  assert.equal(bytes.readBigInt64BE(36), 1_700_000_000_000n);
  assert.equal(bytes.readInt32BE(44), 7); // coordinatorEpoch
  assert.equal(bytes.readBigInt64BE(48), 90n); // currentTxnFirstOffset
});

test('decode restores the last batch (first/last sequence and offsets) and the transaction state', () => {
  const [e] = decodeSnapshot(encodeSnapshot([entry()]));
  assert.deepEqual([e.producerId, e.producerEpoch, e.coordinatorEpoch, e.currentTxnFirstOffset, e.lastTimestamp], [1234, 3, 7, 90, 1_700_000_000_000]);
  assert.deepEqual(e.batches, [{ firstSeq: 10, lastSeq: 19, firstOffset: 90, lastOffset: 99, timestamp: 1_700_000_000_000 }]);
});

test('a flipped bit, a wrong version or a short file is CorruptSnapshotError', () => {
  const good = encodeSnapshot([entry()]);
  const flipped = Buffer.from(good);
  flipped[30] ^= 1;
  const version = Buffer.from(good);
  version.writeInt16BE(2, 0);
  for (const bad of [flipped, version, good.subarray(0, 4), good.subarray(0, good.length - 3)]) {
    assert.throws(() => decodeSnapshot(bad), CorruptSnapshotError);
  }
});
