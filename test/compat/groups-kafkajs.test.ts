/**
 * kafkajs 2.2.4 consumer groups against a Gregor broker (issue 3, "How it is measured"):
 * - three consumers in one group on a 6-partition topic, members joining and leaving
 *   between rounds of records: every record is consumed exactly once across them;
 * - a member killed without leaving (a child process, SIGKILL: its heartbeats stop) is
 *   evicted after its session timeout and its partitions go to the survivor.
 * Each round waits until the records are consumed and committed before membership
 * changes, so a correct coordinator gives exactly-once; kafkajs commits after every batch.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import kafkajs from 'kafkajs';
import type { Consumer, Kafka as KafkaClient, Producer } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { duplicates, GroupInspector, waitFor } from './groups-helpers.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const PARTITIONS = 6;
const RECORDS_PER_ROUND = 60;
/** Small, so eviction of a killed member is quick; the broker's minimum is lowered below it. */
const SESSION_TIMEOUT_MS = 4000;
const MEMBER_SCRIPT = path.join(import.meta.dirname, 'groups-kafkajs-member.ts');

const { Kafka, logLevel, Partitioners } = kafkajs;

let broker: RunningBroker;
let kafka: KafkaClient;
let producer: Producer;
let inspector: GroupInspector;

before(async () => {
  broker = await startCompatBroker({
    'group.initial.rebalance.delay.ms': '0',
    'group.min.session.timeout.ms': '1000',
    'offsets.topic.num.partitions': '10',
  });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'groups-kafkajs', logLevel: logLevel.NOTHING });
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  inspector = new GroupInspector(broker.bootstrap);
});

after(async () => {
  await producer?.disconnect();
  await inspector?.close();
  await broker?.stop();
});

/** One group member as the test sees it: its latest assignment and what it consumed. */
interface Member {
  name: string;
  assignment: number[];
  consumed: string[];
  stop(): Promise<void>;
}

async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  } finally {
    await admin.disconnect();
  }
}

async function startMember(name: string, groupId: string, topic: string): Promise<Member> {
  const consumer: Consumer = kafka.consumer({
    groupId, sessionTimeout: SESSION_TIMEOUT_MS, heartbeatInterval: 300, maxWaitTimeInMs: 200, rebalanceTimeout: 20_000,
  });
  const member: Member = { name, assignment: [], consumed: [], stop: () => consumer.disconnect() };
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    member.assignment = e.payload.memberAssignment[topic] ?? [];
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      member.consumed.push(`${partition}@${message.offset}`);
    },
  });
  return member;
}

/** A member in a child process; kill() is SIGKILL. */
function startChildMember(name: string, groupId: string, topic: string): Member & { kill(): void } {
  const child = spawn(process.execPath, [MEMBER_SCRIPT, broker.bootstrap, groupId, topic, String(SESSION_TIMEOUT_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const member = {
    name,
    assignment: [] as number[],
    consumed: [] as string[],
    stop: async () => { child.kill('SIGKILL'); },
    kill: () => child.kill('SIGKILL'),
  };
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const event = JSON.parse(line) as { joined?: number[]; p?: number; o?: number };
      if (event.joined !== undefined) member.assignment = event.joined;
      else member.consumed.push(`${event.p}@${event.o}`);
    }
  });
  child.stderr.resume();
  return member;
}

async function produceRound(topic: string, round: number): Promise<void> {
  const messages = Array.from({ length: RECORDS_PER_ROUND }, (_, i) => ({ partition: i % PARTITIONS, value: `r${round}-${i}` }));
  await producer.send({ topic, messages });
}

/** Waits until the members' assignments are disjoint and cover every partition. */
async function waitForBalance(members: Member[]): Promise<void> {
  const view = () => members.map((m) => [m.name, m.assignment]);
  await waitFor(`${members.map((m) => m.name).join('+')} to share all ${PARTITIONS} partitions`, () => {
    const all = members.flatMap((m) => m.assignment);
    return all.length === PARTITIONS && new Set(all).size === PARTITIONS && members.every((m) => m.assignment.length > 0);
  }, view);
}

/** Waits until `total` records were consumed across `members` and the group committed them all. */
async function waitForRound(groupId: string, topic: string, members: Member[], everyone: Member[], total: number): Promise<void> {
  const count = () => everyone.reduce((n, m) => n + m.consumed.length, 0);
  await waitFor(`${total} records consumed`, () => count() >= total, () => everyone.map((m) => [m.name, m.consumed.length, m.assignment]));
  const perPartition = total / PARTITIONS;
  let committed = new Map<number, number>();
  await waitFor(`every partition committed at ${perPartition}`, async () => {
    committed = await inspector.committed(groupId, topic);
    return Array.from({ length: PARTITIONS }, (_, p) => committed.get(p)).every((o) => o === perPartition);
  }, () => [...committed]);
  assert.ok(members.length > 0);
}

function assertExactlyOnce(everyone: Member[], total: number): void {
  const all = everyone.flatMap((m) => m.consumed);
  assert.deepEqual(duplicates(all), [], 'records consumed more than once');
  assert.equal(all.length, total);
  const expected = Array.from({ length: total }, (_, i) => `${i % PARTITIONS}@${Math.floor(i / PARTITIONS)}`).sort();
  assert.deepEqual([...all].sort(), expected);
}

test('three consumers joining and leaving consume every record exactly once', { timeout: TEST_TIMEOUT_MS }, async () => {
  const groupId = 'kafkajs-three';
  const topic = 'groups-kafkajs-three';
  await createTopic(topic);
  const a = await startMember('a', groupId, topic);
  await waitForBalance([a]);
  await produceRound(topic, 1);
  await waitForRound(groupId, topic, [a], [a], RECORDS_PER_ROUND);

  const b = await startMember('b', groupId, topic);
  await waitForBalance([a, b]);
  await produceRound(topic, 2);
  await waitForRound(groupId, topic, [a, b], [a, b], 2 * RECORDS_PER_ROUND);

  const c = await startMember('c', groupId, topic);
  await waitForBalance([a, b, c]);
  const described = await inspector.describe(groupId);
  assert.deepEqual([described.groupState, described.protocolType, described.members.length], ['Stable', 'consumer', 3]);
  await produceRound(topic, 3);
  await waitForRound(groupId, topic, [a, b, c], [a, b, c], 3 * RECORDS_PER_ROUND);

  await b.stop();
  await waitForBalance([a, c]);
  await produceRound(topic, 4);
  await waitForRound(groupId, topic, [a, c], [a, b, c], 4 * RECORDS_PER_ROUND);

  assertExactlyOnce([a, b, c], 4 * RECORDS_PER_ROUND);
  for (const m of [a, b, c]) assert.ok(m.consumed.length > 0, `${m.name} consumed nothing`);
  await Promise.all([a.stop(), c.stop()]);
  assert.equal((await inspector.describe(groupId)).groupState, 'Empty', 'after every member left');
});

test('kafkajs admin: listGroups, describeGroups, deleteGroups (only once empty; offsets go too)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const groupId = 'kafkajs-admin';
  const topic = 'groups-kafkajs-admin';
  await createTopic(topic);
  const member = await startMember('m', groupId, topic);
  await waitForBalance([member]);
  await produceRound(topic, 1);
  await waitForRound(groupId, topic, [member], [member], RECORDS_PER_ROUND);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    assert.ok(groups.some((g) => g.groupId === groupId && g.protocolType === 'consumer'), JSON.stringify(groups));
    const [described] = (await admin.describeGroups([groupId])).groups;
    assert.deepEqual([described.state, described.protocolType, described.protocol, described.members.length],
      ['Stable', 'consumer', 'RoundRobinAssigner', 1]);
    const assignment = kafkajs.AssignerProtocol.MemberAssignment.decode(described.members[0].memberAssignment);
    assert.deepEqual([...(assignment?.assignment[topic] ?? [])].sort(), [0, 1, 2, 3, 4, 5]);
    await assert.rejects(admin.deleteGroups([groupId]), (err: Error & { groups?: { errorCode: number }[] }) =>
      err.groups?.[0]?.errorCode === 68, 'NON_EMPTY_GROUP while the member is in');

    await member.stop();
    assert.deepEqual(await admin.deleteGroups([groupId]), [{ groupId, errorCode: 0 }]);
    const [gone] = (await admin.describeGroups([groupId])).groups;
    assert.equal(gone.state, 'Dead');
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.ok(offsets[0].partitions.every((p) => p.offset === '-1'), JSON.stringify(offsets));
  } finally {
    await admin.disconnect();
  }
});

test('a member killed without leaving is evicted after its session timeout; its partitions are reassigned', { timeout: TEST_TIMEOUT_MS }, async () => {
  const groupId = 'kafkajs-killed';
  const topic = 'groups-kafkajs-killed';
  await createTopic(topic);
  const survivor = await startMember('survivor', groupId, topic);
  const victim = startChildMember('victim', groupId, topic);
  await waitForBalance([survivor, victim]);
  await produceRound(topic, 1);
  await waitForRound(groupId, topic, [survivor, victim], [survivor, victim], RECORDS_PER_ROUND);
  const victimPartitions = [...victim.assignment];

  victim.kill();
  await waitFor('the survivor to own every partition', () => survivor.assignment.length === PARTITIONS,
    () => survivor.assignment);
  const described = await inspector.describe(groupId);
  assert.deepEqual([described.groupState, described.members.length], ['Stable', 1]);
  await produceRound(topic, 2);
  await waitForRound(groupId, topic, [survivor], [survivor, victim], 2 * RECORDS_PER_ROUND);

  assertExactlyOnce([survivor, victim], 2 * RECORDS_PER_ROUND);
  const round2 = survivor.consumed.filter((k) => Number(k.split('@')[1]) >= RECORDS_PER_ROUND / PARTITIONS);
  for (const p of victimPartitions) assert.ok(round2.some((k) => k.startsWith(`${p}@`)), `partition ${p} was not taken over`);
  await survivor.stop();
  assert.equal((await inspector.describe(groupId)).groupState, 'Empty', 'after the survivor left');
});
