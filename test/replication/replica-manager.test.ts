import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetadataImage } from '../../src/cluster/metadata-image.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { Fixture, records, topicInfo } from './helpers.ts';

test('applyImage hosts partitions whose replicas include this node, as leader with the image epoch', async () => {
  const f = await Fixture.open();
  await f.setTopics({ name: 'a', partitions: 2, leaderEpoch: 3 }, { name: 'elsewhere', replicas: [2], leader: 2 });
  const a0 = f.replicas.getPartition('a', 0)!;
  assert.equal(a0.isLeader, true);
  assert.equal(a0.leaderEpoch, 3);
  assert.ok(f.replicas.getPartition('a', 1));
  assert.equal(f.replicas.getPartition('elsewhere', 0), undefined);
  assert.equal(f.logs.topicIdOf('a', 0), f.image.topic('a')!.topicId);
  const lookup = f.replicas.lookup(f.image, 'elsewhere', 0);
  assert.deepEqual(lookup, { ok: false, error: ErrorCode.NOT_LEADER_OR_FOLLOWER });
  assert.deepEqual(f.replicas.lookup(f.image, 'missing', 0), { ok: false, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  assert.deepEqual(f.replicas.lookup(f.image, 'a', 5), { ok: false, error: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  await f.close();
});

test('applyImage follows leadership and epoch changes', async () => {
  const f = await Fixture.open();
  const [info] = await f.setTopics({ name: 'a', replicas: [1, 2], isr: [1, 2] });
  const p = f.replicas.getPartition('a', 0)!;
  assert.equal(p.isLeader, true);
  await f.apply(f.image.withTopic({ ...info, partitions: [{ ...info.partitions[0], leader: 2, leaderEpoch: 1 }] }));
  assert.equal(p.isLeader, false);
  assert.equal(p.leaderEpoch, 1);
  assert.equal(p.checkLeaderEpoch(-1, true), ErrorCode.NOT_LEADER_OR_FOLLOWER);
  assert.equal(p.checkLeaderEpoch(-1, false), ErrorCode.NONE);
  await f.close();
});

test('applyImage pushes topic config changes into the log', async () => {
  const f = await Fixture.open();
  const [info] = await f.setTopics({ name: 'a' });
  const log = f.replicas.getPartition('a', 0)!.log;
  assert.equal(log.config.maxMessageBytes, 1048588);
  await f.apply(f.image.withTopic({ ...info, configs: { 'max.message.bytes': '2000', 'message.timestamp.type': 'LogAppendTime' } }));
  assert.equal(log.config.maxMessageBytes, 2000);
  assert.equal(log.config.messageTimestampType, 'LogAppendTime');
  await f.close();
});

test('applyImage deletes the logs of deleted or recreated topics and wakes waiters', async () => {
  const f = await Fixture.open();
  const [a] = await f.setTopics({ name: 'a' }, { name: 'b' });
  const p = f.replicas.getPartition('a', 0)!;
  await p.appendRecordsToLeader(await records(2), { requiredAcks: 1 });
  let woken = false;
  p.watch(() => { woken = true; });
  await f.apply(f.image.withoutTopic(a.topicId));
  assert.equal(woken, true);
  assert.equal(p.removed, true);
  assert.equal(f.replicas.getPartition('a', 0), undefined);
  assert.equal(f.logs.getLog('a', 0), undefined);
  assert.ok(f.logs.getLog('b', 0));
  // Same name, new id: the old data must not reappear.
  await f.setTopics({ name: 'b', topicId: 'recreatedAAAAAAAAAAAAA' });
  const b = f.replicas.getPartition('b', 0)!;
  assert.equal(b.topicId, 'recreatedAAAAAAAAAAAAA');
  assert.equal(b.logEndOffset, 0);
  await f.close();
});

test('stray logs on disk are deleted at start, but never by an empty image', async () => {
  const f = await Fixture.open();
  await f.setTopics({ name: 'gone' });
  await f.replicas.getPartition('gone', 0)!.appendRecordsToLeader(await records(1), { requiredAcks: 1 });
  await f.close();
  const g = await Fixture.open({ dir: f.dir });
  assert.ok(g.logs.getLog('gone', 0));
  await g.replicas.applyImage(g.image.withTopic(topicInfo({ name: 'other' })).withoutTopic('none0000AAAAAAAAAAAAAA'));
  assert.equal(g.logs.getLog('gone', 0), undefined);
  await g.close();
  const h = await Fixture.open();
  await h.logs.getOrCreateLog('kept', 0);
  await h.replicas.applyImage(new MetadataImage({ clusterId: 'x', controllerId: 1 }));
  assert.ok(h.logs.getLog('kept', 0));
  await h.close();
});

test('close wakes parked operations', async () => {
  const f = await Fixture.open();
  await f.setTopics({ name: 'a' });
  const p = f.replicas.getPartition('a', 0)!;
  const waiting = f.replicas.delayed.wait([p], 60_000, () => false);
  assert.equal(f.replicas.delayed.pendingCount, 1);
  await f.close();
  assert.equal(await waiting, 'expired');
});
