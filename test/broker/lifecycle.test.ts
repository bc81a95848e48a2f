/**
 * Broker start/stop: restart on the same log dir keeps topics (ids, partitions, configs,
 * logs), the embedded default uses and removes its own temp dir, the "started" line names
 * the bootstrap address, and a failed start releases what it had opened.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { access, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { startBroker } from '../../src/index.ts';
import { createLogger, silentLogger } from '../../src/logger.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import type { FetchResponse } from '../../src/protocol/generated/fetch.ts';
import type { MetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { startTestBroker } from '../helpers/broker.ts';
import { KafkaTestClient } from '../helpers/kafka-client.ts';

const exists = (path: string) => access(path).then(() => true, () => false);

describe('broker lifecycle', () => {
  test('a restart on the same log dir keeps topics, ids, partitions, configs and logs', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'gregor-restart-'));
    try {
      const first = await startTestBroker({ 'log.dirs': logDir });
      const created = await first.services.metadata.createTopic({
        name: 'durable', numPartitions: 3, replicationFactor: 1, configs: { 'retention.ms': '5000' },
      });
      await first.services.metadata.createPartitions('durable', 4);
      const clusterId = first.services.metadata.image().clusterId;
      await first.stop();

      const second = await startTestBroker({ 'log.dirs': logDir });
      try {
        const image = second.services.metadata.image();
        assert.equal(image.clusterId, clusterId);
        const topic = image.topic('durable')!;
        assert.equal(topic.topicId, created.topicId);
        assert.equal(topic.partitions.length, 4);
        assert.deepEqual(topic.configs, { 'retention.ms': '5000' });
        for (let p = 0; p < 4; p++) assert.ok(second.services.logs.getLog('durable', p), `log of partition ${p}`);
        assert.equal(second.services.logs.getLog('durable', 0)!.config.retentionMs, 5000);
        // The broker is registered with the port bound this time.
        assert.equal(image.broker(1)!.port, second.port);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });

  test('without log.dirs the broker uses a temp dir of its own and removes it on stop', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(chunk: Buffer, _enc, done) { lines.push(chunk.toString()); done(); } });
    const broker = await startBroker({ config: { listeners: 'PLAINTEXT://127.0.0.1:0' }, logger: createLogger({ destination }) });
    const [logDir] = broker.config.logDirs;
    assert.ok(logDir.startsWith(tmpdir()));
    assert.ok(await exists(join(logDir, 'meta.properties')));
    assert.equal(broker.bootstrap, `127.0.0.1:${broker.port}`);
    const started = lines.map((l) => JSON.parse(l) as { msg: string; bootstrap?: string }).find((l) => l.bootstrap !== undefined);
    assert.ok(started, 'a started line');
    assert.equal(started.bootstrap, broker.bootstrap);
    assert.match(started.msg, /started/);
    await broker.stop();
    await broker.stop(); // idempotent
    assert.equal(await exists(logDir), false);
  });

  test('a failed start (port taken) releases the log dir for the next start', async () => {
    const blocker = createServer();
    blocker.listen({ host: '127.0.0.1', port: 0 });
    await once(blocker, 'listening');
    const taken = (blocker.address() as { port: number }).port;
    const logDir = await mkdtemp(join(tmpdir(), 'gregor-failed-'));
    try {
      await assert.rejects(startTestBroker({ 'log.dirs': logDir, listeners: `PLAINTEXT://127.0.0.1:${taken}` }), /EADDRINUSE/);
      const broker = await startTestBroker({ 'log.dirs': logDir });
      await broker.stop();
    } finally {
      blocker.close();
      await rm(logDir, { recursive: true, force: true });
    }
  });

  test('stop answers a parked long-poll fetch instead of waiting it out', async () => {
    const broker = await startTestBroker();
    await broker.services.metadata.createTopic({ name: 'quiet', numPartitions: 1, replicationFactor: 1, configs: {} });
    await broker.services.metadataApplied();
    const client = await KafkaTestClient.connect(broker.port);
    const partition = { partition: 0, fetchOffset: 0, logStartOffset: -1, partitionMaxBytes: 1 << 20, currentLeaderEpoch: -1 };
    // Ten minutes: far longer than the listener's drain bound, so only an early answer passes.
    const body = { replicaId: -1, maxWaitMs: 600_000, minBytes: 1, maxBytes: 1 << 20, topics: [{ topic: 'quiet', partitions: [partition] }] };
    const fetched = client.request<FetchResponse>(ApiKey.Fetch, 11, body);
    while (broker.services.replicas.delayed.pendingCount === 0) await new Promise(setImmediate);
    await broker.stopAndRemove();
    const response = await fetched;
    assert.equal(response.responses[0].topic, 'quiet');
    client.close();
  });

  test('an empty bind host is advertised under a name clients here can connect to', async () => {
    const broker = await startTestBroker({ listeners: 'PLAINTEXT://:0' });
    try {
      assert.ok(broker.host === hostname() || broker.host === 'localhost', broker.host);
      assert.equal(broker.bootstrap, `${broker.host}:${broker.port}`);
      const client = await KafkaTestClient.connect(broker.port, broker.host);
      try {
        const res = await client.request<MetadataResponse>(ApiKey.Metadata, 12, { topics: null });
        assert.deepEqual(res.brokers.map((b) => [b.host, b.port]), [[broker.host, broker.port]]);
      } finally {
        client.close();
      }
    } finally {
      await broker.stopAndRemove();
    }
  });

  test('an invalid config is refused, and the embedded temp dir is not left behind', async () => {
    await assert.rejects(startTestBroker({ 'num.partitions': 'many' }), /num\.partitions/);
    // The embedded default makes its dir under os.tmpdir(), which follows TMPDIR.
    const privateTmp = await mkdtemp(join(tmpdir(), 'gregor-tmpdir-'));
    const savedTmpdir = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await assert.rejects(startBroker({ config: { 'num.partitions': 'many' }, logger: silentLogger }), /num\.partitions/);
      assert.deepEqual(await readdir(privateTmp), []);
    } finally {
      if (savedTmpdir === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = savedTmpdir;
      await rm(privateTmp, { recursive: true, force: true });
    }
  });
});
