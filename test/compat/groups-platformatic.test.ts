/**
 * @platformatic/kafka 2.x consumer groups against a Gregor broker: two consumers of one
 * group share a 4-partition topic (consume() in "committed" mode, falling back to the
 * earliest offset) and commit every message; the join events carry one common generation
 * with disjoint assignments, each partition's owner reads each of its records exactly
 * once, and the group's committed offsets end at the log end. A third consumer in the
 * group after they closed reads exactly the records produced since.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Admin, Consumer, ProduceAcks, Producer } from '@platformatic/kafka';
import type { ConsumerGroupJoinPayload, MessagesStream } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { duplicates, GroupInspector, waitFor } from './groups-helpers.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC = 'platformatic-groups';
const GROUP = 'platformatic-group';
const PARTITIONS = 4;
const FIRST = 80;
const SECOND = 20;

let broker: RunningBroker;
let inspector: GroupInspector;
let producer: Producer<string, string, string, string>;
const base = () => ({ clientId: 'groups-platformatic', bootstrapBrokers: [broker.bootstrap], retries: 2 });

before(async () => {
  broker = await startCompatBroker({ 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '10' });
  inspector = new GroupInspector(broker.bootstrap);
  producer = new Producer({
    ...base(), acks: ProduceAcks.ALL,
    serializers: { key: (k?: string) => Buffer.from(k ?? ''), value: (v?: string) => Buffer.from(v ?? ''), headerKey: (k?: string) => Buffer.from(k ?? ''), headerValue: (v?: string) => Buffer.from(v ?? '') },
  });
  const admin = new Admin(base());
  await admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 });
  await admin.close();
});

after(async () => {
  await producer?.close();
  await inspector?.close();
  await broker?.stop();
});

interface Member {
  consumer: Consumer;
  stream: MessagesStream<Buffer, Buffer, Buffer, Buffer>;
  consumed: string[];
  joins: ConsumerGroupJoinPayload[];
}

async function startMember(): Promise<Member> {
  const consumer = new Consumer({
    ...base(), groupId: GROUP, sessionTimeout: 6000, heartbeatInterval: 500, rebalanceTimeout: 20_000, maxWaitTime: 200,
  });
  const joins: ConsumerGroupJoinPayload[] = [];
  consumer.on('consumer:group:join', (payload) => joins.push(payload));
  const stream = await consumer.consume({ topics: [TOPIC], mode: 'committed', fallbackMode: 'earliest', autocommit: false });
  const consumed: string[] = [];
  stream.on('data', (message) => {
    consumed.push(`${message.partition}@${message.offset}`);
    void message.commit();
  });
  return { consumer, stream, consumed, joins };
}

async function produce(from: number, count: number): Promise<void> {
  await producer.send({
    messages: Array.from({ length: count }, (_, i) => ({ topic: TOPIC, partition: i % PARTITIONS, value: `v${from + i}` })),
  });
}

async function committedEverywhere(offset: number): Promise<void> {
  let committed = new Map<number, number>();
  await waitFor(`every partition committed at ${offset}`, async () => {
    committed = await inspector.committed(GROUP, TOPIC);
    return Array.from({ length: PARTITIONS }, (_, p) => committed.get(p)).every((o) => o === offset);
  }, () => [...committed]);
}

test('two consumers share the topic, commit, and a later member resumes', { timeout: TEST_TIMEOUT_MS }, async () => {
  const a = await startMember();
  const b = await startMember();
  await waitFor('both members joined one generation with disjoint assignments', () => {
    const [ja, jb] = [a.joins.at(-1), b.joins.at(-1)];
    const owned = [a, b].flatMap((m) => (m.consumer.assignments ?? []).flatMap((x) => x.partitions));
    return ja !== undefined && jb !== undefined && ja.generationId === jb.generationId
      && owned.length === PARTITIONS && new Set(owned).size === PARTITIONS;
  }, () => [a.joins, b.joins, a.consumer.assignments, b.consumer.assignments]);
  await produce(0, FIRST);
  await waitFor(`${FIRST} records consumed`, () => a.consumed.length + b.consumed.length >= FIRST,
    () => [a.consumed.length, b.consumed.length]);
  await committedEverywhere(FIRST / PARTITIONS);
  await Promise.all([a.consumer.close(true), b.consumer.close(true)]);

  // Each partition's owner in the final generation read each of its records exactly once.
  // Another member may also have read some: platformatic emits the records of a fetch it
  // sent before the rebalance (at-least-once, as Kafka allows), so that is not checked.
  const expected = Array.from({ length: FIRST }, (_, i) => `${i % PARTITIONS}@${Math.floor(i / PARTITIONS)}`);
  const byOwner = [a, b].flatMap((m) => {
    const owned = new Set(m.joins.at(-1)?.assignments?.flatMap((x) => x.partitions) ?? []);
    return m.consumed.filter((k) => owned.has(Number(k.split('@')[0])));
  });
  assert.deepEqual(duplicates(byOwner), []);
  assert.deepEqual([...byOwner].sort(), [...expected].sort());
  assert.ok(a.consumed.length > 0 && b.consumed.length > 0, `one member consumed nothing: ${a.consumed.length}/${b.consumed.length}`);

  await produce(FIRST, SECOND);
  const c = await startMember();
  await waitFor(`${SECOND} new records consumed`, () => c.consumed.length >= SECOND, () => c.consumed.length);
  await committedEverywhere((FIRST + SECOND) / PARTITIONS);
  await c.consumer.close(true);
  const perPartition = FIRST / PARTITIONS;
  assert.deepEqual([...c.consumed].sort(), Array.from({ length: SECOND }, (_, i) => `${i % PARTITIONS}@${perPartition + Math.floor(i / PARTITIONS)}`).sort());
});
