/**
 * The embeddable broker as another package's tests use it: imported by the package name
 * ('gregor', resolved through package.json "exports"), started with no options (free
 * port, temp dir), used by kafkajs, stopped; the temp dir is gone. And the same import
 * from a package installed under node_modules, where Node refuses to strip types itself
 * (index.js strips them with a load hook).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, cp, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import * as entry from 'gregor';
import { startBroker } from 'gregor';
import * as sources from '../../src/index.ts';

it('the package entry (index.js) exports everything src/index.ts does', () => {
  assert.deepEqual(Object.keys(entry).sort(), Object.keys(sources).sort());
});

it('starts with no options, serves kafkajs, and cleans up on stop', async () => {
  const broker = await startBroker();
  const logDir = broker.config.logDirs[0];
  try {
    assert.match(broker.bootstrap, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(broker.port, 9092);
    const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const [sent] = await producer.send({ topic: 'greetings', messages: [{ key: 'k', value: 'hello' }] });
    await producer.disconnect();
    assert.equal(sent.errorCode, 0);
  } finally {
    await broker.stop();
  }
  await assert.rejects(access(logDir), { code: 'ENOENT' });
});

const REPO = new URL('../../', import.meta.url).pathname;

/** A consumer project with gregor copied into node_modules and gregor's deps linked beside it. */
async function consumerProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'gregor-consumer-'));
  const modules = join(dir, 'node_modules');
  await mkdir(join(modules, 'gregor'), { recursive: true });
  for (const entry of ['package.json', 'index.js', 'src']) await cp(join(REPO, entry), join(modules, 'gregor', entry), { recursive: true });
  for (const dep of await readdir(join(REPO, 'node_modules'))) {
    if (!dep.startsWith('.')) await symlink(join(REPO, 'node_modules', dep), join(modules, dep));
  }
  return dir;
}

it('works installed under node_modules, where Node does not strip types', async () => {
  const dir = await consumerProject();
  try {
    const script = join(dir, 'use-gregor.mjs');
    await writeFile(script, `import { startBroker } from 'gregor';
const broker = await startBroker();
console.log(JSON.stringify({ bootstrap: broker.bootstrap, http: broker.httpUrl }));
await broker.stop();
`);
    const { stdout } = await promisify(execFile)(process.execPath, ['--no-warnings', script], { cwd: dir });
    const started = JSON.parse(stdout) as { bootstrap: string; http: string };
    assert.match(started.bootstrap, /^127\.0\.0\.1:\d+$/);
    assert.match(started.http, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
