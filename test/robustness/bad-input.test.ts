/**
 * Bad input over raw TCP: a malformed frame closes that connection only, a corrupt batch
 * is answered with Kafka's error code and appends nothing, and nothing acknowledged
 * before is touched. After every case a separate healthy kafkajs client produces to and
 * reads back a topic, checking every record acknowledged so far is still there, in order.
 *
 * Kafka's behaviour taken as the spec: a size prefix above socket.request.max.bytes (or
 * negative) closes the connection; an unknown API key or unsupported version closes it,
 * except ApiVersions, answered in v0 format with UNSUPPORTED_VERSION (35); a batch whose
 * CRC does not match gets CORRUPT_MESSAGE (2); a structurally broken batch (lengths,
 * counts, magic) gets CORRUPT_MESSAGE or INVALID_RECORD (87).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { crc32c } from '@node-rs/crc32';
import kafkajs from 'kafkajs';
import type { Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { decodeApiVersionsResponse, encodeApiVersionsRequest } from '../../src/protocol/generated/api-versions.ts';
import { encodeFetchRequest } from '../../src/protocol/generated/fetch.ts';
import { encodeMetadataRequest } from '../../src/protocol/generated/metadata.ts';
import { decodeProduceResponse, encodeProduceRequest } from '../../src/protocol/generated/produce.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { startCompatBroker } from '../compat/helpers/broker.ts';
import { KafkajsReader } from '../compat/helpers/kafkajs-reader.ts';
import { RawConnection, requestFrame } from '../compat/helpers/raw-client.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const { Kafka, logLevel, Partitioners } = kafkajs;
const REQUEST_MAX_BYTES = 512 * 1024;
const HEALTH_TOPIC = 'robust-health';
const TARGET_TOPIC = 'robust-target';
/** Each corrupt-batch case aims at its own topic, so one wrongly accepted batch cannot fail the others. */
const caseTopic = (i: number): string => `robust-corrupt-${i}`;
const UNKNOWN_SERVER_ERROR = -1;
const CORRUPT_MESSAGE = 2;
const INVALID_RECORD = 87;
const UNSUPPORTED_VERSION = 35;
const PRODUCE_VERSION = 7;
const API_PRODUCE = 0;
const API_FETCH = 1;
const API_METADATA = 3;
const API_VERSIONS = 18;

let broker: RunningBroker;
let producer: Producer;
let reader: KafkajsReader;
/** Every value acknowledged on the health topic, in offset order. */
const acknowledged: string[] = [];
/** Values acknowledged per target topic (the ones bad produces aim at). */
const targetAcknowledged = new Map<string, string[]>();
let round = 0;

before(async () => {
  broker = await startCompatBroker({ 'socket.request.max.bytes': String(REQUEST_MAX_BYTES) });
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'robust-healthy', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const targets = [TARGET_TOPIC, ...CORRUPTIONS.map((_, i) => caseTopic(i))];
  await admin.createTopics({ topics: [HEALTH_TOPIC, ...targets].map((topic) => ({ topic, numPartitions: 1 })) });
  await admin.disconnect();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  reader = new KafkajsReader(broker.bootstrap);
  await reader.connect();
  for (const topic of targets) {
    targetAcknowledged.set(topic, []);
    await produceGood(topic, 5);
  }
});

after(async () => {
  await producer?.disconnect();
  await reader?.disconnect();
  await broker?.stop();
});

async function produceGood(topic: string, count: number): Promise<void> {
  const log = topic === HEALTH_TOPIC ? acknowledged : (targetAcknowledged.get(topic) ?? []);
  const values = Array.from({ length: count }, (_, i) => `${topic}-r${round}-${i}`);
  round++;
  const [res] = await producer.send({ topic, messages: values.map((value) => ({ value })) });
  assert.equal(res.errorCode, 0);
  assert.equal(Number(res.baseOffset), log.length, `${topic}: new records follow the acknowledged ones`);
  log.push(...values);
}

async function assertIntact(topic: string, log: string[]): Promise<void> {
  const msgs = await reader.readAll(topic, 0);
  assert.deepEqual(msgs.map((m) => Number(m.offset)), log.map((_, i) => i), `${topic}: offsets`);
  assert.deepEqual(msgs.map((m) => String(m.value)), log, `${topic}: acknowledged records intact`);
}

/** The broker still serves a healthy client, and nothing acknowledged was lost or added. */
async function assertHealthy(target = TARGET_TOPIC): Promise<void> {
  await produceGood(HEALTH_TOPIC, 3);
  await assertIntact(HEALTH_TOPIC, acknowledged);
  await assertIntact(target, targetAcknowledged.get(target) ?? []);
}

async function open(): Promise<RawConnection> {
  return RawConnection.open(broker.host, broker.port);
}

/** Deterministic pseudo-random bytes (mulberry32), so a failure can be replayed. */
function seededBytes(seed: number, length: number): Buffer {
  let a = seed >>> 0;
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

function sizePrefix(size: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
}

async function assertClosedWithoutResponse(conn: RawConnection, what: string): Promise<void> {
  const frames = await conn.closedByPeer();
  assert.equal(frames.length, 0, `${what}: no response before the close`);
}

test('random bytes: the connection is closed, the broker keeps serving', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const seed of [1, 2, 3, 4]) {
    const conn = await open();
    const junk = seededBytes(seed, 4096);
    junk[0] |= 0x80; // negative size prefix: invalid whatever follows
    conn.end(junk);
    await assertClosedWithoutResponse(conn, `seed ${seed}`);
  }
  for (const seed of [11, 12, 13]) {
    // A well-formed size prefix around random content whose first 2 bytes name no API.
    const conn = await open();
    const body = seededBytes(seed, 300);
    body.writeInt16BE(20_000 + seed, 0);
    conn.write(Buffer.concat([sizePrefix(body.length), body]));
    await assertClosedWithoutResponse(conn, `framed junk seed ${seed}`);
  }
  await assertHealthy();
});

test('truncated frames: a frame cut short by end of stream, a frame shorter than a header', { timeout: TEST_TIMEOUT_MS }, async () => {
  const full = requestFrame(API_METADATA, 1, 7, (w) => encodeMetadataRequest(w, 1, { topics: null }));
  const cut = await open();
  cut.end(full.subarray(0, full.length - 5));
  await assertClosedWithoutResponse(cut, 'frame cut short');

  const tiny = await open();
  tiny.write(Buffer.concat([sizePrefix(3), Buffer.from([0, 3, 0])]));
  await assertClosedWithoutResponse(tiny, '3-byte frame');

  const sizeOnly = await open();
  sizeOnly.end(Buffer.from([0, 0]));
  await assertClosedWithoutResponse(sizeOnly, 'half a size prefix');
  await assertHealthy();
});

test('a frame announcing 2 GB is refused at once, without waiting for the bytes', { timeout: TEST_TIMEOUT_MS }, async () => {
  const conn = await open();
  conn.write(Buffer.concat([sizePrefix(0x7fffffff), Buffer.alloc(1024)]));
  await assertClosedWithoutResponse(conn, '2 GB frame');
  await assertHealthy();
});

test('frames over socket.request.max.bytes close the connection; one at the limit does not', { timeout: TEST_TIMEOUT_MS }, async () => {
  const over = await open();
  over.write(Buffer.concat([sizePrefix(REQUEST_MAX_BYTES + 1), Buffer.alloc(64 * 1024)]));
  await assertClosedWithoutResponse(over, 'frame over the limit');

  // Exactly at the limit: a Metadata request padded with an ignored trailing area is not a
  // valid request in Kafka either, so use a real Produce whose records fill the frame.
  const atLimit = await open();
  const header = requestFrame(API_PRODUCE, PRODUCE_VERSION, 9, (w) => encodeProduceRequest(w, PRODUCE_VERSION, {
    acks: -1, timeoutMs: 5000, topicData: [{ name: TARGET_TOPIC, partitionData: [{ index: 0, records: Buffer.alloc(0) }] }],
  }));
  const payloadRoom = REQUEST_MAX_BYTES - (header.length - 4);
  const batch = await buildRecordBatch({ records: [{ value: Buffer.alloc(payloadRoom - 200, 'a') }] });
  const frame = requestFrame(API_PRODUCE, PRODUCE_VERSION, 9, (w) => encodeProduceRequest(w, PRODUCE_VERSION, {
    acks: -1, timeoutMs: 5000, topicData: [{ name: TARGET_TOPIC, partitionData: [{ index: 0, records: batch }] }],
  }));
  assert.ok(frame.length - 4 <= REQUEST_MAX_BYTES);
  atLimit.write(frame);
  const res = await atLimit.nextFrame();
  assert.ok(res !== null, 'a request within socket.request.max.bytes is answered');
  const produced = decodeProduce(res);
  assert.equal(produced.errorCode, 0);
  targetAcknowledged.get(TARGET_TOPIC)?.push('a'.repeat(payloadRoom - 200));
  atLimit.destroy();
  await assertHealthy();
});

test('unknown API keys and unsupported versions close the connection without a response', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (const [apiKey, version] of [[9999, 0], [-5, 0], [API_METADATA, 99], [API_PRODUCE, 99]]) {
    const conn = await open();
    const frame = Buffer.concat([sizePrefix(10), Buffer.alloc(10)]);
    frame.writeInt16BE(apiKey, 4);
    frame.writeInt16BE(version, 6);
    frame.writeInt32BE(42, 8);
    frame.writeInt16BE(-1, 12); // null client id
    conn.write(frame);
    await assertClosedWithoutResponse(conn, `api ${apiKey} v${version}`);
  }
  await assertHealthy();
});

test('ApiVersions with an unsupported version gets a v0 reply with UNSUPPORTED_VERSION, then the connection works', { timeout: TEST_TIMEOUT_MS }, async () => {
  const conn = await open();
  // A version from the future: a well-formed request header (v2, as for every flexible
  // ApiVersions version) followed by a body this broker cannot know the layout of.
  const clientId = Buffer.from('future-client');
  const header = Buffer.alloc(2 + 2 + 4 + 2);
  header.writeInt16BE(API_VERSIONS, 0);
  header.writeInt16BE(127, 2);
  header.writeInt32BE(77, 4);
  header.writeInt16BE(clientId.length, 8);
  const payload = Buffer.concat([header, clientId, Buffer.from([0]), Buffer.alloc(16, 0x7f)]);
  const frame = Buffer.concat([sizePrefix(payload.length), payload]);
  conn.write(frame);
  const res = await conn.nextFrame();
  assert.ok(res !== null, 'ApiVersions is answered');
  const r = new Reader(res);
  assert.equal(r.readInt32(), 77, 'correlation id');
  const body = decodeApiVersionsResponse(r, 0);
  assert.equal(body.errorCode, UNSUPPORTED_VERSION);
  const own = body.apiKeys.find((k) => k.apiKey === API_VERSIONS);
  assert.ok(own !== undefined && own.minVersion === 0 && own.maxVersion >= 3, 'lists its ApiVersions range');

  // The client then retries with a version in range, on the same connection.
  conn.sendRequest(API_VERSIONS, 0, 78, (w) => encodeApiVersionsRequest(w, 0, {}));
  const again = await conn.nextFrame();
  assert.ok(again !== null);
  const r2 = new Reader(again);
  assert.equal(r2.readInt32(), 78);
  assert.equal(decodeApiVersionsResponse(r2, 0).errorCode, 0);
  conn.destroy();
  await assertHealthy();
});

test('pipelined requests are answered in order, one response each', { timeout: TEST_TIMEOUT_MS }, async () => {
  const conn = await open();
  const frames: Buffer[] = [];
  for (let i = 0; i < 60; i++) {
    frames.push(i % 2 === 0
      ? requestFrame(API_VERSIONS, 2, 1000 + i, (w) => encodeApiVersionsRequest(w, 2, {}))
      : requestFrame(API_METADATA, 9, 1000 + i, (w) => encodeMetadataRequest(w, 9, { topics: [{ name: HEALTH_TOPIC }] })));
  }
  conn.write(Buffer.concat(frames)); // all in one write, as a pipelining client may
  for (let i = 0; i < 60; i++) {
    const res = await conn.nextFrame();
    assert.ok(res !== null, `response ${i}`);
    assert.equal(res.readInt32BE(0), 1000 + i, 'responses in request order');
  }
  conn.destroy();
  await assertHealthy();
});

test('a client that hangs up with a large fetch in flight does not hurt the broker', { timeout: TEST_TIMEOUT_MS }, async () => {
  for (let i = 0; i < 5; i++) {
    const conn = await open();
    conn.sendRequest(API_FETCH, 11, 1, (w) => encodeFetchRequest(w, 11, {
      replicaId: -1, maxWaitMs: 500, minBytes: 1, maxBytes: 50 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: TARGET_TOPIC, partitions: [{ partition: 0, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 50 << 20, currentLeaderEpoch: -1 }] }],
    }));
    conn.destroy();
  }
  const many = await Promise.all(Array.from({ length: 100 }, () => open()));
  for (const c of many) c.destroy();
  await assertHealthy();
});

function decodeProduce(frame: Buffer): { errorCode: number; baseOffset: number } {
  const r = new Reader(frame);
  r.readInt32(); // correlation id
  const res = decodeProduceResponse(r, PRODUCE_VERSION);
  const p = res.responses[0]?.partitionResponses[0];
  assert.ok(p !== undefined, 'a partition response');
  return { errorCode: p.errorCode, baseOffset: p.baseOffset };
}

/** Sends one Produce of `records` to the target topic and returns its partition result. */
async function rawProduce(topic: string, records: Buffer): Promise<{ errorCode: number; baseOffset: number }> {
  const conn = await open();
  try {
    conn.sendRequest(API_PRODUCE, PRODUCE_VERSION, 5, (w) => encodeProduceRequest(w, PRODUCE_VERSION, {
      acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }],
    }));
    const res = await conn.nextFrame();
    assert.ok(res !== null, 'a corrupt batch is answered, the connection is not dropped');
    return decodeProduce(res);
  } finally {
    conn.destroy();
  }
}

async function goodBatch(): Promise<Buffer> {
  return buildRecordBatch({
    records: [{ key: 'k1', value: 'corrupt-me-1', headers: [{ key: 'h', value: 'v' }] }, { key: 'k2', value: 'corrupt-me-2' }],
  });
}

/** Rewrites the CRC (over attributes..end) so only the intended damage remains. */
function fixCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch.subarray(21)) >>> 0, 17);
  return batch;
}

/** The batch's header with `codec` set and `payload` as its records section (lengths and CRC fixed). */
function withPayload(batch: Buffer, codec: number, payload: Buffer): Buffer {
  const out = Buffer.concat([batch.subarray(0, 61), payload]);
  out.writeInt32BE(out.length - 12, 8);
  out.writeInt16BE((out.readInt16BE(21) & ~7) | codec, 21);
  return fixCrc(out);
}

const CORRUPTIONS: [string, (b: Buffer) => Buffer, number[]][] = [
  ['a flipped byte in the records', (b) => { b[b.length - 3] ^= 0x55; return b; }, [CORRUPT_MESSAGE]],
  ['a wrong CRC field', (b) => { b.writeUInt32BE((b.readUInt32BE(17) + 1) >>> 0, 17); return b; }, [CORRUPT_MESSAGE]],
  ['a batch length past the end of the data', (b) => { b.writeInt32BE(b.readInt32BE(8) + 100, 8); return b; }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['a batch length shorter than a batch header', (b) => { b.writeInt32BE(20, 8); return b; }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['records cut off mid-record', (b) => { const c = Buffer.from(b.subarray(0, b.length - 6)); c.writeInt32BE(c.length - 12, 8); return fixCrc(c); }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['a record count that does not match the records', (b) => { b.writeInt32BE(5, 57); return fixCrc(b); }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['a last offset delta that does not match the count', (b) => { b.writeInt32BE(7, 23); return fixCrc(b); }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['magic 3', (b) => { b[16] = 3; return b; }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  ['a garbage record length varint', (b) => { b[61] = 0xff; b[62] = 0xff; return fixCrc(b); }, [CORRUPT_MESSAGE, INVALID_RECORD]],
  // Kafka surfaces a failed decompression as a plain KafkaException: UNKNOWN_SERVER_ERROR.
  ['a gzip batch whose payload is not gzip', (b) => withPayload(b, 1, Buffer.from('definitely not a gzip stream')), [UNKNOWN_SERVER_ERROR, CORRUPT_MESSAGE, INVALID_RECORD]],
  ['a gzip batch whose records are cut off mid-record', (b) => withPayload(b, 1, gzipSync(b.subarray(61, b.length - 6))), [CORRUPT_MESSAGE, INVALID_RECORD]],
  // Kafka's LogValidator.validateBatch rejects these from clients with INVALID_RECORD.
  ['the control flag set by a client', (b) => { b.writeInt16BE(b.readInt16BE(21) | 0x20, 21); return fixCrc(b); }, [INVALID_RECORD]],
  ['a producer id with no base sequence', (b) => { b.writeBigInt64BE(1234n, 43); b.writeInt16BE(0, 51); b.writeInt32BE(-1, 53); return fixCrc(b); }, [INVALID_RECORD]],
];

for (const [i, [what, corrupt, codes]] of CORRUPTIONS.entries()) {
  test(`Produce with a corrupt batch (${what}) is rejected and appends nothing`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const topic = caseTopic(i);
    const res = await rawProduce(topic, corrupt(await goodBatch()));
    assert.ok(codes.includes(res.errorCode), `error code ${res.errorCode}, want one of ${codes.join('/')}`);
    assert.equal(res.baseOffset, -1);
    await assertHealthy(topic);
  });
}
