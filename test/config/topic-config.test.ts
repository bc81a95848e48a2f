import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { ConfigSource, CONFIG_TYPE_ID } from '../../src/config/config-types.ts';
import { defaultLogConfig, LONG_MAX_AS_NUMBER } from '../../src/config/log-config.ts';
import { describeTopicConfig, resolveLogConfig, validateTopicConfigs } from '../../src/config/topic-config.ts';
import { TOPIC_CONFIG_DEFS } from '../../src/config/topic-config-defs.ts';

test('with a default broker and no overrides, the LogConfig equals defaultLogConfig', () => {
  assert.deepEqual(resolveLogConfig(BrokerConfig.from({}), {}), defaultLogConfig);
});

test('topic defaults agree with the broker defaults they fall back to', () => {
  const broker = BrokerConfig.from({});
  for (const entry of describeTopicConfig(broker, {})) {
    const def = TOPIC_CONFIG_DEFS.get(entry.name)!;
    assert.equal(entry.value, def.defaultValue, `default of ${entry.name}`);
    assert.equal(entry.source, ConfigSource.DEFAULT_CONFIG, entry.name);
  }
});

test('overrides win over broker settings, broker settings over defaults', () => {
  const broker = BrokerConfig.from({ 'log.retention.hours': '1', 'log.segment.bytes': '2097152', 'log.cleanup.policy': 'compact' });
  const cfg = resolveLogConfig(broker, { 'segment.bytes': '4194304', 'message.timestamp.type': 'LogAppendTime' });
  assert.equal(cfg.retentionMs, 3600_000);
  assert.equal(cfg.segmentBytes, 4194304);
  assert.deepEqual(cfg.cleanupPolicy, ['compact']);
  assert.equal(cfg.messageTimestampType, 'LogAppendTime');
  assert.equal(cfg.flushMs, LONG_MAX_AS_NUMBER);
});

test('flush.ms falls back to log.flush.interval.ms, then log.flush.scheduler.interval.ms', () => {
  assert.equal(resolveLogConfig(BrokerConfig.from({ 'log.flush.scheduler.interval.ms': '700' }), {}).flushMs, 700);
  assert.equal(
    resolveLogConfig(BrokerConfig.from({ 'log.flush.scheduler.interval.ms': '700', 'log.flush.interval.ms': '50' }), {}).flushMs,
    50,
  );
});

test('validateTopicConfigs: unknown key, bad values, enums, lists and ranges', () => {
  assert.equal(validateTopicConfigs({}), null);
  assert.equal(validateTopicConfigs({ 'cleanup.policy': 'compact,delete', 'retention.ms': '-1' }), null);
  const cases: [Record<string, string | null>, string, RegExp][] = [
    [{ 'retention.msx': '1' }, 'retention.msx', /Unknown topic config/],
    [{ 'retention.ms': 'abc' }, 'retention.ms', /integer/],
    [{ 'retention.ms': '-2' }, 'retention.ms', /at least -1/],
    [{ 'cleanup.policy': 'compact,forever' }, 'cleanup.policy', /forever/],
    [{ 'cleanup.policy': 'compact,compact' }, 'cleanup.policy', /duplicate/],
    [{ 'compression.type': 'brotli' }, 'compression.type', /one of/],
    [{ 'message.timestamp.type': 'createtime' }, 'message.timestamp.type', /one of/],
    [{ 'min.cleanable.dirty.ratio': '2' }, 'min.cleanable.dirty.ratio', /\[0, 1\]/],
    [{ 'segment.bytes': '100' }, 'segment.bytes', /at least/],
    [{ 'max.message.bytes': '2147483648' }, 'max.message.bytes', /out of range/],
    [{ 'min.insync.replicas': '0' }, 'min.insync.replicas', /at least 1/],
    [{ preallocate: 'maybe' }, 'preallocate', /true or false/],
    [{ 'remote.storage.enable': 'true' }, 'remote.storage.enable', /tiered/],
    [{ 'leader.replication.throttled.replicas': 'x' }, 'leader.replication.throttled.replicas', /partition:brokerId/],
    [{ 'retention.ms': null }, 'retention.ms', /Null value/],
    [{ 'min.compaction.lag.ms': '10', 'max.compaction.lag.ms': '5' }, 'min.compaction.lag.ms', /conflict/],
  ];
  for (const [overrides, key, pattern] of cases) {
    const problem = validateTopicConfigs(overrides);
    assert.ok(problem, `expected a problem for ${JSON.stringify(overrides)}`);
    assert.equal(problem.key, key);
    assert.match(problem.message, pattern);
  }
});

test('validateTopicConfigs checks compaction lags against the broker value when given', () => {
  const broker = BrokerConfig.from({ 'log.cleaner.max.compaction.lag.ms': '100' });
  assert.equal(validateTopicConfigs({ 'min.compaction.lag.ms': '200' }), null);
  assert.equal(validateTopicConfigs({ 'min.compaction.lag.ms': '200' }, broker)?.key, 'min.compaction.lag.ms');
});

test('describeTopicConfig: TOPIC_CONFIG override then broker synonyms, layer by layer', () => {
  const broker = BrokerConfig.from({ 'log.retention.hours': '2', 'log.retention.ms': '5000' });
  const entries = new Map(describeTopicConfig(broker, { 'retention.ms': '1234' }).map((e) => [e.name, e]));
  const retention = entries.get('retention.ms')!;
  assert.equal(retention.value, '1234');
  assert.equal(retention.source, ConfigSource.TOPIC_CONFIG);
  assert.equal(retention.readOnly, false);
  assert.equal(retention.type, CONFIG_TYPE_ID.LONG);
  assert.deepEqual(retention.synonyms, [
    { name: 'retention.ms', value: '1234', source: ConfigSource.TOPIC_CONFIG },
    { name: 'log.retention.ms', value: '5000', source: ConfigSource.STATIC_BROKER_CONFIG },
    { name: 'log.retention.hours', value: '2', source: ConfigSource.STATIC_BROKER_CONFIG },
    { name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG },
  ]);
});

test('describeTopicConfig: no synonyms before the first broker synonym\'s own value (Kafka ConfigHelper)', () => {
  // log.retention.ms has no value of its own, so Kafka lists no synonyms for retention.ms
  // and reports DEFAULT_CONFIG, though the effective value comes from log.retention.minutes.
  const broker = BrokerConfig.from({ 'log.retention.minutes': '10' });
  const entries = new Map(describeTopicConfig(broker, { 'retention.ms': '1234' }).map((e) => [e.name, e]));
  assert.deepEqual(entries.get('retention.ms')!.synonyms, [{ name: 'retention.ms', value: '1234', source: ConfigSource.TOPIC_CONFIG }]);
  const plain = new Map(describeTopicConfig(broker, {}).map((e) => [e.name, e])).get('retention.ms')!;
  assert.equal(plain.value, '600000');
  assert.equal(plain.source, ConfigSource.DEFAULT_CONFIG);
  assert.deepEqual(plain.synonyms, []);
});

test('describeTopicConfig: broker-derived value converted to the topic unit, with the broker source', () => {
  const broker = BrokerConfig.from({ 'log.roll.hours': '2', 'log.roll.jitter.ms': '7' });
  const entries = new Map(describeTopicConfig(broker, {}).map((e) => [e.name, e]));
  const segmentMs = entries.get('segment.ms')!;
  assert.equal(segmentMs.value, String(2 * 3600_000));
  assert.equal(segmentMs.source, ConfigSource.DEFAULT_CONFIG, 'log.roll.ms itself has no value (as Kafka)');
  const created = describeTopicConfig(broker, {}, 'resolution').find((e) => e.name === 'segment.ms')!;
  assert.equal(created.source, ConfigSource.STATIC_BROKER_CONFIG, 'CreateTopics reports where the value comes from');
  const jitter = entries.get('segment.jitter.ms')!;
  assert.equal(jitter.value, '7');
  assert.equal(jitter.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.equal(jitter.isDefault, false);
});

test('describeTopicConfig: dynamic broker values are DYNAMIC_BROKER_CONFIG', () => {
  const broker = BrokerConfig.from({}, { dynamic: { 'log.segment.bytes': '2097152' } });
  const seg = describeTopicConfig(broker, {}).find((e) => e.name === 'segment.bytes')!;
  assert.equal(seg.value, '2097152');
  assert.equal(seg.source, ConfigSource.DYNAMIC_BROKER_CONFIG);
});

test('describeTopicConfig covers every topic config, sorted by name', () => {
  const names = describeTopicConfig(BrokerConfig.from({}), {}).map((e) => e.name);
  assert.deepEqual(names, [...names].sort());
  for (const key of ['cleanup.policy', 'segment.jitter.ms', 'message.downconversion.enable', 'file.delete.delay.ms', 'unclean.leader.election.enable']) {
    assert.ok(names.includes(key), key);
  }
});
