/**
 * KIP-848 (group.protocol=consumer) with a real client: two @platformatic/kafka 2.x
 * consumers with `groupProtocol: 'consumer'` (ConsumerGroupHeartbeat v0, server-side
 * `uniform` assignor) share a 4-partition topic. While the second member joins, the
 * assignments the two clients hold are sampled: a partition is never held by both (the
 * first member revokes before the second gets it). Then both consume and commit every
 * record (each partition's owner reads each of its records exactly once) at their member epoch (OffsetCommit v9+), the committed offsets reach the log
 * end, ConsumerGroupDescribe shows a Stable group, and after both leave (epoch -1) the
 * group is Empty.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin, Consumer, ProduceAcks, Producer } from '@platformatic/kafka';
import type { MessagesStream } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { GroupInspector, waitFor } from './groups-helpers.ts';
import type { ConsumerGroupDescribeResponse } from '../../src/protocol/generated/consumer-group-describe.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC = 'kip848-platformatic';
const GROUP = 'kip848-group';
const PARTITIONS = 4;
const RECORDS = 40;

let broker: RunningBroker;
let inspector: GroupInspector;
let raw: KafkaTestClient;
let producer: Producer<string, string, string, string>;
const base = () => ({ clientId: 'kip848-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 2 });

before(async () => {
  broker = await startCompatBroker({
    'offsets.topic.num.partitions': '4',
    // Short heartbeats so a reconciliation takes a few round trips of 200 ms, not of 5 s.
    'group.consumer.heartbeat.interval.ms': '200',
    'group.consumer.min.heartbeat.interval.ms': '100',
  });
  inspector = new GroupInspector(broker.bootstrap);
  raw = await KafkaTestClient.connect(Number(broker.bootstrap.split(':').at(-1)));
  producer = new Producer({
    ...base(), acks: ProduceAcks.ALL,
    serializers: { key: (k?: string) => Buffer.from(k ?? ''), value: (v?: string) => Buffer.from(v ?? ''), headerKey: (k?: string) => Buffer.from(k ?? ''), headerValue: (v?: string) => Buffer.from(v ?? '') },
  });
  const admin = new Admin(base());
  await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
});

after(async () => {
  // A failed test leaves its consumers open; their heartbeat retries would keep the process alive.
  await Promise.allSettled(started.map((m) => m.consumer.close(true)));
  await producer?.close();
  await inspector?.close();
  raw?.close();
  await broker?.stop();
});

/** Every member started, closed after the test whatever its outcome. */
const started: Member[] = [];

interface Member {
  consumer: Consumer;
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  consumed: string[];
}

async function startMember(): Promise<Member> {
  const consumer = new Consumer({
    ...base(), groupId: GROUP, groupProtocol: 'consumer', rebalanceTimeout: 60_000, maxWaitTime: 200,
  });
  const stream = await consumer.consume({ topics: [TOPIC], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  const consumed: string[] = [];
  stream.on('data', (message) => {
    consumed.push(`${message.partition}@${message.offset}`);
    void message.commit();
  });
  const member = { consumer, stream, consumed };
  started.push(member);
  return member;
}

const held = (m: Member) => (m.consumer.assignments ?? []).filter((a) => a.topic === TOPIC).flatMap((a) => a.partitions);

/** The group as ConsumerGroupDescribe answers (the only broker coordinates every group). */
async function describe(): Promise<ConsumerGroupDescribeResponse['groups'][number]> {
  const response = await raw.request<ConsumerGroupDescribeResponse>(ApiKey.ConsumerGroupDescribe, 0, { groupIds: [GROUP], includeAuthorizedOperations: false });
  return response.groups[0]!;
}

test('two consumer-protocol members share a topic without ever holding one partition together', { timeout: TEST_TIMEOUT_MS }, async () => {
  const a = await startMember();
  await waitFor('the first member holds every partition', () => held(a).length === PARTITIONS, () => held(a));
  const b = await startMember();
  const overlaps: number[][] = [];
  await waitFor('both members hold two partitions each', () => {
    const [pa, pb] = [held(a), held(b)];
    const both = pa.filter((p) => pb.includes(p));
    if (both.length > 0) overlaps.push(both);
    return pa.length === 2 && pb.length === 2;
  }, () => [held(a), held(b)]);
  assert.deepEqual(overlaps, [], 'a partition was held by both members at once');
  assert.deepEqual([...held(a), ...held(b)].sort(), [0, 1, 2, 3]);

  await producer.send({ messages: Array.from({ length: RECORDS }, (_, i) => ({ topic: TOPIC, partition: i % PARTITIONS, value: `v${i}` })) });
  await waitFor(`${RECORDS} records consumed`, () => a.consumed.length + b.consumed.length >= RECORDS, () => [a.consumed.length, b.consumed.length]);
  let committed = new Map<number, number>();
  await waitFor('every partition committed at its end', async () => {
    committed = await inspector.committed(GROUP, TOPIC);
    return Array.from({ length: PARTITIONS }, (_, p) => committed.get(p)).every((o) => o === RECORDS / PARTITIONS);
  }, () => [...committed]);
  // Each partition's owner read each of its records exactly once, and every record was
  // read. A member may also emit records of a fetch it sent before a revocation
  // (at-least-once, as Kafka allows; see groups-platformatic.test.ts), so that is not checked.
  const byOwner = [a, b].flatMap((m) => m.consumed.filter((k) => held(m).includes(Number(k.split('@')[0]))));
  const expected = Array.from({ length: RECORDS }, (_, i) => `${i % PARTITIONS}@${Math.floor(i / PARTITIONS)}`).sort();
  assert.deepEqual([...byOwner].sort(), expected);
  assert.deepEqual([...new Set([...a.consumed, ...b.consumed])].sort(), expected);

  const described = await describe();
  assert.equal(described.groupState, 'Stable');
  assert.equal(described.members.length, 2);
  assert.ok(described.members.every((m) => m.memberEpoch === described.groupEpoch));

  await Promise.all([a.consumer.close(true), b.consumer.close(true)]);
  await waitFor('the group is empty after both left', async () => (await describe()).groupState === 'Empty', () => 'not empty');
});
