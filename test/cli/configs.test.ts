/**
 * `gregor configs describe|alter` and `gregor topics delete-records` end to end against a
 * test broker: output layouts, the changes reaching the broker, and Kafka's error names.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { records } from '../replication/helpers.ts';
import { runCli } from './run-cli.ts';

describe('gregor configs / topics delete-records', () => {
  let broker: TestBroker;
  let bootstrap: string[];

  before(async () => {
    broker = await startTestBroker();
    bootstrap = ['--bootstrap-server', broker.bootstrap];
    await broker.services.metadata.createTopic({ name: 'events', numPartitions: 1, replicationFactor: 1, configs: { 'retention.ms': '60000' } });
    await broker.services.metadataApplied();
  });
  after(() => broker.stopAndRemove());

  it('describes a topic\'s overrides, or every config with --all', async () => {
    const res = await runCli(['configs', 'describe', '--topic', 'events', ...bootstrap]);
    assert.equal(res.code, 0, res.stderr);
    const [header, ...lines] = res.stdout.trim().split('\n');
    assert.equal(header, 'Dynamic configs for topic events are:');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^ {2}retention\.ms=60000 sensitive=false synonyms=\{DYNAMIC_TOPIC_CONFIG:retention\.ms=60000\}$/);
    const all = await runCli(['configs', 'describe', '--topic', 'events', '--all', ...bootstrap]);
    assert.match(all.stdout, /^All configs for topic events are:$/m);
    assert.match(all.stdout, /^ {2}segment\.bytes=1073741824 sensitive=false synonyms=\{DEFAULT_CONFIG:log\.segment\.bytes=1073741824\}$/m);
  });

  it('alters a topic with --set and --delete (IncrementalAlterConfigs)', async () => {
    const res = await runCli(['configs', 'alter', '--topic', 'events', '--set', 'max.message.bytes=4096', '--set', 'cleanup.policy=compact,delete', '--delete', 'retention.ms', ...bootstrap]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'Completed updating config for topic events.\n');
    assert.deepEqual(broker.services.metadata.image().topic('events')!.configs, { 'max.message.bytes': '4096', 'cleanup.policy': 'compact,delete' });
    assert.equal(broker.services.logs.getLog('events', 0)!.config.maxMessageBytes, 4096);
    const bad = await runCli(['configs', 'alter', '--topic', 'events', '--set', 'retention.ms=soon', ...bootstrap]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /INVALID_CONFIG/);
  });

  it('alters and describes broker configs: one broker and the cluster defaults', async () => {
    const dflt = await runCli(['configs', 'alter', '--broker-defaults', '--set', 'log.retention.ms=7200000', ...bootstrap]);
    assert.equal(dflt.code, 0, dflt.stderr);
    assert.equal(dflt.stdout, 'Completed updating config for default brokers.\n');
    const own = await runCli(['configs', 'alter', '--broker', '1', '--set', 'log.retention.ms=3600000', ...bootstrap]);
    assert.equal(own.stdout, 'Completed updating config for broker 1.\n');
    const described = await runCli(['configs', 'describe', '--broker', '1', ...bootstrap]);
    assert.equal(described.code, 0, described.stderr);
    // As Kafka (ConfigHelper.configSynonyms): a key's synonyms start at its own first value,
    // so log.retention.hours/minutes, which have none but defaults, are not dynamic.
    const lines = described.stdout.trim().split('\n');
    assert.equal(lines[0], 'Dynamic configs for broker 1 are:');
    assert.deepEqual(lines.slice(1).map((l) => l.split('=')[0].trim()), ['log.retention.ms']);
    assert.equal(lines[1], '  log.retention.ms=3600000 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.ms=3600000, '
      + 'DYNAMIC_DEFAULT_BROKER_CONFIG:log.retention.ms=7200000, DEFAULT_CONFIG:log.retention.hours=168}');
    const defaults = await runCli(['configs', 'describe', '--broker-defaults', ...bootstrap]);
    assert.match(defaults.stdout, /^Dynamic configs for default brokers are:\n {2}log\.retention\.ms=7200000 /);
    const readOnly = await runCli(['configs', 'alter', '--broker', '1', '--set', 'num.partitions=4', ...bootstrap]);
    assert.equal(readOnly.code, 1);
    assert.match(readOnly.stderr, /INVALID_REQUEST: Cannot update these configs dynamically: \[num\.partitions\]/);
    const noEntity = await runCli(['configs', 'describe', ...bootstrap]);
    assert.equal(noEntity.code, 1);
    assert.match(noEntity.stderr, /exactly one of --topic, --broker, --broker-defaults/);
  });

  it('topics delete-records moves the log start offset; above the high watermark is OFFSET_OUT_OF_RANGE', async () => {
    await broker.services.metadata.createTopic({ name: 'trimmed', numPartitions: 1, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
    const partition = broker.services.replicas.getPartition('trimmed', 0)!;
    assert.ok((await partition.appendRecordsToLeader(await records(10), { requiredAcks: 1 })).ok);
    const res = await runCli(['topics', 'delete-records', 'trimmed', '--partition', '0', '--offset', '4', ...bootstrap]);
    assert.equal(res.code, 0, res.stderr);
    assert.equal(res.stdout, 'Deleted records of trimmed-0; its log start offset (low watermark) is now 4.\n');
    assert.equal(partition.logStartOffset, 4);
    const tooFar = await runCli(['topics', 'delete-records', 'trimmed', '--partition', '0', '--offset', '11', ...bootstrap]);
    assert.equal(tooFar.code, 1);
    assert.match(tooFar.stderr, /OFFSET_OUT_OF_RANGE/);
    const toHw = await runCli(['topics', 'delete-records', 'trimmed', '--partition', '0', '--offset', '-1', ...bootstrap]);
    assert.match(toHw.stdout, /is now 10\.$/m);
  });
});
