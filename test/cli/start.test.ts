/**
 * `gregor start` end to end: a broker started by the CLI serves clients, stops on
 * SIGTERM with exit code 0 and leaves Kafka's clean-shutdown marker; it prints where
 * Kafka, the console and metrics listen (and those addresses answer) and logs one line per
 * start-up phase; --log-level sets levels per component (a listener at debug logs every
 * request); invalid configuration exits 2 naming the key.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { buildConfigMap } from '../../src/cli/commands/start.ts';
import { collect, runCli, spawnCli } from './run-cli.ts';

/** Resolves with the bootstrap address from the broker's "started" log line. */
async function startedLine(stdout: Readable): Promise<string> {
  for await (const line of createInterface({ input: stdout })) {
    const entry = JSON.parse(line) as { bootstrap?: string };
    if (entry.bootstrap !== undefined) return entry.bootstrap;
  }
  throw new Error('the broker exited before it started');
}

/** Resolves with what `gregor start` printed on stderr up to the end of its banner (the stream stays open). */
function bannerOf(stderr: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer | string): void => {
      text += String(chunk);
      if (!text.includes('Stop with Ctrl-C')) return;
      stderr.off('data', onData);
      resolve(text);
    };
    stderr.on('data', onData);
    stderr.once('end', () => reject(new Error(`the broker exited before printing its banner:\n${text}`)));
  });
}

describe('buildConfigMap', () => {
  it('uses Kafka\'s listener and log dir unless told otherwise', async () => {
    assert.deepEqual(await buildConfigMap(undefined, []), { listeners: 'PLAINTEXT://:9092', 'log.dir': '/tmp/kafka-logs' });
  });

  it('layers defaults, then the file, then each --set in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gregor-cli-config-'));
    try {
      const file = join(dir, 'server.properties');
      await writeFile(file, '# comment\nlisteners=PLAINTEXT://:9093\nnum.partitions=2\nnode.id=4\n');
      assert.deepEqual(await buildConfigMap(file, ['num.partitions=3', 'node.id=5', 'num.partitions=6']), {
        listeners: 'PLAINTEXT://:9093', 'log.dir': '/tmp/kafka-logs', 'num.partitions': '6', 'node.id': '5',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('gregor start', () => {
  it('serves until SIGTERM, then exits 0 after a clean shutdown', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'gregor-cli-start-'));
    try {
      const configFile = join(logDir, 'server.properties');
      // The file's listener is replaced by the later --set; the file's log.dirs is kept.
      await writeFile(configFile, `listeners=PLAINTEXT://127.0.0.1:1\nlog.dirs=${logDir}\n`);
      const broker = spawnCli(['start', '--config', configFile, '--set', 'listeners=PLAINTEXT://127.0.0.1:0']);
      const exited = collect(broker);
      const bootstrap = await startedLine(broker.stdout as Readable);

      const created = await runCli(['topics', 'create', 'events', '--bootstrap-server', bootstrap]);
      assert.equal(created.code, 0, created.stderr);

      broker.kill('SIGTERM');
      const result = await exited;
      assert.equal(result.code, 0, result.stderr);
      assert.ok((await readdir(logDir)).includes('.kafka_cleanshutdown'));
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('prints where Kafka, the console and metrics listen, and logs each start-up phase', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'gregor-cli-banner-'));
    try {
      const broker = spawnCli(['start', '--set', `log.dirs=${logDir}`, '--set', 'listeners=PLAINTEXT://127.0.0.1:0',
        '--set', 'http.listener=127.0.0.1:0']);
      const exited = collect(broker);
      const banner = await bannerOf(broker.stderr as Readable);
      const address = (label: string): string => {
        const found = new RegExp(`${label}: +(\\S+)`).exec(banner)?.[1];
        assert.ok(found !== undefined, `no ${label} in:\n${banner}`);
        return found;
      };
      const created = await runCli(['topics', 'create', 'banner', '--bootstrap-server', address('Kafka bootstrap')]);
      assert.equal(created.code, 0, created.stderr);
      const metrics = await fetch(address('Metrics'));
      assert.match(await metrics.text(), /^kafka_network_requestmetrics_requests_total\{request="CreateTopics",version="\d+"\} 1$/m);
      const console = await fetch(address('Console'));
      assert.equal(console.status, 200);
      assert.match(console.headers.get('content-type') ?? '', /text\/html/);

      broker.kill('SIGTERM');
      const result = await exited;
      assert.equal(result.code, 0, result.stderr);
      const messages = result.stdout.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { msg: string }).msg);
      const phases = [/^config loaded/, /^admin HTTP listening on http:\/\/127\.0\.0\.1:\d+/, /^metadata: cluster/,
        /^loading and recovering logs$/, /^loaded 0 of 0 partitions in \d+ ms$/, /^logs ready/, /^listening$/, /^Gregor broker 1 started/];
      let at = 0;
      for (const phase of phases) {
        const found = messages.findIndex((m, i) => i >= at && phase.test(m));
        assert.ok(found >= 0, `no log line ${phase} after line ${at}:\n${messages.join('\n')}`);
        at = found + 1;
      }
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('logs each request at debug for a component set to debug, and only warnings elsewhere', async () => {
    const logDir = await mkdtemp(join(tmpdir(), 'gregor-cli-levels-'));
    try {
      const broker = spawnCli(['start', '--set', `log.dirs=${logDir}`, '--set', 'listeners=PLAINTEXT://127.0.0.1:0',
        '--set', 'http.listener=', '--log-level', 'warn,listener=debug']);
      const exited = collect(broker);
      const bootstrap = /Kafka bootstrap: +(\S+)/.exec(await bannerOf(broker.stderr as Readable))?.[1] ?? '';
      assert.equal((await runCli(['topics', 'list', '--bootstrap-server', bootstrap])).code, 0);
      broker.kill('SIGTERM');
      const result = await exited;
      assert.equal(result.code, 0, result.stderr);
      type Line = { level: number; component?: string; msg: string; api?: string; [field: string]: unknown };
      const lines = result.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line);
      const metadata = lines.find((l) => l.msg === 'request' && l.api === 'Metadata');
      assert.ok(metadata !== undefined, 'no request line for the CLI\'s Metadata request');
      assert.match(metadata.component ?? '', /^listener-PLAINTEXT$/);
      for (const field of ['apiVersion', 'correlationId', 'connectionId', 'totalMs', 'queueMs', 'localMs', 'remoteMs', 'sendMs']) {
        assert.ok(field in metadata, `request line without ${field}`);
      }
      const PINO_WARN = 40;
      const chatty = lines.filter((l) => l.level < PINO_WARN && !(l.component ?? '').startsWith('listener-'));
      assert.deepEqual(chatty.map((l) => `${l.component}: ${l.msg}`), []);
    } finally {
      await rm(logDir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the key when the configuration is invalid', async () => {
    const badValue = await runCli(['start', '--set', 'log.dirs=/nonexistent-gregor', '--set', 'num.partitions=many']);
    assert.equal(badValue.code, 2);
    assert.match(badValue.stderr, /^gregor: invalid configuration: .*num\.partitions/);

    const unknownKey = await runCli(['start', '--set', 'no.such.key=1']);
    assert.equal(unknownKey.code, 2);
    assert.match(unknownKey.stderr, /^gregor: invalid configuration: .*no\.such\.key/);
  });

  it('lets a later --set win over an earlier one', async () => {
    const result = await runCli(['start', '--set', 'num.partitions=many', '--set', 'num.partitions=3',
      '--set', 'message.max.bytes=-5']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /message\.max\.bytes/);
    assert.doesNotMatch(result.stderr, /num\.partitions/);
  });
});
