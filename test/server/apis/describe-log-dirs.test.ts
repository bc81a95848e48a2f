import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DescribeLogDirsResponse } from '../../../src/protocol/generated/describe-log-dirs.ts';
import { createDescribeLogDirsHandler } from '../../../src/server/apis/describe-log-dirs.ts';
import { answer, Fixture, records } from '../../replication/helpers.ts';

async function setup() {
  const f = await Fixture.open();
  await f.setTopics({ name: 'a', partitions: 2 }, { name: 'b' });
  const out = await f.replicas.getPartition('a', 1)!.appendRecordsToLeader(await records(3), { requiredAcks: 1 });
  assert.ok(out.ok);
  const handler = createDescribeLogDirsHandler({ logs: f.logs });
  const describe = (version: number, topics: { topic: string; partitions: number[] }[] | null) =>
    answer<DescribeLogDirsResponse>(handler, version, { topics });
  return { f, handler, describe };
}

test('advertises DescribeLogDirs 0-4', async () => {
  const { f, handler } = await setup();
  assert.deepEqual([handler.minVersion, handler.maxVersion], [0, 4]);
  await f.close();
});

test('null topics lists every partition of the dir with its size; every version', async () => {
  const { f, describe } = await setup();
  const size = f.replicas.getPartition('a', 1)!.log.size;
  assert.ok(size > 0);
  for (let v = 0; v <= 4; v++) {
    const res = await describe(v, null);
    assert.equal(res.results.length, 1);
    const [dir] = res.results;
    assert.deepEqual([dir.errorCode, dir.logDir], [0, f.dir]);
    const byTopic = new Map(dir.topics.map((t) => [t.name, t.partitions]));
    assert.deepEqual(byTopic.get('a'), [
      { partitionIndex: 0, partitionSize: 0, offsetLag: 0, isFutureKey: false },
      { partitionIndex: 1, partitionSize: size, offsetLag: 0, isFutureKey: false },
    ]);
    assert.deepEqual(byTopic.get('b'), [{ partitionIndex: 0, partitionSize: 0, offsetLag: 0, isFutureKey: false }]);
    if (v >= 4) {
      assert.ok(dir.totalBytes > 0 && dir.usableBytes >= 0 && dir.usableBytes <= dir.totalBytes);
    } else {
      assert.deepEqual([dir.totalBytes, dir.usableBytes], [-1, -1], 'not in the wire format before v4');
    }
  }
  await f.close();
});

test('named partitions only; a dir without any of them is listed empty', async () => {
  const { f, describe } = await setup();
  const res = await describe(2, [{ topic: 'a', partitions: [1, 5] }, { topic: 'zzz', partitions: [0] }]);
  assert.deepEqual(res.results[0].topics.map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)]), [['a', [1]]]);
  const none = await describe(2, [{ topic: 'zzz', partitions: [0] }]);
  assert.deepEqual(none.results[0].topics, []);
  await f.close();
});
