/**
 * Smoke test of the group coordinator with a real client: kafkajs 2.2.4, one group, two
 * consumers sharing a 4-partition topic. Every record is consumed exactly once across
 * them; the offsets they commit are stored; a consumer started later in the same group
 * resumes at the committed offsets (it sees only records produced after). The real-client
 * suites (several clients, member churn, broker restarts) live in test/compat/groups-*.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import type { Consumer, Kafka as KafkaClient } from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { startBroker } from '../../src/broker.ts';
import { silentLogger } from '../../src/logger.ts';

const { Kafka, logLevel, Partitioners } = kafkajs;
const TOPIC = 'smoke';
const GROUP = 'smoke-group';
const PARTITIONS = 4;
const RECORDS = 200;
const DEADLINE_MS = 30_000;
const POLL_MS = 50;

let broker: RunningBroker;
let kafka: KafkaClient;

before(async () => {
  broker = await startBroker({
    config: { listeners: 'PLAINTEXT://127.0.0.1:0', 'offsets.topic.num.partitions': '5', 'group.initial.rebalance.delay.ms': '0' },
    logger: silentLogger,
  });
  kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'smoke', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();
});

after(async () => {
  await broker?.stop();
});

async function produce(from: number, count: number): Promise<void> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const messages = Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}` }));
  await producer.send({ topic: TOPIC, messages });
  await producer.disconnect();
}

async function waitUntil(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

function consumer(seen: Map<string, string[]>, name: string): Consumer {
  const c = kafka.consumer({ groupId: GROUP, sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
  return Object.assign(c, {
    start: async () => {
      await c.connect();
      await c.subscribe({ topic: TOPIC, fromBeginning: true });
      await c.run({
        eachMessage: async ({ partition, message }) => {
          const value = message.value!.toString();
          seen.set(value, [...(seen.get(value) ?? []), `${name}:${partition}`]);
        },
      });
    },
  });
}

test('kafkajs: two consumers in one group share the partitions, every record once; a later consumer resumes at the commits', { timeout: 90_000 }, async () => {
  const seen = new Map<string, string[]>();
  const a = consumer(seen, 'a') as Consumer & { start(): Promise<void> };
  const b = consumer(seen, 'b') as Consumer & { start(): Promise<void> };
  await a.start();
  await b.start();
  await waitUntil('both consumers to be assigned partitions', () => {
    const group = broker.services.groups.classicGroup(GROUP);
    return group?.state === 'Stable' && group.members.length === 2 && group.members.every((m) => m.assignment.length > 0);
  });
  await produce(0, RECORDS);
  await waitUntil(`all ${RECORDS} records`, () => seen.size === RECORDS);
  // Commits happen on kafkajs's schedule; wait until all of them cover the end of each partition.
  const committedEnd = () => broker.services.groups.fetchOffsets(GROUP, null).topics
    .flatMap((t) => t.partitions).reduce((sum, p) => sum + p.committedOffset, 0);
  await waitUntil('offsets committed up to the end', () => committedEnd() === RECORDS);
  await Promise.all([a.disconnect(), b.disconnect()]);

  const duplicates = [...seen].filter(([, by]) => by.length > 1);
  assert.deepEqual(duplicates, []);
  const consumers = new Set([...seen.values()].flat().map((s) => s.split(':')[0]));
  assert.deepEqual([...consumers].sort(), ['a', 'b']);
  assert.equal(broker.services.groups.classicGroup(GROUP)?.state, 'Empty');

  await produce(RECORDS, 20);
  const later = new Map<string, string[]>();
  const c = consumer(later, 'c') as Consumer & { start(): Promise<void> };
  await c.start();
  await waitUntil('the 20 new records', () => later.size === 20);
  await c.disconnect();
  assert.deepEqual([...later.keys()].map((v) => Number(v.slice(1))).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => RECORDS + i));
});
