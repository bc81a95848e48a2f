/**
 * Committed offsets survive broker restarts (issue 3: "restart of the broker between
 * commit and resume continues at the committed offset"): confluent-kafka-python commits,
 * the broker (a child process) stops gracefully and later is killed with SIGKILL, and each
 * time the next member of the group resumes exactly at the committed offsets, which the
 * broker also reports through OffsetFetch right after it comes back. A group deleted
 * (DeleteGroups writes tombstones for its offsets and metadata) stays deleted after a
 * restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteGroup } from '../../src/cli/client/groups.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { runPython } from './helpers/processes.ts';
import { SubprocessBroker } from './helpers/subprocess-broker.ts';
import { GroupInspector } from './groups-helpers.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const GROUP = 'py-groups-resume';
const TOPIC = 'py-groups-resume';

let broker: SubprocessBroker;

before(async () => {
  broker = await SubprocessBroker.start({ 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '10' });
});

after(() => broker?.destroy());

async function committedAfterRestart(): Promise<number[]> {
  const inspector = new GroupInspector(broker.bootstrap);
  try {
    const committed = await inspector.committed(GROUP, TOPIC);
    return [0, 1, 2].map((p) => committed.get(p) ?? -1);
  } finally {
    await inspector.close();
  }
}

test('a restarted broker (graceful, then kill -9) resumes the group at its committed offsets', { timeout: TEST_TIMEOUT_MS }, async () => {
  await runPython('groups_resume.py', [broker.bootstrap, '-1', '4']);

  await broker.stop();
  await broker.restart();
  assert.deepEqual(await committedAfterRestart(), [4, 4, 4], `after a graceful restart\n${broker.output}`);
  await runPython('groups_resume.py', [broker.bootstrap, '4', '7']);

  await broker.kill9();
  await broker.restart();
  assert.deepEqual(await committedAfterRestart(), [7, 7, 7], `after kill -9\n${broker.output}`);
  await runPython('groups_resume.py', [broker.bootstrap, '7', '10']);
});

test('a deleted group stays deleted after a restart (its tombstones are replayed)', { timeout: TEST_TIMEOUT_MS }, async () => {
  const client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
  try {
    await deleteGroup(client, GROUP);
  } finally {
    await client.close();
  }
  await broker.kill9();
  await broker.restart();
  assert.deepEqual(await committedAfterRestart(), [-1, -1, -1], `offsets after restart\n${broker.output}`);
  const inspector = new GroupInspector(broker.bootstrap);
  try {
    assert.equal((await inspector.describe(GROUP)).groupState, 'Dead');
  } finally {
    await inspector.close();
  }
});
