import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { encodeFetchResponse, type FetchResponse, type FetchResponsePartitionData } from '../../../src/protocol/generated/fetch.ts';
import { Writer } from '../../../src/protocol/writer.ts';
import { parseMessageSet } from '../../../src/protocol/records/legacy-message.ts';
import { createFetchHandler } from '../../../src/server/apis/fetch.ts';
import { processProduceBacklog, YIELD_EVERY_BYTES, YIELD_WAIT_MS_MAX } from '../../../src/server/produce-backlog.ts';
import { answer, Fixture, records, type TopicSpec } from '../../replication/helpers.ts';

interface Part {
  topic: string;
  topicId?: string;
  partition?: number;
  fetchOffset?: number;
  maxBytes?: number;
  currentLeaderEpoch?: number;
}

interface Opts {
  maxWaitMs?: number;
  minBytes?: number;
  maxBytes?: number;
  isolationLevel?: number;
  sessionId?: number;
  sessionEpoch?: number;
  forgotten?: { topic: string; topicId?: string; partitions: number[] }[];
  replicaId?: number;
}

function fetchRequest(parts: Part[], opts: Opts = {}) {
  const topics: { topic: string; topicId: string; partitions: object[] }[] = [];
  for (const p of parts) {
    let t = topics.find((x) => x.topic === p.topic && x.topicId === (p.topicId ?? ''));
    if (t === undefined) topics.push((t = { topic: p.topic, topicId: p.topicId ?? '', partitions: [] }));
    t.partitions.push({ partition: p.partition ?? 0, fetchOffset: p.fetchOffset ?? 0, partitionMaxBytes: p.maxBytes ?? 1 << 20, currentLeaderEpoch: p.currentLeaderEpoch ?? -1 });
  }
  return {
    replicaId: opts.replicaId ?? -1,
    replicaState: { replicaId: opts.replicaId ?? -1, replicaEpoch: -1 },
    maxWaitMs: opts.maxWaitMs ?? 0,
    minBytes: opts.minBytes ?? 1,
    maxBytes: opts.maxBytes ?? 50 << 20,
    isolationLevel: opts.isolationLevel ?? 0,
    sessionId: opts.sessionId ?? 0,
    sessionEpoch: opts.sessionEpoch ?? -1,
    topics: topics.map((t) => ({ ...t, topicId: t.topicId === '' ? 'AAAAAAAAAAAAAAAAAAAAAA' : t.topicId })),
    forgottenTopicsData: (opts.forgotten ?? []).map((t) => ({ topic: t.topic, topicId: t.topicId ?? 'AAAAAAAAAAAAAAAAAAAAAA', partitions: t.partitions })),
  };
}

async function setup(...topics: TopicSpec[]) {
  const f = await Fixture.open();
  await f.setTopics(...topics);
  const handler = createFetchHandler(f.services);
  const fetch = (version: number, parts: Part[], opts?: Opts) => answer<FetchResponse>(handler, version, fetchRequest(parts, opts));
  const append = async (topic: string, count: number, opts: Parameters<typeof records>[1] = {}, partition = 0) => {
    const out = await f.replicas.getPartition(topic, partition)!.appendRecordsToLeader(await records(count, { ts: f.clock.now(), ...opts }), { requiredAcks: 1 });
    assert.ok(out.ok);
    return out.info;
  };
  return { f, handler, fetch, append };
}

function part(res: FetchResponse, topicIndex = 0, partitionIndex = 0): FetchResponsePartitionData {
  return res.responses[topicIndex].partitions[partitionIndex];
}

test('advertises Fetch 0-17', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 17]);
  await f.close();
});

for (const version of [4, 11, 12, 15, 17]) {
  test(`v${version}: returns the stored batches with HW, LSO, log start; aborted list null/empty by isolation`, async () => {
    const { f, fetch, append } = await setup({ name: 't' });
    await append('t', 3);
    await append('t', 2);
    const ids = version >= 13 ? { topicId: f.image.topic('t')!.topicId } : {};
    const res = await fetch(version, [{ topic: 't', ...ids }]);
    const p = part(res);
    assert.equal(p.errorCode, ErrorCode.NONE);
    assert.deepEqual([p.highWatermark, p.lastStableOffset, p.logStartOffset], [5, 5, version >= 5 ? 0 : -1]);
    const stored = await f.logs.getLog('t', 0)!.read({ offset: 0, maxBytes: 1 << 20, maxOffset: 5, minOneBatch: true });
    assert.ok(stored.kind === 'records');
    assert.deepEqual(p.records, stored.records);
    assert.equal(p.abortedTransactions, null);
    assert.equal(p.preferredReadReplica, -1);
    const committed = part(await fetch(version, [{ topic: 't', ...ids }], { isolationLevel: 1 }));
    assert.deepEqual(committed.abortedTransactions, []);
    await f.close();
  });
}

test('records are handed to the response by reference and empty results are empty, not null', async () => {
  const { f, handler, fetch, append } = await setup({ name: 't' });
  await append('t', 2, { valueBytes: 4096 }); // large enough for the writer to keep it by reference
  const direct = await handler.handle(fetchRequest([{ topic: 't' }]) as never, { apiKey: 1, apiVersion: 11, correlationId: 1, clientId: null, connectionId: 'c', clientHost: 'h', listenerName: 'PLAINTEXT' });
  assert.ok(typeof direct === 'object');
  const stored = direct.responses[0].partitions[0].records!;
  assert.ok(stored.length > 0);
  const w = new Writer();
  encodeFetchResponse(w, 11, direct);
  assert.ok(w.toChunks().some((chunk) => chunk === stored), 'the read buffer itself is a chunk of the response');
  const empty = part(await fetch(11, [{ topic: 't', fetchOffset: 2 }]));
  assert.notEqual(empty.records, null);
  assert.equal(empty.records!.length, 0);
  await f.close();
});

test('fetch offset at the log end: empty; past it or before the start: OFFSET_OUT_OF_RANGE', async () => {
  const { f, fetch, append } = await setup({ name: 't' });
  await append('t', 2);
  const atEnd = part(await fetch(11, [{ topic: 't', fetchOffset: 2 }]));
  assert.deepEqual([atEnd.errorCode, atEnd.records?.length, atEnd.highWatermark], [ErrorCode.NONE, 0, 2]);
  const past = part(await fetch(11, [{ topic: 't', fetchOffset: 3 }]));
  assert.deepEqual([past.errorCode, past.highWatermark, past.logStartOffset, past.records?.length], [ErrorCode.OFFSET_OUT_OF_RANGE, -1, -1, 0]);
  await f.close();
});

test('unknown topics: UNKNOWN_TOPIC_OR_PARTITION by name, UNKNOWN_TOPIC_ID by id (v13+)', async () => {
  const { f, fetch } = await setup({ name: 't' });
  assert.equal(part(await fetch(12, [{ topic: 'nope' }])).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  assert.equal(part(await fetch(12, [{ topic: 't', partition: 9 }])).errorCode, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  const res = await fetch(13, [{ topic: '', topicId: 'unknownAAAAAAAAAAAAAAA' }]);
  assert.equal(res.responses[0].topicId, 'unknownAAAAAAAAAAAAAAA');
  assert.equal(part(res).errorCode, ErrorCode.UNKNOWN_TOPIC_ID);
  await f.close();
});

test('not the leader: NOT_LEADER_OR_FOLLOWER with CurrentLeader (v12+) and NodeEndpoints (v16+)', async () => {
  const { f, fetch } = await setup({ name: 't', leader: 2, leaderEpoch: 3, replicas: [1, 2] });
  const v16 = await fetch(16, [{ topic: 't', topicId: f.image.topic('t')!.topicId }]);
  assert.equal(part(v16).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.deepEqual(part(v16).currentLeader, { leaderId: 2, leaderEpoch: 3 });
  assert.deepEqual(v16.nodeEndpoints, [{ nodeId: 2, host: 'other', port: 9093, rack: 'r2' }]);
  assert.equal(part(await fetch(11, [{ topic: 't' }])).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  await f.close();
});

test('currentLeaderEpoch: FENCED_LEADER_EPOCH when older, UNKNOWN_LEADER_EPOCH when newer', async () => {
  const { f, fetch } = await setup({ name: 't', leaderEpoch: 5 });
  assert.equal(part(await fetch(12, [{ topic: 't', currentLeaderEpoch: 4 }])).errorCode, ErrorCode.FENCED_LEADER_EPOCH);
  assert.deepEqual(part(await fetch(12, [{ topic: 't', currentLeaderEpoch: 4 }])).currentLeader, { leaderId: 1, leaderEpoch: 5 });
  assert.equal(part(await fetch(12, [{ topic: 't', currentLeaderEpoch: 6 }])).errorCode, ErrorCode.UNKNOWN_LEADER_EPOCH);
  assert.equal(part(await fetch(12, [{ topic: 't', currentLeaderEpoch: 5 }])).errorCode, ErrorCode.NONE);
  await f.close();
});

test('the first partition returns a whole batch larger than both limits; later ones respect what is left', async () => {
  const { f, fetch, append } = await setup({ name: 't', partitions: 2 });
  await append('t', 5, { valueBytes: 100 }, 0);
  await append('t', 5, { valueBytes: 100 }, 1);
  const res = await fetch(11, [{ topic: 't', partition: 0, maxBytes: 10 }, { topic: 't', partition: 1, maxBytes: 10 }], { maxBytes: 10 });
  const [p0, p1] = res.responses[0].partitions;
  assert.ok(p0.records!.length > 500, 'whole first batch despite 10-byte limits');
  assert.equal(p1.records!.length, 0);
  const hard = part(await fetch(2, [{ topic: 't', partition: 0, maxBytes: 10 }]));
  assert.equal(hard.records!.length, 0, 'v0-2 limits are hard');
  await f.close();
});

test('response maxBytes is capped by fetch.max.bytes', async () => {
  const f = await Fixture.open({ props: { 'fetch.max.bytes': '1024' } });
  await f.setTopics({ name: 't' });
  const p = f.replicas.getPartition('t', 0)!;
  for (let i = 0; i < 4; i++) await p.appendRecordsToLeader(await records(3, { ts: f.clock.now(), valueBytes: 200 }), { requiredAcks: 1 });
  const res = await answer<FetchResponse>(createFetchHandler(f.services), 11, fetchRequest([{ topic: 't' }]));
  const got = part(res).records!.length;
  assert.ok(got > 0 && got <= 1024, `got ${got} bytes`);
  await f.close();
});

test('a fetch from the middle of a batch returns that whole batch', async () => {
  const { f, fetch, append } = await setup({ name: 't' });
  await append('t', 3);
  await append('t', 3);
  const p = part(await fetch(11, [{ topic: 't', fetchOffset: 4 }]));
  assert.equal(p.records!.readBigInt64BE(0), 3n, 'starts at the base offset of the batch holding 4');
  await f.close();
});

test('consumers read up to the HW; a follower fetch reads to the log end and moves the HW', async () => {
  const { f, fetch, append } = await setup({ name: 't', replicas: [1, 2], isr: [1, 2] });
  await append('t', 3);
  const consumer = part(await fetch(11, [{ topic: 't' }]));
  assert.deepEqual([consumer.highWatermark, consumer.records!.length], [0, 0]);
  const follower = part(await fetch(11, [{ topic: 't' }], { replicaId: 2 }));
  assert.ok(follower.records!.length > 0);
  await fetch(11, [{ topic: 't', fetchOffset: 3 }], { replicaId: 2 });
  assert.equal(part(await fetch(11, [{ topic: 't' }])).highWatermark, 3);
  await f.close();
});

test('v0-3 get message format v0/v1; v4-9 cannot read zstd; down-conversion can be disabled', async () => {
  const { f, fetch, append } = await setup({ name: 't' }, { name: 'z' }, { name: 'nodown', configs: { 'message.downconversion.enable': 'false' } });
  await append('t', 3);
  for (const [version, magic] of [[0, 0], [1, 0], [2, 1], [3, 1]]) {
    const p = part(await fetch(version, [{ topic: 't', fetchOffset: 1 }]));
    assert.equal(p.errorCode, ErrorCode.NONE);
    const messages = parseMessageSet(p.records!);
    assert.deepEqual(messages.map((m) => [m.offset, m.magic, m.value?.toString()]), [[1, magic, 'v1'], [2, magic, 'v2']]);
  }
  await append('z', 2, { compression: 4 });
  assert.equal(part(await fetch(9, [{ topic: 'z' }])).errorCode, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  assert.equal(part(await fetch(3, [{ topic: 'z' }])).errorCode, ErrorCode.UNSUPPORTED_COMPRESSION_TYPE);
  assert.equal(part(await fetch(10, [{ topic: 'z' }])).errorCode, ErrorCode.NONE);
  await append('nodown', 1);
  assert.equal(part(await fetch(3, [{ topic: 'nodown' }])).errorCode, ErrorCode.UNSUPPORTED_VERSION);
  await f.close();
});

test('long poll: parks below minBytes and answers when an append arrives', async () => {
  const { f, fetch, append } = await setup({ name: 't' });
  const pending = fetch(11, [{ topic: 't' }], { maxWaitMs: 60_000, minBytes: 1 });
  while (f.replicas.delayed.pendingCount === 0) await new Promise((r) => setImmediate(r));
  await append('t', 2);
  const p = part(await pending);
  assert.ok(p.records!.length > 0);
  assert.equal(p.highWatermark, 2);
  assert.equal(f.replicas.delayed.pendingCount, 0);
  await f.close();
});

test('long poll: keeps waiting while appends stay below minBytes, answers at maxWait with what there is', async (t) => {
  const { f, fetch, append } = await setup({ name: 't' });
  // maxWait is driven by hand, so a slow append on a busy machine cannot outlast it.
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const pending = fetch(11, [{ topic: 't' }], { maxWaitMs: 30, minBytes: 1 << 20 });
  while (f.replicas.delayed.pendingCount === 0) await new Promise((r) => setImmediate(r));
  await append('t', 1);
  assert.equal(f.replicas.delayed.pendingCount, 1, 'one small append does not satisfy minBytes');
  t.mock.timers.tick(30);
  const p = part(await pending);
  assert.ok(p.records!.length > 0);
  await f.close();
});

test('minBytes above the response maxBytes counts as maxBytes (Kafka caps it): a full response answers at once', async (t) => {
  const { f, fetch, append } = await setup({ name: 't' });
  t.mock.timers.enable({ apis: ['setTimeout'] });
  await append('t', 10, { valueBytes: 100 });
  let answered = false;
  const pending = fetch(11, [{ topic: 't' }], { maxWaitMs: 30, minBytes: 1 << 20, maxBytes: 500 }).then((res) => {
    answered = true;
    return res;
  });
  for (let i = 0; i < 1000 && !answered; i++) await new Promise((r) => setImmediate(r));
  assert.equal(answered, true, 'answered without waiting for maxWait');
  assert.ok(part(await pending).records!.length >= 500);
  await f.close();
});

test('long poll ends when the partition changes leader', async () => {
  const { f, fetch } = await setup({ name: 't', replicas: [1, 2] });
  const pending = fetch(12, [{ topic: 't' }], { maxWaitMs: 60_000 });
  while (f.replicas.delayed.pendingCount === 0) await new Promise((r) => setImmediate(r));
  const info = f.image.topic('t')!;
  await f.apply(f.image.withTopic({ ...info, partitions: [{ ...info.partitions[0], leader: 2, leaderEpoch: 1 }] }));
  assert.equal(part(await pending).errorCode, ErrorCode.NOT_LEADER_OR_FOLLOWER);
  await f.close();
});

test('incremental sessions: full fetch opens one; unchanged partitions are left out; new data is sent', async () => {
  const { f, fetch, append } = await setup({ name: 'a' }, { name: 'b' });
  await append('a', 1);
  const full = await fetch(12, [{ topic: 'a' }, { topic: 'b' }], { sessionId: 0, sessionEpoch: 0 });
  assert.notEqual(full.sessionId, 0);
  assert.equal(full.responses.length, 2);
  const idle = await fetch(12, [{ topic: 'a', fetchOffset: 1 }], { sessionId: full.sessionId, sessionEpoch: 1 });
  assert.equal(idle.errorCode, ErrorCode.NONE);
  assert.equal(idle.sessionId, full.sessionId);
  assert.deepEqual(idle.responses, []);
  await append('b', 2);
  const changed = await fetch(12, [], { sessionId: full.sessionId, sessionEpoch: 2 });
  assert.deepEqual(changed.responses.map((t) => t.topic), ['b']);
  assert.ok(part(changed).records!.length > 0);
  await f.close();
});

test('incremental sessions: wrong epoch, unknown id, topic-id mismatch, forgotten topics, close', async () => {
  const { f, fetch, append } = await setup({ name: 'a' }, { name: 'b' });
  const full = await fetch(12, [{ topic: 'a' }, { topic: 'b' }], { sessionEpoch: 0 });
  const id = full.sessionId;
  const wrong = await fetch(12, [], { sessionId: id, sessionEpoch: 5 });
  assert.deepEqual([wrong.errorCode, wrong.sessionId, wrong.responses], [ErrorCode.INVALID_FETCH_SESSION_EPOCH, 0, []]);
  assert.equal((await fetch(12, [], { sessionId: 12345, sessionEpoch: 1 })).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  assert.equal((await fetch(13, [], { sessionId: id, sessionEpoch: 1 })).errorCode, ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR);
  const forgot = await fetch(12, [], { sessionId: id, sessionEpoch: 1, forgotten: [{ topic: 'a', partitions: [0] }] });
  assert.equal(forgot.errorCode, ErrorCode.NONE);
  await append('a', 1);
  await append('b', 1);
  const after = await fetch(12, [], { sessionId: id, sessionEpoch: 2 });
  assert.deepEqual(after.responses.map((t) => t.topic), ['b'], 'a was forgotten');
  const closed = await fetch(12, [{ topic: 'a' }], { sessionId: id, sessionEpoch: -1 });
  assert.equal(closed.sessionId, 0);
  assert.equal(closed.responses.length, 1);
  assert.equal((await fetch(12, [], { sessionId: id, sessionEpoch: 3 })).errorCode, ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
  await f.close();
});

test('incremental sessions with topic ids (v13+) and errors re-sent until they clear', async () => {
  const { f, fetch } = await setup({ name: 'a' });
  const topicId = f.image.topic('a')!.topicId;
  const full = await fetch(13, [{ topic: '', topicId }, { topic: '', topicId: 'ghostAAAAAAAAAAAAAAAAA' }], { sessionEpoch: 0 });
  assert.deepEqual(full.responses.map((t) => t.partitions[0].errorCode), [ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_ID]);
  const next = await fetch(13, [], { sessionId: full.sessionId, sessionEpoch: 1 });
  assert.deepEqual(next.responses.map((t) => [t.topicId, t.partitions[0].errorCode]), [['ghostAAAAAAAAAAAAAAAAA', ErrorCode.UNKNOWN_TOPIC_ID]]);
  await f.close();
});

test('the session cache is bounded: when full, a full fetch gets session id 0', async () => {
  const f = await Fixture.open();
  await f.setTopics({ name: 'a' });
  const { ReplicaManager } = await import('../../../src/replication/replica-manager.ts');
  const replicas = new ReplicaManager({ nodeId: 1, logs: f.logs, config: f.config, clock: f.clock, logger: f.services.logger, fetchSessionSlots: 1 });
  await replicas.applyImage(f.image);
  const handler = createFetchHandler({ ...f.services, replicas });
  const first = await answer<FetchResponse>(handler, 12, fetchRequest([{ topic: 'a' }], { sessionEpoch: 0 }));
  const second = await answer<FetchResponse>(handler, 12, fetchRequest([{ topic: 'a' }], { sessionEpoch: 0 }));
  assert.notEqual(first.sessionId, 0);
  assert.equal(second.sessionId, 0);
  assert.equal(second.responses.length, 1);
  f.clock.advance(120_000);
  const third = await answer<FetchResponse>(handler, 12, fetchRequest([{ topic: 'a' }], { sessionEpoch: 0 }));
  assert.notEqual(third.sessionId, 0, 'an idle session may be evicted');
  await replicas.close();
  await f.close();
});

test('a bulk consumer Fetch lets waiting Produce requests go first (a bounded wait per partition read); small and follower Fetches do not wait', async (t) => {
  const { f, fetch, append } = await setup({ name: 't', partitions: 3, replicas: [1, 2], isr: [1, 2] });
  // ~300 KiB per partition in 10 KiB batches: each read passes YIELD_EVERY_BYTES.
  for (let p = 0; p < 3; p++) for (let i = 0; i < 30; i++) await append('t', 10, { valueBytes: 1000 }, p);
  const parts = [0, 1, 2].map((partition) => ({ topic: 't', partition }));
  await fetch(11, parts.map((p) => ({ ...p, fetchOffset: 300 })), { replicaId: 2 }); // moves the HW
  t.mock.timers.enable({ apis: ['setTimeout'] });
  /** Timer ticks of YIELD_WAIT_MS_MAX the fetch needed to finish (0: it did not wait). */
  const waitsOf = async (run: Promise<FetchResponse>): Promise<number> => {
    let done = false;
    void run.then(() => { done = true; });
    let ticks = 0;
    for (;;) {
      for (let i = 0; i < 200 && !done; i++) await new Promise((r) => setImmediate(r));
      if (done || ticks === 10) return ticks;
      t.mock.timers.tick(YIELD_WAIT_MS_MAX);
      ticks++;
    }
  };
  const produceFrame = Buffer.alloc(8); // API key 0 (Produce) first, as a queued request frame
  processProduceBacklog.count(produceFrame, 1);
  try {
    const bulk = await fetch(11, parts, { replicaId: 2 });
    assert.ok(bulk.responses[0].partitions.every((p) => p.records!.length > YIELD_EVERY_BYTES));
    assert.equal(await waitsOf(fetch(11, parts)), 2, 'the consumer waits before its second and third read');
    assert.equal(await waitsOf(fetch(11, parts, { replicaId: 2 })), 0, 'a follower does not wait');
    assert.equal(await waitsOf(fetch(11, parts.map((p) => ({ ...p, maxBytes: 50_000 })))), 0, 'small reads do not wait');
  } finally {
    processProduceBacklog.count(produceFrame, -1);
  }
  assert.equal(await waitsOf(fetch(11, parts)), 0, 'nothing waiting: no wait');
  await f.close();
});
