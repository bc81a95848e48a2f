/**
 * confluent-kafka-python 1.7.0 (librdkafka 2.0.2) consumer groups against a Gregor broker:
 * cooperative-sticky incremental rebalancing with synchronous commits, and static
 * membership (a group.instance.id restarted within its session timeout causes no
 * rebalance; DescribeGroups shows the instance under a new member id, group Stable). The
 * scripts in python/groups_*.py check the clients' side themselves.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import type { DescribedGroup } from '../../src/cli/client/groups.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { assertSuccess, runPython, streamPython } from './helpers/processes.ts';
import { GroupInspector } from './groups-helpers.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

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

test('cooperative-sticky: incremental rebalance, every record consumed once, commits', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('groups_cooperative.py', [broker.bootstrap]);
  assert.ok((summary.a as number) > 0 && (summary.b as number) > 0, JSON.stringify(summary));
});

test('static member restarted within its session timeout: no rebalance', { timeout: TEST_TIMEOUT_MS }, async () => {
  let described: Promise<DescribedGroup> | null = null;
  const run = streamPython('groups_static.py', [broker.bootstrap], (line) => {
    if (line.includes('"phase": "restarted"')) described = inspector.describe('py-groups-static');
  });
  const result = await run.exited;
  assertSuccess('python groups_static.py', result);
  assert.ok(described !== null, 'the script never reported the restart');
  const group = await (described as Promise<DescribedGroup>);
  assert.equal(group.groupState, 'Stable');
  assert.deepEqual(group.members.map((m) => m.groupInstanceId).sort(), ['instance-a', 'instance-b']);
});
