/**
 * The groups API against a kafkajs consumer group: the group with its member, assignment
 * and zero lag after consuming and committing; offsets reset (dry run, then for real) once
 * the group is empty, with the lag back; the same lag on /metrics; a reset refused while
 * the group has members.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { GroupDetail, GroupsResponse, ResetOffsetsResponse } from '../../src/http/api/types.ts';
import { withTestBroker } from '../helpers/broker.ts';

const RECORDS = 10;

it('shows a consumer group, its lag, and resets its offsets', () => withTestBroker({ 'http.listener': '127.0.0.1:0' }, async (broker) => {
  const http = broker.httpUrl as string;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<{ status: number; json: T }> => {
    const res = await fetch(http + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as T };
  };
  await call('POST', '/api/topics', { name: 'work', partitions: 2 });
  const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: 'work', messages: Array.from({ length: RECORDS }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: 'workers' });
  await consumer.connect();
  await consumer.subscribe({ topic: 'work', fromBeginning: true });
  let seen = 0;
  const allSeen = Promise.withResolvers<void>();
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
      if (++seen === RECORDS) allSeen.resolve();
    },
  });
  await allSeen.promise;

  const list = await call<GroupsResponse>('GET', '/api/groups');
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.groups.map((g) => [g.groupId, g.members, g.lag]), [['workers', 1, 0]]);
  const detail = await call<GroupDetail>('GET', '/api/groups/workers');
  assert.equal(detail.json.state, 'Stable');
  assert.equal(detail.json.protocolType, 'consumer');
  assert.deepEqual(detail.json.members[0].assignment, [{ topic: 'work', partitions: [0, 1] }]);
  assert.equal(detail.json.offsets.reduce((sum, o) => sum + o.committedOffset, 0), RECORDS);
  assert.ok(detail.json.offsets.every((o) => o.lag === 0 && o.memberId === detail.json.members[0].memberId));

  const busy = await call<{ error: string }>('POST', '/api/groups/workers/reset-offsets', { topic: 'work', to: { earliest: true } });
  assert.equal(busy.status, 409);
  assert.equal(busy.json.error, 'NON_EMPTY_GROUP');

  await consumer.disconnect();
  const dry = await call<ResetOffsetsResponse>('POST', '/api/groups/workers/reset-offsets', { topic: 'work', to: { earliest: true }, dryRun: true });
  assert.deepEqual(dry.json.offsets.map((o) => o.offset), [0, 0]);
  assert.equal((await call<GroupsResponse>('GET', '/api/groups')).json.groups[0].lag, 0);

  const reset = await call<ResetOffsetsResponse>('POST', '/api/groups/workers/reset-offsets', { topic: 'work', to: { earliest: true } });
  assert.equal(reset.status, 200);
  const after = await call<GroupDetail>('GET', '/api/groups/workers');
  assert.equal(after.json.state, 'Empty');
  assert.equal(after.json.offsets.reduce((sum, o) => sum + o.lag, 0), RECORDS);

  const metrics = await (await fetch(`${http}/metrics`)).text();
  const lagSum = [...metrics.matchAll(/^kafka_consumergroup_lag\{group="workers",topic="work",partition="\d"\} (\d+)$/gm)]
    .reduce((sum, m) => sum + Number(m[1]), 0);
  assert.equal(lagSum, RECORDS);
  assert.equal((await call('GET', '/api/groups/nobody')).status, 404);
}));
