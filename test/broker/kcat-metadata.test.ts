/**
 * librdkafka (through kcat -L -J) reads the broker's metadata: brokers, topics,
 * partitions, leaders, replicas and ISR.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';

const run = promisify(execFile);

interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; error?: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
}

async function kcatList(bootstrap: string, topic?: string): Promise<KcatMetadata> {
  const args = ['-b', bootstrap, '-L', '-J', '-m', '10', ...(topic === undefined ? [] : ['-t', topic])];
  const { stdout } = await run('kcat', args, { timeout: 20_000 });
  return JSON.parse(stdout) as KcatMetadata;
}

describe('kcat -L', () => {
  let broker: TestBroker;

  before(async () => {
    broker = await startTestBroker();
    await broker.services.metadata.createTopic({ name: 'kcat-a', numPartitions: 3, replicationFactor: 1, configs: {} });
    await broker.services.metadata.createTopic({ name: 'kcat-b', numPartitions: 1, replicationFactor: 1, configs: {} });
  });

  after(() => broker.stopAndRemove());

  test('lists the broker and every topic with its partitions', async () => {
    const md = await kcatList(broker.bootstrap);
    assert.deepEqual(md.brokers, [{ id: 1, name: broker.bootstrap }]);
    const topics = new Map(md.topics.map((t) => [t.topic, t]));
    assert.deepEqual([...topics.keys()].sort(), ['kcat-a', 'kcat-b']);
    const a = topics.get('kcat-a')!;
    assert.deepEqual(
      a.partitions.map((p) => [p.partition, p.leader, p.replicas.map((r) => r.id), p.isrs.map((r) => r.id)]).sort(),
      [[0, 1, [1], [1]], [1, 1, [1], [1]], [2, 1, [1], [1]]],
    );
  });

  test('lists one topic', async () => {
    const md = await kcatList(broker.bootstrap, 'kcat-b');
    assert.deepEqual(md.topics.map((t) => [t.topic, t.partitions.length]), [['kcat-b', 1]]);
  });
});
