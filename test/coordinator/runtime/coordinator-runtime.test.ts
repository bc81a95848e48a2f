import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ErrorCode } from '../../../src/protocol/errors.ts';
import { ManualScheduler } from '../../../src/coordinator/runtime/timer.ts';
import { GroupCoordinator } from '../../../src/coordinator/group/group-coordinator.ts';
import { silentLogger } from '../../../src/logger.ts';
import { topicInfo, Fixture } from '../../replication/helpers.ts';
import { CTX, GROUP_DEFAULTS, joinRequest } from '../helpers.ts';

async function setup() {
  const scheduler = new ManualScheduler();
  // group.initial.rebalance.delay.ms stays at its default (3 s): the scheduler never advances here.
  const f = await Fixture.open({ clock: scheduler, props: { ...GROUP_DEFAULTS, 'offsets.topic.num.partitions': '1', 'group.initial.rebalance.delay.ms': '3000' } });
  const metadata = { image: () => f.image, onChange: () => () => {}, createTopic: async () => { throw new Error('not in this test'); } };
  const groups = new GroupCoordinator({ config: f.config, metadata, metadataApplied: async () => {}, replicas: f.replicas, clock: scheduler, logger: silentLogger });
  await groups.start();
  return { f, groups };
}

test('lookups: no topic COORDINATOR_NOT_AVAILABLE; led elsewhere NOT_COORDINATOR; led here after loading NONE', async () => {
  const { f, groups } = await setup();
  assert.equal(groups.coordinatorError('g'), ErrorCode.COORDINATOR_NOT_AVAILABLE);
  const offsets = topicInfo({ name: '__consumer_offsets', partitions: 1, leader: 2, replicas: [1, 2], isInternal: true, configs: { 'cleanup.policy': 'compact' } });
  await f.apply(f.image.withTopic(offsets));
  await groups.runtime.reconcile();
  assert.equal(groups.coordinatorError('g'), ErrorCode.NOT_COORDINATOR);
  assert.equal((await groups.findCoordinator('g')).nodeId, 2);
  // This broker becomes leader: the partition loads, then serves.
  await f.apply(f.image.withTopic({ ...offsets, partitions: offsets.partitions.map((p) => ({ ...p, leader: 1, leaderEpoch: 1 })) }));
  const reconciling = groups.runtime.reconcile();
  assert.equal(groups.coordinatorError('g'), ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  await reconciling;
  await groups.runtime.whenLoaded();
  assert.equal(groups.coordinatorError('g'), ErrorCode.NONE);
  assert.equal(groups.heartbeat({ groupId: 'g', memberId: 'm', generationId: 1, groupInstanceId: null }), ErrorCode.UNKNOWN_MEMBER_ID);
  await groups.close();
  await f.close();
});

test('losing leadership unloads the partition: parked JoinGroups are answered NOT_COORDINATOR', async () => {
  const { f, groups } = await setup();
  const offsets = topicInfo({ name: '__consumer_offsets', partitions: 1, replicas: [1, 2], isInternal: true, configs: { 'cleanup.policy': 'compact' } });
  await f.apply(f.image.withTopic(offsets));
  await groups.runtime.reconcile();
  await groups.runtime.whenLoaded();
  // A member parks in the (delayed) initial join phase.
  const parked = groups.joinGroup(joinRequest('g'), { ...CTX, apiVersion: 3 });
  assert.equal(groups.classicGroup('g')?.state, 'PreparingRebalance');
  await f.apply(f.image.withTopic({ ...offsets, partitions: offsets.partitions.map((p) => ({ ...p, leader: 2, leaderEpoch: 1 })) }));
  await groups.runtime.reconcile();
  assert.equal((await parked).errorCode, ErrorCode.NOT_COORDINATOR);
  assert.equal(groups.coordinatorError('g'), ErrorCode.NOT_COORDINATOR);
  await groups.close();
  await f.close();
});
