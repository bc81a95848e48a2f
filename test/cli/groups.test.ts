/**
 * `gregor groups` against a test broker: list, describe (kafka-consumer-groups' offsets
 * table: committed offset, log end offset, lag, and the member owning each partition),
 * delete (only empty groups; offsets go too), reset-offsets (dry run by default, every
 * target, refused while the group has members); and the option parsers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Consumer } from 'kafkajs';
import { describeGroup, fetchCommittedOffsets } from '../../src/cli/client/groups.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { formatOffsetRows } from '../../src/cli/commands/groups.ts';
import { parseDatetime, parseDuration, parseTopicSpec } from '../../src/cli/commands/groups-reset-offsets.ts';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { runCli } from './run-cli.ts';

const { Kafka, logLevel } = kafkajs;
const TOPIC = 'cli-groups';
const PARTITIONS = 3;
const PER_PARTITION = 10;

describe('gregor groups option parsers and layout', () => {
  it('parses ISO-8601 durations as Java\'s Duration does', () => {
    assert.equal(parseDuration('PT1H30M'), 5_400_000);
    assert.equal(parseDuration('P1DT12H'), 129_600_000);
    assert.equal(parseDuration('PT0.5S'), 500);
    assert.equal(parseDuration('P2D'), 172_800_000);
    for (const bad of ['P', 'PT', '1H', 'PT1X', '']) assert.throws(() => parseDuration(bad), /ISO-8601 duration/, bad);
  });

  it('parses date-times with and without a zone', () => {
    assert.equal(parseDatetime('2024-01-02T03:04:05.678Z'), Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    assert.equal(parseDatetime('2024-01-02T03:04:05+01:00'), Date.UTC(2024, 0, 2, 2, 4, 5));
    assert.equal(parseDatetime('2024-01-02T03:04:05'), new Date(2024, 0, 2, 3, 4, 5).getTime());
    for (const bad of ['2024-01-02', 'yesterday', '2024-13-40T99:00:00']) assert.throws(() => parseDatetime(bad), /expected/, bad);
  });

  it('parses topic[:partitions]', () => {
    assert.deepEqual(parseTopicSpec('orders'), { topic: 'orders', partitions: null });
    assert.deepEqual(parseTopicSpec('orders:0,2'), { topic: 'orders', partitions: [0, 2] });
    assert.throws(() => parseTopicSpec('orders:x'));
  });

  it('lays out the offsets table like kafka-consumer-groups', () => {
    const text = formatOffsetRows('g', [
      { topic: 't', partition: 0, currentOffset: 4, logEndOffset: 10, consumerId: 'c-1', host: '/127.0.0.1', clientId: 'app' },
      { topic: 't', partition: 1, currentOffset: null, logEndOffset: 7, consumerId: null, host: null, clientId: null },
    ]);
    assert.equal(text, [
      '',
      'GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST       CLIENT-ID',
      'g     t     0         4              10             6   c-1         /127.0.0.1 app',
      'g     t     1         -              7              -   -           -          -',
    ].join('\n'));
  });
});

describe('gregor groups', () => {
  let broker: TestBroker;
  let bootstrap: string[];
  let kafka: InstanceType<typeof Kafka>;

  before(async () => {
    broker = await startTestBroker({ 'group.initial.rebalance.delay.ms': '0', 'offsets.topic.num.partitions': '5' });
    bootstrap = ['--bootstrap-server', broker.bootstrap];
    kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'cli-groups-test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: TOPIC,
      messages: Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => ({ partition: i % PARTITIONS, value: `v${i}` })),
    });
    await producer.disconnect();
  });
  after(() => broker.stopAndRemove());

  async function cli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runCli(['groups', ...args, ...bootstrap]);
  }

  /** describe's rows as [topic, partition, current, end, lag, consumer, host, client] (header dropped). */
  async function describeRows(group: string): Promise<string[][]> {
    const out = await cli('describe', group);
    assert.equal(out.code, 0, out.stderr);
    return out.stdout.trim().split('\n').slice(1).map((l) => l.trim().split(/\s+/).slice(1));
  }

  it('reset-offsets plans without committing unless --execute, for every target', async () => {
    const dry = await cli('reset-offsets', 'resets', '--topic', TOPIC, '--to-earliest');
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(dry.stdout.trim().split('\n').map((l) => l.split(/\s+/)), [
      ['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], ['resets', TOPIC, '0', '0'], ['resets', TOPIC, '1', '0'], ['resets', TOPIC, '2', '0'],
    ]);
    assert.match(dry.stderr, /Dry run/);
    const missing = await cli('describe', 'resets');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /GROUP_ID_NOT_FOUND/);

    const executed = await cli('reset-offsets', 'resets', '--topic', `${TOPIC}:0,1`, '--to-offset', '4', '--execute');
    assert.equal(executed.code, 0, executed.stderr);
    assert.deepEqual(await describeRows('resets'), [
      [TOPIC, '0', '4', '10', '6', '-', '-', '-'], [TOPIC, '1', '4', '10', '6', '-', '-', '-'],
    ]);
    assert.match((await cli('list')).stdout, /^resets$/m);

    const targets: [string[], number][] = [
      [['--to-latest'], 10], [['--to-offset', '99'], 10], [['--to-datetime', '2000-01-01T00:00:00.000Z'], 0],
      [['--to-datetime', '2999-01-01T00:00:00.000Z'], 10], [['--by-duration', 'P1D'], 0], [['--to-earliest'], 0],
    ];
    const client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
    try {
      for (const [target, offset] of targets) {
        const out = await cli('reset-offsets', 'resets', '--topic', `${TOPIC}:2`, ...target, '--execute');
        assert.equal(out.code, 0, out.stderr);
        const committed = await fetchCommittedOffsets(client, 'resets');
        assert.equal(committed.find((c) => c.partition === 2)?.offset, offset, target.join(' '));
      }
    } finally {
      await client.close();
    }
  });

  it('describes a group with a member; refuses to delete or reset it; deletes it once empty', async () => {
    const consumer: Consumer = kafka.consumer({ groupId: 'live', sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 });
    let consumed = 0;
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    await consumer.run({ eachMessage: async () => { consumed++; } });
    try {
      const client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
      try {
        const deadline = Date.now() + 30_000;
        const settled = async (): Promise<boolean> => consumed === PARTITIONS * PER_PARTITION
          && (await describeGroup(client, 'live')).groupState === 'Stable'
          && (await fetchCommittedOffsets(client, 'live')).filter((c) => c.offset === PER_PARTITION).length === PARTITIONS;
        while (!(await settled())) {
          assert.ok(Date.now() < deadline, `group 'live' did not settle: ${consumed} records consumed`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      } finally {
        await client.close();
      }
      const rows = await describeRows('live');
      assert.deepEqual(rows.map((r) => r.slice(0, 5)), [0, 1, 2].map((p) => [TOPIC, String(p), '10', '10', '0']));
      for (const r of rows) {
        assert.match(r[5], /^cli-groups-test-/, 'consumer id');
        assert.equal(r[6], '/127.0.0.1', 'host (as Kafka prints the client address)');
        assert.equal(r[7], 'cli-groups-test', 'client id');
      }
      const reset = await cli('reset-offsets', 'live', '--topic', TOPIC, '--to-earliest', '--execute');
      assert.equal(reset.code, 1);
      assert.match(reset.stderr, /inactive, but the current state is Stable/);
      const refused = await cli('delete', 'live');
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /NON_EMPTY_GROUP/);
    } finally {
      await consumer.disconnect();
    }

    const empty = await cli('describe', 'live');
    assert.equal(empty.code, 0, empty.stderr);
    assert.match(empty.stderr, /Consumer group 'live' has no active members/);
    const deleted = await cli('delete', 'live');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, "Deletion of requested consumer groups ('live') was successful.\n");
    const gone = await cli('describe', 'live');
    assert.equal(gone.code, 1);
    assert.match(gone.stderr, /GROUP_ID_NOT_FOUND/);
    assert.doesNotMatch((await cli('list')).stdout, /^live$/m);
    const again = await cli('delete', 'live');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /GROUP_ID_NOT_FOUND/);
  });
});
