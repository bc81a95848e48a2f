import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { encodeMessage } from '../../src/protocol/records/legacy-message.ts';
import { readRecords } from '../../src/protocol/records/record.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { Fixture, records, type TopicSpec } from './helpers.ts';

async function partitionOf(spec: TopicSpec, props?: Record<string, string>) {
  const f = await Fixture.open({ props });
  await f.setTopics(spec);
  return { f, p: f.replicas.getPartition(spec.name, 0)! };
}

test('leader append assigns offsets and moves the HW to the log end (ISR = this node)', async () => {
  const { f, p } = await partitionOf({ name: 't', leaderEpoch: 4 });
  const first = await p.appendRecordsToLeader(await records(3), { requiredAcks: 1 });
  assert.ok(first.ok);
  assert.equal(first.info.firstOffset, 0);
  assert.equal(first.info.lastOffset, 2);
  assert.equal(first.info.logAppendTime, -1);
  const second = await p.appendRecordsToLeader(await records(2), { requiredAcks: -1 });
  assert.ok(second.ok);
  assert.equal(second.info.firstOffset, 3);
  assert.equal(p.highWatermark, 5);
  assert.equal(p.lastStableOffset, 5);
  const read = await p.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'uncommitted' });
  assert.equal(new RecordBatchView(read.records.subarray(0, read.records.readInt32BE(8) + 12)).partitionLeaderEpoch, 4);
  assert.ok(p.visibleBytes > 0);
  await f.close();
});

test('a follower or removed partition refuses appends with NOT_LEADER_OR_FOLLOWER', async () => {
  const { f, p } = await partitionOf({ name: 't', leader: 2, replicas: [1, 2] });
  const out = await p.appendRecordsToLeader(await records(1), { requiredAcks: 1 });
  assert.ok(!out.ok);
  assert.equal(out.failure.error, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  await f.close();
});

test('acks=-1 with an ISR smaller than min.insync.replicas: NOT_ENOUGH_REPLICAS; acks=1 still appends', async () => {
  const { f, p } = await partitionOf({ name: 't', replicas: [1, 2], isr: [1], configs: { 'min.insync.replicas': '2' } });
  const all = await p.appendRecordsToLeader(await records(1), { requiredAcks: -1 });
  assert.ok(!all.ok);
  assert.equal(all.failure.error, ErrorCode.NOT_ENOUGH_REPLICAS);
  assert.equal(all.logStartOffset, 0);
  assert.ok((await p.appendRecordsToLeader(await records(1), { requiredAcks: 1 })).ok);
  await f.close();
});

test('HW is the minimum LEO over the ISR and wakes watchers when it moves', async () => {
  const { f, p } = await partitionOf({ name: 't', replicas: [1, 2], isr: [1, 2] });
  await p.appendRecordsToLeader(await records(4), { requiredAcks: 1 });
  assert.equal(p.highWatermark, 0);
  assert.equal(p.visibleBytes, 0);
  let calls = 0;
  p.watch(() => calls++);
  p.updateFollowerFetchState(2, 3);
  assert.equal(p.highWatermark, 3);
  assert.equal(p.visibleBytes, 0, 'the append is not wholly visible yet');
  p.updateFollowerFetchState(2, 4);
  assert.equal(p.highWatermark, 4);
  assert.ok(p.visibleBytes > 0);
  assert.equal(calls, 2);
  p.updateFollowerFetchState(3, 10); // not a replica: ignored
  assert.equal(p.highWatermark, 4);
  await f.close();
});

test('batches above max.message.bytes: MESSAGE_TOO_LARGE; a bad CRC: CORRUPT_MESSAGE', async () => {
  const { f, p } = await partitionOf({ name: 't', configs: { 'max.message.bytes': '200' } });
  const big = await p.appendRecordsToLeader(await records(1, { valueBytes: 300 }), { requiredAcks: 1 });
  assert.ok(!big.ok);
  assert.equal(big.failure.error, ErrorCode.MESSAGE_TOO_LARGE);
  const corrupt = await records(1);
  corrupt[corrupt.length - 1] ^= 0xff;
  const bad = await p.appendRecordsToLeader(corrupt, { requiredAcks: 1 });
  assert.ok(!bad.ok);
  assert.equal(bad.failure.error, ErrorCode.CORRUPT_MESSAGE);
  assert.equal(p.logEndOffset, 0);
  await f.close();
});

test('CreateTime outside message.timestamp.after/before.max.ms: INVALID_TIMESTAMP with per-record errors', async () => {
  const { f, p } = await partitionOf({ name: 't', configs: { 'message.timestamp.before.max.ms': '1000', 'message.timestamp.after.max.ms': '1000' } });
  const now = f.clock.now();
  const batch = await buildRecordBatch({ records: [{ value: 'ok', timestamp: now }, { value: 'late', timestamp: now + 5000 }, { value: 'old', timestamp: now - 5000 }], compression: 1 });
  const out = await p.appendRecordsToLeader(batch, { requiredAcks: 1 });
  assert.ok(!out.ok);
  assert.equal(out.failure.error, ErrorCode.INVALID_TIMESTAMP);
  assert.equal(out.failure.message, 'One or more records have been rejected due to invalid timestamp');
  assert.deepEqual(out.failure.recordErrors.map((e) => e.batchIndex), [1, 2]);
  assert.match(out.failure.recordErrors[0].message, new RegExp(`^Timestamp ${now + 5000} of message with offset 1 is out of range. The timestamp should be within \\[${now - 1000}, ${now + 1000}\\]$`));
  assert.equal(p.logEndOffset, 0);
  await f.close();
});

test('default timestamp bounds: only the future bound applies', async () => {
  const { f, p } = await partitionOf({ name: 't' });
  const now = f.clock.now();
  assert.ok((await p.appendRecordsToLeader(await buildRecordBatch({ records: [{ value: 'ancient', timestamp: 1 }] }), { requiredAcks: 1 })).ok);
  const future = await p.appendRecordsToLeader(await buildRecordBatch({ records: [{ value: 'x', timestamp: now + 3_600_001 }] }), { requiredAcks: 1 });
  assert.ok(!future.ok);
  assert.equal(future.failure.error, ErrorCode.INVALID_TIMESTAMP);
  await f.close();
});

test('LogAppendTime topics stamp the broker time and skip CreateTime checks', async () => {
  const { f, p } = await partitionOf({ name: 't', configs: { 'message.timestamp.type': 'LogAppendTime' } });
  const out = await p.appendRecordsToLeader(await buildRecordBatch({ records: [{ value: 'x', timestamp: f.clock.now() + 10 * 3_600_000 }] }), { requiredAcks: 1 });
  assert.ok(out.ok);
  assert.equal(out.info.logAppendTime, f.clock.now());
  const read = await p.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'uncommitted' });
  const view = new RecordBatchView(read.records);
  assert.equal(view.timestampType, 'LogAppendTime');
  assert.equal(view.maxTimestamp, f.clock.now());
  assert.ok(view.isCrcValid());
  await f.close();
});

test('compacted topics refuse keyless records (INVALID_RECORD with record errors)', async () => {
  const { f, p } = await partitionOf({ name: 't', configs: { 'cleanup.policy': 'compact' } });
  const out = await p.appendRecordsToLeader(await buildRecordBatch({ records: [{ key: 'k', value: 'a' }, { value: 'b' }], now: f.clock.now() }), { requiredAcks: 1 });
  assert.ok(!out.ok);
  assert.equal(out.failure.error, ErrorCode.INVALID_RECORD);
  assert.deepEqual(out.failure.recordErrors, [{ batchIndex: 1, message: 'Compacted topic cannot accept message without key in topic partition t-0.' }]);
  assert.match(out.failure.message ?? '', /1 record errors in total/);
  assert.ok((await p.appendRecordsToLeader(await buildRecordBatch({ records: [{ key: 'k', value: 'a' }], now: f.clock.now() }), { requiredAcks: 1 })).ok);
  await f.close();
});

test('idempotent batches: a retry gets the original offsets, a gap is OUT_OF_ORDER, transactional ones are refused', async () => {
  const { f, p } = await partitionOf({ name: 't' });
  const first = await records(2, { producerId: 5, producerEpoch: 0, baseSequence: 0 });
  const appended = await p.appendRecordsToLeader(first, { requiredAcks: -1 });
  assert.ok(appended.ok && !appended.info.duplicate);
  const retry = await p.appendRecordsToLeader(await records(2, { producerId: 5, producerEpoch: 0, baseSequence: 0 }), { requiredAcks: -1 });
  assert.ok(retry.ok);
  assert.deepEqual([retry.info.duplicate, retry.info.firstOffset, retry.info.lastOffset], [true, 0, 1]);
  const gap = await p.appendRecordsToLeader(await records(1, { producerId: 5, producerEpoch: 0, baseSequence: 5 }), { requiredAcks: -1 });
  assert.ok(!gap.ok);
  assert.equal(gap.failure.error, ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
  const txn = await p.appendRecordsToLeader(await records(1, { producerId: 6, producerEpoch: 0, baseSequence: 0, isTransactional: true }), { requiredAcks: -1 });
  assert.ok(!txn.ok);
  assert.equal(txn.failure.error, ErrorCode.INVALID_PRODUCER_ID_MAPPING);
  assert.equal(p.logEndOffset, 2);
  await f.close();
});

test('legacy magic 0/1 message sets are up-converted to one v2 batch', async () => {
  const { f, p } = await partitionOf({ name: 't' });
  const set = Buffer.concat([
    encodeMessage({ offset: 0, magic: 1, attributes: 0, timestamp: 1_000, key: Buffer.from('a'), value: Buffer.from('one') }),
    encodeMessage({ offset: 1, magic: 1, attributes: 0, timestamp: 2_000, key: null, value: Buffer.from('two') }),
  ]);
  const out = await p.appendRecordsToLeader(set, { requiredAcks: 1 });
  assert.ok(out.ok);
  assert.equal(out.info.lastOffset, 1);
  const read = await p.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'uncommitted' });
  const recs = await readRecords(new RecordBatchView(read.records));
  assert.deepEqual(recs.map((r) => [r.offset, r.timestamp, r.value?.toString()]), [[0, 1_000, 'one'], [1, 2_000, 'two']]);
  await f.close();
});

test('legacy messages larger than max.message.bytes: MESSAGE_TOO_LARGE', async () => {
  const { f, p } = await partitionOf({ name: 't', configs: { 'max.message.bytes': '100' } });
  const set = encodeMessage({ offset: 0, magic: 0, attributes: 0, timestamp: -1, key: null, value: Buffer.alloc(200) });
  const out = await p.appendRecordsToLeader(set, { requiredAcks: 1 });
  assert.ok(!out.ok);
  assert.equal(out.failure.error, ErrorCode.MESSAGE_TOO_LARGE);
  await f.close();
});

test('checkLeaderEpoch: FENCED when older, UNKNOWN when newer, -1 skips the check', async () => {
  const { f, p } = await partitionOf({ name: 't', leaderEpoch: 5 });
  assert.equal(p.checkLeaderEpoch(4, true), ErrorCode.FENCED_LEADER_EPOCH);
  assert.equal(p.checkLeaderEpoch(6, true), ErrorCode.UNKNOWN_LEADER_EPOCH);
  assert.equal(p.checkLeaderEpoch(5, true), ErrorCode.NONE);
  assert.equal(p.checkLeaderEpoch(-1, true), ErrorCode.NONE);
  await f.close();
});

test('log failures become KAFKA_STORAGE_ERROR instead of failing the request', async () => {
  const { f, p } = await partitionOf({ name: 't' });
  assert.ok((await p.appendRecordsToLeader(await records(2, { ts: f.clock.now() }), { requiredAcks: 1 })).ok);
  await p.log.close();
  const out = await p.appendRecordsToLeader(await records(1, { ts: f.clock.now() }), { requiredAcks: 1 });
  assert.ok(!out.ok);
  assert.equal(out.failure.error, ErrorCode.KAFKA_STORAGE_ERROR);
  const read = await p.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'uncommitted' });
  assert.equal(read.error, ErrorCode.KAFKA_STORAGE_ERROR);
  p.markRemoved();
  assert.equal(p.storageErrorCode(new Error('closed')), ErrorCode.NOT_LEADER_OR_FOLLOWER);
  await f.close();
});

test('compression.type other than producer re-encodes batches in another codec, keeping the records', async () => {
  for (const [topicCodec, sent, stored] of [['gzip', 0, 1], ['uncompressed', 3, 0], ['snappy', 2, 2], ['producer', 4, 4]] as const) {
    const { f, p } = await partitionOf({ name: 't', configs: { 'compression.type': topicCodec } });
    const batch = await buildRecordBatch({
      records: [{ key: 'a', value: 'one', headers: [{ key: 'h', value: 'x' }], timestamp: 10 }, { key: null, value: 'two', timestamp: 20 }],
      compression: sent,
    });
    const out = await p.appendRecordsToLeader(batch, { requiredAcks: 1 });
    assert.ok(out.ok, topicCodec);
    const read = await p.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'uncommitted' });
    const view = new RecordBatchView(read.records);
    assert.equal(view.compression, stored, topicCodec);
    assert.ok(view.isCrcValid());
    const recs = await readRecords(view);
    assert.deepEqual(recs.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString(), r.headers.map((h) => h.key)]),
      [[0, 10, 'a', 'one', ['h']], [1, 20, null, 'two', []]]);
    await f.close();
  }
});
