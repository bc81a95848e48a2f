/**
 * kcat (librdkafka 2.0.2) balanced consumers (`kcat -G group topic`) against a Gregor
 * broker: two kcat members share a 4-partition topic and consume every record exactly
 * once between them; stopping them (SIGTERM) commits their positions (auto commit on
 * close); a later `kcat -G ... -e` in the same group reads only what came after.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { RunningBroker } from '../../src/broker.ts';
import { createTopic as createTopicWith } from '../../src/cli/client/admin.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { KCAT, kcat } from './helpers/processes.ts';
import { duplicates, GroupInspector, waitFor } from './groups-helpers.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC = 'kcat-groups';
const GROUP = 'kcat-balanced';
const PARTITIONS = 4;
const FIRST = 80;
const SECOND = 20;

let broker: RunningBroker;
let inspector: GroupInspector;

before(async () => {
  broker = await startCompatBroker({ 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '10' });
  inspector = new GroupInspector(broker.bootstrap);
});

after(async () => {
  await inspector?.close();
  await broker?.stop();
});

function consumerArgs(): string[] {
  return ['-b', broker.bootstrap, '-G', GROUP, '-u', '-q', '-f', '%p@%o\n', '-X', 'auto.offset.reset=earliest',
    '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=500', TOPIC];
}

/** A running `kcat -G`: the "partition@offset" lines it printed so far. */
function startMember(): { lines: string[]; stop(): Promise<number | null> } {
  const child = spawn(KCAT, consumerArgs(), { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.resume();
  const exited = once(child, 'close');
  return {
    lines,
    async stop() {
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** `count` records, record i of them to partition i % PARTITIONS. */
async function produce(from: number, count: number): Promise<void> {
  for (let p = 0; p < PARTITIONS; p++) {
    const values = Array.from({ length: count }, (_, i) => i).filter((i) => i % PARTITIONS === p).map((i) => `v${from + i}\n`);
    await kcat(['-b', broker.bootstrap, '-P', '-t', TOPIC, '-p', String(p)], { input: values.join('') });
  }
}

async function createTopic(): Promise<void> {
  const client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
  try {
    await createTopicWith(client, { name: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1, configs: {} });
  } finally {
    await client.close();
  }
}

test('two balanced kcat consumers share a topic; commits on close; a later member resumes', { timeout: TEST_TIMEOUT_MS }, async () => {
  await createTopic();
  const a = startMember();
  const b = startMember();
  await waitFor('both kcat members in a Stable group', async () => {
    const g = await inspector.describe(GROUP).catch(() => null);
    return g !== null && g.groupState === 'Stable' && g.members.length === 2;
  });
  await produce(0, FIRST);
  await waitFor(`${FIRST} records consumed`, () => a.lines.length + b.lines.length >= FIRST,
    () => [a.lines.length, b.lines.length]);
  assert.equal(await a.stop(), 0);
  assert.equal(await b.stop(), 0);

  const all = [...a.lines, ...b.lines];
  assert.deepEqual(duplicates(all), []);
  assert.equal(all.length, FIRST);
  assert.ok(a.lines.length > 0 && b.lines.length > 0, `one member consumed nothing: ${a.lines.length}/${b.lines.length}`);
  const committed = await inspector.committed(GROUP, TOPIC);
  assert.deepEqual([...committed].sort(([x], [y]) => x - y), Array.from({ length: PARTITIONS }, (_, p) => [p, FIRST / PARTITIONS]));

  await produce(FIRST, SECOND);
  const resumed = (await kcat([...consumerArgs(), '-e'])).toString('utf8').trim().split('\n');
  const perPartition = FIRST / PARTITIONS;
  const expected = Array.from({ length: SECOND }, (_, i) => `${i % PARTITIONS}@${perPartition + Math.floor(i / PARTITIONS)}`);
  assert.deepEqual(resumed.sort(), expected.sort());
});
