/**
 * `gregor topics` end to end: create, list, describe (partitions, leader, replicas,
 * ISR, topic id, non-default configs) and delete against a test broker, and the exit
 * code and Kafka error name when the broker refuses.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { runCli } from './run-cli.ts';

describe('gregor topics', () => {
  let broker: TestBroker;
  let bootstrap: string[];

  before(async () => {
    broker = await startTestBroker();
    bootstrap = ['--bootstrap-server', broker.bootstrap];
  });
  after(() => broker.stopAndRemove());

  it('creates, lists, describes and deletes topics', async () => {
    const created = await runCli(['topics', 'create', 'orders', '--partitions', '3', '--replication-factor', '1',
      '--config', 'cleanup.policy=compact', '--config', 'retention.ms=60000', ...bootstrap]);
    assert.equal(created.code, 0, created.stderr);
    assert.equal(created.stdout, 'Created topic orders.\n');
    assert.equal((await runCli(['topics', 'create', 'plain', ...bootstrap])).code, 0);

    const listed = await runCli(['topics', 'list', ...bootstrap]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(listed.stdout.trim().split('\n'), ['orders', 'plain']);

    const described = await runCli(['topics', 'describe', 'orders', ...bootstrap]);
    assert.equal(described.code, 0, described.stderr);
    const [header, ...partitionLines] = described.stdout.trim().split('\n');
    const topicId = broker.services.metadata.image().topic('orders')?.topicId;
    assert.equal(header, `Topic: orders\tTopicId: ${topicId}\tPartitionCount: 3\tReplicationFactor: 1\t`
      + 'Configs: cleanup.policy=compact,retention.ms=60000');
    assert.deepEqual(partitionLines, [0, 1, 2].map((p) =>
      `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1`));

    const all = await runCli(['topics', 'describe', ...bootstrap]);
    assert.match(all.stdout, /^Topic: plain\t.*\tConfigs: $/m);

    const deleted = await runCli(['topics', 'delete', 'plain', ...bootstrap]);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'Deleted topic plain.\n');
    assert.equal((await runCli(['topics', 'list', ...bootstrap])).stdout, 'orders\n');
  });

  it('exits 1 with Kafka\'s error name when the broker refuses', async () => {
    assert.equal((await runCli(['topics', 'create', 'twice', ...bootstrap])).code, 0);
    const again = await runCli(['topics', 'create', 'twice', ...bootstrap]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /TOPIC_ALREADY_EXISTS/);
    assert.match(again.stderr, /\n  hint: pick another name, or delete the topic first with `gregor topics delete <name>`\n$/);

    const missing = await runCli(['topics', 'delete', 'no-such-topic', ...bootstrap]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /UNKNOWN_TOPIC_OR_PARTITION/);
    assert.match(missing.stderr, /hint: list topics with `gregor topics list`/);

    const badConfig = await runCli(['topics', 'create', 'bad', '--config', 'segment.bytes=x', ...bootstrap]);
    assert.equal(badConfig.code, 1);
    assert.match(badConfig.stderr, /INVALID_CONFIG.*segment\.bytes/);
    assert.match(badConfig.stderr, /hint: see valid keys and current values with `gregor configs describe/);
  });

  it('exits 1 when no broker listens', async () => {
    const result = await runCli(['topics', 'list', '--bootstrap-server', '127.0.0.1:1']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^gregor: cannot connect to 127\.0\.0\.1:1/);
    assert.match(result.stderr, /hint: is a broker running there\? Start one with `gregor start`/);
  });

  it('shows the command\'s help when its arguments are wrong', async () => {
    const result = await runCli(['topics', 'create']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /missing required argument 'name'/);
    assert.match(result.stderr, /Usage: gregor topics create/);
  });
});
