import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BrokerConfig } from '../../src/config/broker-config.ts';
import { ConfigError } from '../../src/config/config-error.ts';
import { ConfigSource, CONFIG_TYPE_ID } from '../../src/config/config-types.ts';
import { LONG_MAX_AS_NUMBER } from '../../src/config/log-config.ts';

const base = { 'log.dirs': '/tmp/gregor-test' };

function configError(fn: () => unknown, key: string, pattern?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ConfigError, `expected ConfigError, got ${String(err)}`);
    assert.equal(err.key, key);
    assert.match(err.message, new RegExp(key.replaceAll('.', '\\.')));
    if (pattern) assert.match(err.message, pattern);
    return true;
  });
}

test('Kafka defaults', () => {
  const c = BrokerConfig.from({});
  assert.equal(c.nodeId, 1);
  assert.deepEqual(c.logDirs, ['/tmp/kafka-logs']);
  assert.deepEqual(c.listeners, [{ name: 'PLAINTEXT', host: '', port: 9092, securityProtocol: 'PLAINTEXT' }]);
  assert.equal(c.numPartitions, 1);
  assert.equal(c.defaultReplicationFactor, 1);
  assert.equal(c.autoCreateTopicsEnable, true);
  assert.equal(c.deleteTopicEnable, true);
  assert.equal(c.messageMaxBytes, 1048588);
  assert.equal(c.socketRequestMaxBytes, 104857600);
  assert.equal(c.socketSendBufferBytes, 102400);
  assert.equal(c.maxConnections, 2147483647);
  assert.equal(c.queuedMaxRequests, 500);
  assert.equal(c.connectionsMaxIdleMs, 600000);
  assert.equal(c.logSegmentBytes, 1073741824);
  assert.equal(c.logRollMs, 7 * 24 * 3600_000);
  assert.equal(c.logRollJitterMs, 0);
  assert.equal(c.logRetentionMs, 7 * 24 * 3600_000);
  assert.equal(c.logRetentionBytes, -1);
  assert.equal(c.logFlushIntervalMessages, LONG_MAX_AS_NUMBER);
  assert.equal(c.logFlushIntervalMs, LONG_MAX_AS_NUMBER);
  assert.equal(c.offsetsTopicNumPartitions, 50);
  assert.equal(c.offsetsTopicReplicationFactor, 3);
  assert.equal(c.offsetsRetentionMs, 10080 * 60_000);
  assert.equal(c.groupInitialRebalanceDelayMs, 3000);
  assert.equal(c.groupMinSessionTimeoutMs, 6000);
  assert.equal(c.groupMaxSessionTimeoutMs, 1800000);
  assert.equal(c.transactionMaxTimeoutMs, 900000);
  assert.equal(c.transactionalIdExpirationMs, 604800000);
  assert.equal(c.producerIdExpirationMs, 86400000);
  assert.equal(c.numRecoveryThreadsPerDataDir, 2);
  assert.equal(c.fetchMaxBytes, 57671680);
  assert.deepEqual(c.httpListener, { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(c.etcdEndpoints, []);
  assert.equal(c.clusterId, null);
});

test('retention synonyms: ms > minutes > hours, as Kafka', () => {
  assert.equal(BrokerConfig.from({ 'log.retention.hours': '2' }).logRetentionMs, 2 * 3600_000);
  assert.equal(BrokerConfig.from({ 'log.retention.hours': '2', 'log.retention.minutes': '3' }).logRetentionMs, 3 * 60_000);
  assert.equal(
    BrokerConfig.from({ 'log.retention.hours': '2', 'log.retention.minutes': '3', 'log.retention.ms': '5' }).logRetentionMs,
    5,
  );
  assert.equal(BrokerConfig.from({ 'log.retention.hours': '-1' }).logRetentionMs, -1);
});

test('roll and flush synonyms', () => {
  assert.equal(BrokerConfig.from({ 'log.roll.hours': '1' }).logRollMs, 3600_000);
  assert.equal(BrokerConfig.from({ 'log.roll.hours': '1', 'log.roll.ms': '7' }).logRollMs, 7);
  assert.equal(BrokerConfig.from({ 'log.roll.jitter.hours': '1' }).logRollJitterMs, 3600_000);
  assert.equal(BrokerConfig.from({ 'log.flush.scheduler.interval.ms': '500' }).logFlushIntervalMs, 500);
  assert.equal(BrokerConfig.from({ 'log.flush.scheduler.interval.ms': '500', 'log.flush.interval.ms': '9' }).logFlushIntervalMs, 9);
});

test('log.dirs overrides log.dir and is split on commas', () => {
  assert.deepEqual(BrokerConfig.from({ 'log.dir': '/x' }).logDirs, ['/x']);
  assert.deepEqual(BrokerConfig.from({ 'log.dir': '/x', 'log.dirs': '/a, /b' }).logDirs, ['/a', '/b']);
  configError(() => BrokerConfig.from({ 'log.dirs': '/a,/a' }), 'log.dirs', /twice/);
});

test('node.id and broker.id', () => {
  assert.equal(BrokerConfig.from({ 'node.id': '4' }).nodeId, 4);
  assert.equal(BrokerConfig.from({ 'broker.id': '5' }).nodeId, 5);
  assert.equal(BrokerConfig.from({ 'broker.id': '5', 'node.id': '5' }).nodeId, 5);
  configError(() => BrokerConfig.from({ 'broker.id': '5', 'node.id': '6' }), 'node.id', /differ/);
});

test('unknown keys are rejected with the key named', () => {
  configError(() => BrokerConfig.from({ ...base, 'num.partitons': '3' }), 'num.partitons', /unknown/);
});

test('invalid values are rejected with the key and the problem', () => {
  configError(() => BrokerConfig.from({ 'num.partitions': 'x' }), 'num.partitions', /integer/);
  configError(() => BrokerConfig.from({ 'num.partitions': '0' }), 'num.partitions', /at least 1/);
  configError(() => BrokerConfig.from({ 'message.max.bytes': '3000000000' }), 'message.max.bytes', /out of range/);
  configError(() => BrokerConfig.from({ 'auto.create.topics.enable': 'yes' }), 'auto.create.topics.enable', /true or false/);
  configError(() => BrokerConfig.from({ 'log.cleanup.policy': 'compact,remove' }), 'log.cleanup.policy', /remove/);
  configError(() => BrokerConfig.from({ 'compression.type': 'brotli' }), 'compression.type', /one of/);
  configError(() => BrokerConfig.from({ 'log.cleaner.min.cleanable.ratio': '1.5' }), 'log.cleaner.min.cleanable.ratio');
  configError(() => BrokerConfig.from({ 'log.segment.bytes': '1000' }), 'log.segment.bytes', /at least/);
  configError(
    () => BrokerConfig.from({ 'group.min.session.timeout.ms': '9000', 'group.max.session.timeout.ms': '8000' }),
    'group.min.session.timeout.ms',
  );
  configError(() => BrokerConfig.from({ 'http.listener': 'nohost' }), 'http.listener');
});

test('values are trimmed; booleans are case-insensitive; Long.MAX_VALUE is clamped', () => {
  const c = BrokerConfig.from({ 'num.partitions': ' 3 ', 'delete.topic.enable': 'FALSE', 'log.flush.interval.messages': '9223372036854775807' });
  assert.equal(c.numPartitions, 3);
  assert.equal(c.deleteTopicEnable, false);
  assert.equal(c.logFlushIntervalMessages, LONG_MAX_AS_NUMBER);
});

test('listeners, security protocol map and advertised listeners', () => {
  const c = BrokerConfig.from({
    listeners: 'PLAINTEXT://0.0.0.0:9092,internal://[::1]:9093',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,INTERNAL:SASL_PLAINTEXT',
    'advertised.listeners': 'PLAINTEXT://broker1:19092',
  });
  assert.deepEqual(c.listeners[1], { name: 'INTERNAL', host: '::1', port: 9093, securityProtocol: 'SASL_PLAINTEXT' });
  assert.deepEqual(c.advertisedListeners, [{ name: 'PLAINTEXT', host: 'broker1', port: 19092, securityProtocol: 'PLAINTEXT' }]);
  configError(() => BrokerConfig.from({ listeners: 'FOO://:9092' }), 'listeners', /protocol\.map/);
  configError(() => BrokerConfig.from({ listeners: 'PLAINTEXT://:9092,SSL://:9092' }), 'listeners', /port 9092/);
  configError(() => BrokerConfig.from({ listeners: 'PLAINTEXT:9092' }), 'listeners', /NAME:\/\/host:port/);
  configError(() => BrokerConfig.from({ 'advertised.listeners': 'PLAINTEXT://0.0.0.0:9092' }), 'advertised.listeners', /meta-address/);
  configError(() => BrokerConfig.from({ 'advertised.listeners': 'SSL://h:9093' }), 'advertised.listeners', /not in listeners/);
});

test('advertised listeners default to listeners with the host filled in', () => {
  const c = BrokerConfig.from({ listeners: 'PLAINTEXT://:9092' });
  assert.equal(c.advertisedListeners.length, 1);
  assert.notEqual(c.advertisedListeners[0].host, '');
  assert.equal(c.advertisedListeners[0].port, 9092);
});

test('known-but-unused Kafka keys are accepted and reported', () => {
  const c = BrokerConfig.from({ 'num.io.threads': '16', 'num.network.threads': '4', 'process.roles': 'broker' });
  assert.deepEqual(c.unusedKeys(), ['num.io.threads', 'num.network.threads', 'process.roles']);
  assert.equal(c.get('num.io.threads'), 16);
});

test('describe: sources, synonyms, type and documentation', () => {
  const c = BrokerConfig.from({ 'log.retention.minutes': '5', 'num.partitions': '3' });
  const entries = new Map(c.describe().map((e) => [e.name, e]));
  const partitions = entries.get('num.partitions')!;
  assert.equal(partitions.value, '3');
  assert.equal(partitions.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.equal(partitions.isDefault, false);
  assert.equal(partitions.type, CONFIG_TYPE_ID.INT);
  assert.ok(partitions.documentation.length > 0);
  assert.deepEqual(partitions.synonyms, [
    { name: 'num.partitions', value: '3', source: ConfigSource.STATIC_BROKER_CONFIG },
    { name: 'num.partitions', value: '1', source: ConfigSource.DEFAULT_CONFIG },
  ]);
  // As Kafka's ConfigHelper.configSynonyms: a key's synonyms start at its own first value.
  const retentionMs = entries.get('log.retention.ms')!;
  assert.equal(retentionMs.value, null);
  assert.equal(retentionMs.source, ConfigSource.DEFAULT_CONFIG);
  assert.deepEqual(retentionMs.synonyms, []);
  const retentionMinutes = entries.get('log.retention.minutes')!;
  assert.equal(retentionMinutes.source, ConfigSource.STATIC_BROKER_CONFIG);
  assert.deepEqual(retentionMinutes.synonyms, [
    { name: 'log.retention.minutes', value: '5', source: ConfigSource.STATIC_BROKER_CONFIG },
    { name: 'log.retention.hours', value: '168', source: ConfigSource.DEFAULT_CONFIG },
  ]);
  const segment = entries.get('log.segment.bytes')!;
  assert.equal(segment.source, ConfigSource.DEFAULT_CONFIG);
  assert.equal(segment.isDefault, true);
  assert.equal(segment.value, '1073741824');
  assert.equal(entries.get('log.flush.interval.messages')!.value, '9223372036854775807');
});

test('dynamic values win over static ones and are reported as DYNAMIC_BROKER_CONFIG', () => {
  const c = BrokerConfig.from({ 'num.partitions': '3' }, { dynamic: { 'num.partitions': '6' } });
  assert.equal(c.numPartitions, 6);
  const entry = c.describeKey('num.partitions');
  assert.equal(entry.source, ConfigSource.DYNAMIC_BROKER_CONFIG);
  assert.deepEqual(entry.synonyms.map((s) => s.source), [
    ConfigSource.DYNAMIC_BROKER_CONFIG,
    ConfigSource.STATIC_BROKER_CONFIG,
    ConfigSource.DEFAULT_CONFIG,
  ]);
});

test('custom dynamic keys (unknown to the broker) are kept and described as sensitive, as Kafka', () => {
  const c = BrokerConfig.from({}, { dynamic: { 'cleanup.policy': 'delete' }, dynamicDefault: { 'x.custom': 'a' } });
  const entries = new Map(c.describe().map((e) => [e.name, e]));
  const custom = entries.get('cleanup.policy')!;
  assert.deepEqual([custom.value, custom.source, custom.isSensitive, custom.readOnly, custom.type], [null, ConfigSource.DYNAMIC_BROKER_CONFIG, true, true, 0]);
  assert.deepEqual(custom.synonyms, [{ name: 'cleanup.policy', value: null, source: ConfigSource.DYNAMIC_BROKER_CONFIG }]);
  assert.equal(entries.get('x.custom')!.source, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG);
  assert.deepEqual(c.describeDynamicDefaults().map((e) => [e.name, e.value, e.source]), [['x.custom', null, ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]]);
  assert.deepEqual(c.unusedKeys(), []);
  configError(() => BrokerConfig.from({ 'cleanup.policy': 'delete' }), 'cleanup.policy', /unknown/);
});

test('from accepts a Map (as parseProperties returns)', () => {
  const c = BrokerConfig.from(new Map([['num.partitions', '2']]));
  assert.equal(c.numPartitions, 2);
  assert.equal(c.isSet('num.partitions'), true);
  assert.equal(c.isSet('log.segment.bytes'), false);
});
