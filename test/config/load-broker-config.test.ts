import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../src/config/config-error.ts';
import { loadBrokerConfig, parseOverrides } from '../../src/config/load-broker-config.ts';

// The shape of Kafka 4.0's KRaft sample config/server.properties (keys and values).
const KRAFT_SAMPLE = `
############################# Server Basics #############################
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=localhost:9093

############################# Socket Server Settings #############################
listeners=PLAINTEXT://:9092,CONTROLLER://:9093
inter.broker.listener.name=PLAINTEXT
advertised.listeners=PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL
num.network.threads=3
num.io.threads=8
socket.send.buffer.bytes=102400
socket.receive.buffer.bytes=102400
socket.request.max.bytes=104857600

log.dirs=/tmp/kraft-combined-logs
num.partitions=1
num.recovery.threads.per.data.dir=1
offsets.topic.replication.factor=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
`;

async function withFile(text: string, fn: (path: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'gregor-config-'));
  try {
    const path = join(dir, 'server.properties');
    await writeFile(path, text);
    await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test("Kafka's KRaft sample server.properties loads; the controller listener is left out", async () => {
  await withFile(KRAFT_SAMPLE, async (path) => {
    const c = await loadBrokerConfig(path);
    assert.equal(c.nodeId, 1);
    assert.deepEqual(c.listeners.map((l) => l.name), ['PLAINTEXT']);
    assert.deepEqual(c.advertisedListeners.map((l) => `${l.name}://${l.host}:${l.port}`), ['PLAINTEXT://localhost:9092']);
    assert.deepEqual(c.logDirs, ['/tmp/kraft-combined-logs']);
    assert.equal(c.offsetsTopicReplicationFactor, 1);
    assert.ok(c.unusedKeys().includes('process.roles'));
  });
});

test('overrides win over the file', async () => {
  await withFile('num.partitions=2\nlog.dirs=/a\n', async (path) => {
    const c = await loadBrokerConfig(path, parseOverrides(['num.partitions=5', 'log.dirs=/b']));
    assert.equal(c.numPartitions, 5);
    assert.deepEqual(c.logDirs, ['/b']);
  });
});

test('no file: overrides over defaults', async () => {
  const c = await loadBrokerConfig(null, parseOverrides(['log.dirs=./data']));
  assert.deepEqual(c.logDirs, ['./data']);
});

test('an invalid key in the file names the key', async () => {
  await withFile('log.retention.hourz=1\n', async (path) => {
    await assert.rejects(loadBrokerConfig(path), (err: unknown) => err instanceof ConfigError && err.key === 'log.retention.hourz');
  });
});

test('an override without = is rejected', () => {
  assert.throws(() => parseOverrides(['num.partitions']), ConfigError);
});
