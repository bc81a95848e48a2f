import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import type { ProduceResponse } from '../../../src/protocol/generated/produce.ts';
import { encodeMessage } from '../../../src/protocol/records/legacy-message.ts';
import { NO_RESPONSE } from '../../../src/server/api-handler.ts';
import { AcksZeroProduceFailed, createProduceHandler } from '../../../src/server/apis/produce.ts';
import { answer, call, Fixture, records } from '../../replication/helpers.ts';

function produceRequest(topic: string, recs: Buffer | null, opts: { acks?: number; partition?: number; timeoutMs?: number } = {}) {
  return { acks: opts.acks ?? 1, timeoutMs: opts.timeoutMs ?? 1000, topicData: [{ name: topic, partitionData: [{ index: opts.partition ?? 0, records: recs }] }] };
}

async function setup(...topics: Parameters<Fixture['setTopics']>) {
  const f = await Fixture.open();
  await f.setTopics(...topics);
  return { f, handler: createProduceHandler(f.services) };
}

function only(res: ProduceResponse) {
  return res.responses[0].partitionResponses[0];
}

test('advertises Produce 0-11', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 11]);
  await f.close();
});

for (const version of [3, 7, 9, 11]) {
  test(`v${version}: appends and answers baseOffset, logAppendTimeMs -1, logStartOffset`, async () => {
    const { f, handler } = await setup({ name: 't' });
    const first = only(await answer<ProduceResponse>(handler, version, produceRequest('t', await records(3))));
    const second = only(await answer<ProduceResponse>(handler, version, produceRequest('t', await records(2))));
    assert.equal(first.errorCode, ErrorCode.NONE);
    assert.equal(second.baseOffset, 3);
    assert.equal(second.logAppendTimeMs, -1);
    assert.equal(second.logStartOffset, version >= 5 ? 0 : -1);
    assert.equal(f.replicas.getPartition('t', 0)!.highWatermark, 5);
    await f.close();
  });
}

test('LogAppendTime topics answer the append time', async () => {
  const { f, handler } = await setup({ name: 't', configs: { 'message.timestamp.type': 'LogAppendTime' } });
  const res = only(await answer<ProduceResponse>(handler, 8, produceRequest('t', await records(1))));
  assert.equal(res.logAppendTimeMs, f.clock.now());
  await f.close();
});

test('acks=0 answers nothing; a failure closes the connection instead', async () => {
  const { f, handler } = await setup({ name: 't' });
  assert.equal(await call(handler, 7, produceRequest('t', await records(2), { acks: 0 })), NO_RESPONSE);
  assert.equal(f.replicas.getPartition('t', 0)!.logEndOffset, 2);
  await assert.rejects(call(handler, 7, produceRequest('missing', await records(1), { acks: 0 })), AcksZeroProduceFailed);
  await f.close();
});

test('invalid acks: INVALID_REQUIRED_ACKS for every partition, nothing appended', async () => {
  const { f, handler } = await setup({ name: 't' });
  const res = only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(1), { acks: 2 })));
  assert.equal(res.errorCode, ErrorCode.INVALID_REQUIRED_ACKS);
  assert.deepEqual([res.baseOffset, res.logAppendTimeMs, res.logStartOffset], [-1, -1, -1]);
  assert.equal(f.replicas.getPartition('t', 0)!.logEndOffset, 0);
  await f.close();
});

test('unknown topic or partition: UNKNOWN_TOPIC_OR_PARTITION, no topic created', async () => {
  const { f, handler } = await setup({ name: 't' });
  assert.equal(only(await answer<ProduceResponse>(handler, 7, produceRequest('nope', await records(1)))).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(1), { partition: 3 }))).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(f.logs.getLog('nope', 0), undefined);
  await f.close();
});

test('NOT_LEADER_OR_FOLLOWER carries CurrentLeader and NodeEndpoints from v10', async () => {
  const { f, handler } = await setup({ name: 't', leader: 2, leaderEpoch: 7, replicas: [1, 2] });
  const v10 = await answer<ProduceResponse>(handler, 10, produceRequest('t', await records(1)));
  assert.equal(only(v10).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.deepEqual(only(v10).currentLeader, { leaderId: 2, leaderEpoch: 7 });
  assert.deepEqual(v10.nodeEndpoints, [{ nodeId: 2, host: 'other', port: 9093, rack: 'r2' }]);
  assert.equal(only(v10).logStartOffset, -1);
  const v9 = await answer<ProduceResponse>(handler, 9, produceRequest('t', await records(1)));
  assert.deepEqual(only(v9).currentLeader, { leaderId: -1, leaderEpoch: -1 });
  await f.close();
});

test('v3+: not exactly one v2 batch is INVALID_RECORD; zstd before v7 UNSUPPORTED_COMPRESSION_TYPE', async () => {
  const { f, handler } = await setup({ name: 't' });
  const two = Buffer.concat([await records(1), await records(1)]);
  assert.equal(only(await answer<ProduceResponse>(handler, 3, produceRequest('t', two))).errorCode, ErrorCode.INVALID_RECORD);
  assert.equal(only(await answer<ProduceResponse>(handler, 3, produceRequest('t', Buffer.alloc(0)))).errorCode, ErrorCode.INVALID_RECORD);
  const legacy = encodeMessage({ offset: 0, magic: 1, attributes: 0, timestamp: 1, key: null, value: Buffer.from('x') });
  assert.equal(only(await answer<ProduceResponse>(handler, 3, produceRequest('t', legacy))).errorCode, ErrorCode.INVALID_RECORD);
  const zstd = await records(2, { compression: 4 });
  assert.equal(only(await answer<ProduceResponse>(handler, 6, produceRequest('t', zstd))).errorCode, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  assert.equal(only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(2, { compression: 4 })))).errorCode, ErrorCode.NONE);
  await f.close();
});

test('v0-2 accept magic 0/1 message sets (up-converted)', async () => {
  const { f, handler } = await setup({ name: 't' });
  const set = Buffer.concat([0, 1].map((i) => encodeMessage({ offset: i, magic: 0, attributes: 0, timestamp: -1, key: null, value: Buffer.from(`m${i}`) })));
  for (const version of [0, 1, 2]) {
    const res = await answer<ProduceResponse>(handler, version, produceRequest('t', Buffer.from(set)));
    assert.equal(only(res).errorCode, ErrorCode.NONE);
    assert.equal(only(res).baseOffset, version * 2);
  }
  await f.close();
});

test('INVALID_TIMESTAMP carries recordErrors and errorMessage (v8+), logStartOffset', async () => {
  const { f, handler } = await setup({ name: 't' });
  const res = only(await answer<ProduceResponse>(handler, 8, produceRequest('t', await records(2, { ts: f.clock.now() + 2 * 3_600_000 }))));
  assert.equal(res.errorCode, ErrorCode.INVALID_TIMESTAMP);
  assert.deepEqual(res.recordErrors.map((e) => e.batchIndex), [0, 1]);
  assert.equal(res.errorMessage, 'One or more records have been rejected due to invalid timestamp');
  assert.equal(res.logStartOffset, 0);
  assert.equal(res.baseOffset, -1);
  await f.close();
});

test('MESSAGE_TOO_LARGE and CORRUPT_MESSAGE answer logStartOffset -1', async () => {
  const { f, handler } = await setup({ name: 't', configs: { 'max.message.bytes': '100' } });
  const big = only(await answer<ProduceResponse>(handler, 8, produceRequest('t', await records(1, { valueBytes: 200 }))));
  assert.deepEqual([big.errorCode, big.logStartOffset, big.errorMessage], [ErrorCode.MESSAGE_TOO_LARGE, -1, null]);
  const corrupt = await records(1);
  corrupt[corrupt.length - 1] ^= 1;
  assert.equal(only(await answer<ProduceResponse>(handler, 8, produceRequest('t', corrupt))).errorCode, ErrorCode.CORRUPT_MESSAGE);
  await f.close();
});

test('idempotent batches: a retried batch is answered with its original base offset', async () => {
  const { f, handler } = await setup({ name: 't' });
  const batch = () => records(1, { producerId: 1, producerEpoch: 0, baseSequence: 0 });
  await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(3)));
  const res = only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await batch(), { acks: -1 })));
  const retry = only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await batch(), { acks: -1 })));
  assert.deepEqual([res.errorCode, res.baseOffset], [ErrorCode.NONE, 3]);
  assert.deepEqual([retry.errorCode, retry.baseOffset, retry.logAppendTimeMs], [ErrorCode.NONE, 3, -1]);
  await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(1, { producerId: 1, producerEpoch: 1, baseSequence: 0 })));
  const older = only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(1, { producerId: 1, producerEpoch: 0, baseSequence: 1 }))));
  assert.deepEqual([older.errorCode, older.baseOffset, older.logStartOffset], [ErrorCode.INVALID_PRODUCER_EPOCH, -1, 0]);
  await f.close();
});

test('acks=-1 waits for the followers in the ISR: REQUEST_TIMED_OUT, or NONE once they catch up', async () => {
  const { f, handler } = await setup({ name: 't', replicas: [1, 2], isr: [1, 2] });
  const timedOut = only(await answer<ProduceResponse>(handler, 7, produceRequest('t', await records(2), { acks: -1, timeoutMs: 5 })));
  assert.equal(timedOut.errorCode, ErrorCode.REQUEST_TIMED_OUT);
  assert.equal(timedOut.baseOffset, 0);
  const pending = answer<ProduceResponse>(handler, 7, produceRequest('t', await records(1), { acks: -1, timeoutMs: 60_000 }));
  const p = f.replicas.getPartition('t', 0)!;
  while (p.logEndOffset < 3) await new Promise((r) => setImmediate(r));
  p.updateFollowerFetchState(2, 3);
  const done = only(await pending);
  assert.equal(done.errorCode, ErrorCode.NONE);
  assert.equal(done.baseOffset, 2);
  await f.close();
});

test('internal topics: INVALID_TOPIC_EXCEPTION unless the client id is __admin_client', async () => {
  const { f, handler } = await setup({ name: '__consumer_offsets', isInternal: true });
  const refused = only(await answer<ProduceResponse>(handler, 7, produceRequest('__consumer_offsets', await records(1))));
  assert.deepEqual([refused.errorCode, refused.logStartOffset], [ErrorCode.INVALID_TOPIC_EXCEPTION, -1]);
  const admin = only(await answer<ProduceResponse>(handler, 7, produceRequest('__consumer_offsets', await records(1)), { clientId: '__admin_client' }));
  assert.equal(admin.errorCode, ErrorCode.NONE);
  await f.close();
});
