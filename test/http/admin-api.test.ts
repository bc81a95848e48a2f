/**
 * The admin HTTP server of a real broker: /health, /ready, the JSON API (topics create /
 * describe / configs / partitions / delete, the message browser) and error bodies.
 * Groups: groups-api.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { TestBroker } from '../helpers/broker.ts';
import { startTestBroker } from '../helpers/broker.ts';
import type { ConfigsResponse, MessagesResponse, OverviewResponse, TopicDetail, TopicsResponse } from '../../src/http/api/types.ts';

let broker: TestBroker;
let base: string;

async function call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(base + path, {
    method, headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

before(async () => {
  broker = await startTestBroker({ 'http.listener': '127.0.0.1:0' });
  assert.ok(broker.httpUrl !== null);
  base = broker.httpUrl;
});
after(() => broker.stopAndRemove());

describe('health and readiness', () => {
  it('answers /health and /ready once started', async () => {
    assert.deepEqual(await call('GET', '/health'), { status: 200, json: { status: 'up' } });
    assert.deepEqual(await call('GET', '/ready'), { status: 200, json: { status: 'ready', phase: 'ready' } });
  });
});

describe('topics API', () => {
  it('creates, describes, reconfigures, grows and deletes a topic', async () => {
    const created = await call<TopicDetail>('POST', '/api/topics', { name: 'orders', partitions: 2, configs: { 'retention.ms': 3_600_000 } });
    assert.equal(created.status, 201);
    assert.equal(created.json.partitionDetails.length, 2);
    assert.deepEqual(created.json.overrides, { 'retention.ms': '3600000' });

    const again = await call<{ error: string }>('POST', '/api/topics', { name: 'orders' });
    assert.equal(again.status, 409);
    assert.equal(again.json.error, 'TOPIC_ALREADY_EXISTS');

    const list = await call<TopicsResponse>('GET', '/api/topics');
    assert.deepEqual(list.json.topics.map((t) => t.name), ['orders']);

    const patched = await call<ConfigsResponse>('PATCH', '/api/topics/orders/configs', { set: { 'cleanup.policy': 'compact' }, delete: ['retention.ms'] });
    assert.equal(patched.status, 200);
    const byName = new Map(patched.json.configs.map((c) => [c.name, c]));
    assert.equal(byName.get('cleanup.policy')?.value, 'compact');
    assert.equal(byName.get('cleanup.policy')?.source, 'TOPIC_CONFIG');
    assert.equal(byName.get('retention.ms')?.source, 'DEFAULT_CONFIG');

    const bad = await call<{ error: string; message: string }>('PATCH', '/api/topics/orders/configs', { set: { 'cleanup.policy': 'sometimes' } });
    assert.equal(bad.status, 400);
    assert.match(bad.json.message, /cleanup\.policy/);

    const grown = await call<TopicDetail>('POST', '/api/topics/orders/partitions', { count: 3 });
    assert.equal(grown.json.partitionDetails.length, 3);

    const overview = await call<OverviewResponse>('GET', '/api/overview');
    assert.equal(overview.json.topics, 1);
    assert.equal(overview.json.partitions, 3);
    assert.equal(overview.json.brokers.length, 1);

    assert.equal((await call('DELETE', '/api/topics/orders')).status, 200);
    assert.equal((await call<{ error: string }>('GET', '/api/topics/orders')).status, 404);
  });

  it('refuses malformed input with a message naming the field', async () => {
    const res = await call<{ error: string; message: string }>('POST', '/api/topics', { partitions: 1 });
    assert.equal(res.status, 400);
    assert.match(res.json.message, /'name'/);
    const wrongMethod = await call<{ error: string }>('PUT', '/api/topics');
    assert.equal(wrongMethod.status, 405);
  });
});

describe('message browser', () => {
  it('reads from an offset, the latest N, and a timestamp, with text and base64', async () => {
    await call('POST', '/api/topics', { name: 'browse', partitions: 1 });
    const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const base = Date.now() - 60_000;
    const messages = Array.from({ length: 10 }, (_, i) => ({
      key: `k${i}`, value: i === 9 ? Buffer.from([0xff, 0xfe]) : `v${i}`, headers: { h: `x${i}` }, timestamp: String(base + i * 1000),
    }));
    await producer.send({ topic: 'browse', messages });
    await producer.disconnect();

    const fromThree = await call<MessagesResponse>('GET', '/api/topics/browse/messages?partition=0&offset=3&limit=2');
    assert.deepEqual(fromThree.json.messages.map((m) => m.offset), [3, 4]);
    assert.equal(fromThree.json.nextOffset, 5);
    assert.equal(fromThree.json.messages[0].value?.text, 'v3');
    assert.equal(fromThree.json.messages[0].headers[0].value?.text, 'x3');
    assert.equal(fromThree.json.highWatermark, 10);

    const latest = await call<MessagesResponse>('GET', '/api/topics/browse/messages?latest=2');
    assert.deepEqual(latest.json.messages.map((m) => m.offset), [8, 9]);
    const binary = latest.json.messages[1].value;
    assert.equal(binary?.text, undefined);
    assert.equal(binary?.base64, Buffer.from([0xff, 0xfe]).toString('base64'));

    const byTime = await call<MessagesResponse>('GET', `/api/topics/browse/messages?timestamp=${base + 5000}&limit=1`);
    assert.deepEqual(byTime.json.messages.map((m) => m.offset), [5]);

    const both = await call<{ error: string }>('GET', '/api/topics/browse/messages?offset=1&latest=2');
    assert.equal(both.status, 400);
  });
});
