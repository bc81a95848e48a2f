/**
 * Burrow (LinkedIn's consumer lag monitor, Debian package `burrow` 1.2.1) pointed at a
 * Gregor broker: it reads __consumer_offsets with its own decoder of Kafka's record
 * formats (OffsetCommitKey/Value, GroupMetadataKey/Value) and the log end offsets with
 * ListOffsets, and its HTTP API reports the group's lag. Burrow 1.2 needs a ZooKeeper for
 * its own coordination; the test runs one (Debian package `zookeeper`) on a free port.
 *
 * The group commits 4 of 10 records per partition (lag 18 over 3 partitions), then all of
 * them (lag 0); Burrow must report both.
 *
 * Burrow drops a commit for a topic whose end offsets its cluster module has not fetched
 * yet, and its consumer module may read __consumer_offsets first; so the group commits
 * again once Burrow knows the topic, as a consumer's periodic commit would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import kafkajs from 'kafkajs';
import type { RunningBroker } from '../../src/broker.ts';
import { commitOffsets } from '../../src/cli/client/groups.ts';
import { KafkaClient } from '../../src/cli/client/kafka-client.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { freePort, waitForPort } from './helpers/subprocess-broker.ts';
import { waitFor } from './groups-helpers.ts';

/**
 * Guards against a hang; not a performance limit. Above the sum of the steps' own
 * deadlines, so a slow step fails with its name and the helpers' output instead.
 */
const TEST_TIMEOUT_MS = 240_000;
/** Deadline of each step (a helper starting, Burrow catching up); generous for a loaded CI machine. */
const STEP_DEADLINE_MS = 30_000;
/** One HTTP request to Burrow, or one ZooKeeper command. */
const REQUEST_TIMEOUT_MS = 5_000;
/** A small heap and the client compiler only: ZooKeeper starts faster on a busy machine. */
const ZOOKEEPER_JVM_FLAGS = ['-Xms32m', '-Xmx256m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];
const BURROW = '/usr/bin/Burrow';
/** ZooKeeper's server and an SLF4J binding, as Debian installs them. */
const ZOOKEEPER_CLASSPATH = '/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar';
const TOPIC = 'burrow-topic';
const GROUP = 'burrow-group';
const PARTITIONS = 3;
const PER_PARTITION = 10;

const { Kafka, logLevel } = kafkajs;

let broker: RunningBroker;
let client: KafkaClient;
let dir: string;
const children: ChildProcess[] = [];
const OUTPUT_TAIL_CHARS = 4000;

/** Starts a helper process; `output()` is the tail of what it printed, for failure messages. */
function startChild(command: string, args: string[]): { child: ChildProcess; output(): string } {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const keep = (b: Buffer): void => {
    output = (output + b.toString('utf8')).slice(-OUTPUT_TAIL_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const started = { child, output: () => output };
  helpers.push({ name: command, output: started.output });
  return started;
}

const helpers: { name: string; output(): string }[] = [];

/** What each helper process printed last, for a failure message. */
function helperOutput(): string {
  return helpers.map((h) => `--- ${h.name}:\n${h.output()}`).join('\n');
}

/** waitFor with the step deadline, naming the last value seen and the helpers' output on failure. */
function waitForStep(what: string, check: () => Promise<boolean>, last: () => unknown): Promise<void> {
  return waitFor(what, check, () => `${JSON.stringify(last())}\n${helperOutput()}`, STEP_DEADLINE_MS);
}

/** Waits for the helper to listen on `port`; fails with its output if it exits first. */
async function listening(name: string, started: { child: ChildProcess; output(): string }, port: number): Promise<void> {
  try {
    await waitForPort(port, () => started.child.exitCode === null, STEP_DEADLINE_MS);
  } catch (err) {
    throw new Error(`${name}: ${(err as Error).message}\n${started.output()}`);
  }
}

async function startZooKeeper(): Promise<number> {
  const port = await freePort();
  const dataDir = path.join(dir, 'zookeeper');
  await fs.mkdir(dataDir);
  const zk = startChild('java', [...ZOOKEEPER_JVM_FLAGS, '-cp', ZOOKEEPER_CLASSPATH, 'org.apache.zookeeper.server.ZooKeeperServerMain', String(port), dataDir]);
  await listening('ZooKeeper', zk, port);
  // The port opens before the server takes sessions; its "srvr" command says when it does.
  let reply = '';
  await waitForStep('ZooKeeper to serve requests', async () => {
    reply = await zookeeperCommand(port, 'srvr');
    return reply.includes('Mode:');
  }, () => reply);
  return port;
}

/** Sends one of ZooKeeper's four-letter commands and returns the reply. */
function zookeeperCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(command));
    socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
    let reply = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => { reply += chunk; });
    socket.on('close', () => resolve(reply));
    socket.on('error', () => resolve(''));
  });
}

/** Burrow reading the broker's __consumer_offsets; returns its HTTP port. */
async function startBurrow(zookeeperPort: number): Promise<number> {
  const httpPort = await freePort();
  const config = `
[general]
pidfile="${path.join(dir, 'burrow.pid')}"
[logging]
level="info"
[zookeeper]
servers=["127.0.0.1:${zookeeperPort}"]
timeout=6
root-path="/burrow"
[client-profile.gregor]
client-id="burrow-gregor"
kafka-version="2.0.0"
[cluster.local]
class-name="kafka"
servers=["${broker.bootstrap}"]
client-profile="gregor"
topic-refresh=2
offset-refresh=1
[consumer.local]
class-name="kafka"
cluster="local"
servers=["${broker.bootstrap}"]
client-profile="gregor"
offsets-topic="__consumer_offsets"
start-latest=false
[httpserver.default]
address="127.0.0.1:${httpPort}"
[storage.default]
class-name="inmemory"
workers=2
intervals=10
min-distance=0
[evaluator.default]
class-name="caching"
expire-cache=1
`;
  await fs.writeFile(path.join(dir, 'burrow.toml'), config);
  const burrow = startChild(BURROW, ['-config-dir', dir]);
  await listening('Burrow', burrow, httpPort);
  return httpPort;
}

before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-burrow-'));
  broker = await startCompatBroker({ 'offsets.topic.num.partitions': '5' });
  client = new KafkaClient({ bootstrapServers: [broker.bootstrap] });
});

after(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  await client?.close();
  await broker?.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

async function commitAll(offset: number): Promise<void> {
  await commitOffsets(client, GROUP, Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: TOPIC, partition, offset, metadata: '' })));
}

interface BurrowLag {
  error: boolean;
  message: string;
  status?: { totallag: number; partitions: { topic: string; partition: number; current_lag: number; end: { offset: number } }[] };
}

async function burrowGet<T>(httpPort: number, route: string): Promise<T | null> {
  const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  const res = await fetch(`http://127.0.0.1:${httpPort}/v3/kafka/local/${route}`, { signal }).catch(() => null);
  return res === null ? null : (await res.json().catch(() => null)) as T | null;
}

function lag(httpPort: number): Promise<BurrowLag | null> {
  return burrowGet<BurrowLag>(httpPort, `consumer/${GROUP}/lag`);
}

interface BurrowTopic { error: boolean; offsets?: number[] }

test('Burrow reads the group\'s commits from __consumer_offsets and reports its lag', { timeout: TEST_TIMEOUT_MS }, async () => {
  const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'burrow-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, messages: Array.from({ length: PARTITIONS * PER_PARTITION }, (_, i) => ({ partition: i % PARTITIONS, value: `v${i}` })) });
  await producer.disconnect();
  // Burrow refuses to start until __consumer_offsets exists; the first commit creates it.
  await commitAll(4);

  const httpPort = await startBurrow(await startZooKeeper());
  let topic: BurrowTopic | null = null;
  await waitForStep('Burrow to fetch the topic\'s end offsets', async () => {
    topic = await burrowGet<BurrowTopic>(httpPort, `topic/${TOPIC}`);
    return topic?.offsets?.length === PARTITIONS;
  }, () => topic);
  await commitAll(4);

  let last: BurrowLag | null = null;
  await waitForStep('Burrow to report a lag of 18', async () => {
    last = await lag(httpPort);
    return last?.status?.totallag === PARTITIONS * (PER_PARTITION - 4);
  }, () => last);
  const partitions = (last as BurrowLag | null)?.status?.partitions ?? [];
  assert.deepEqual(partitions.map((p) => [p.topic, p.partition, p.current_lag, p.end.offset]).sort(),
    Array.from({ length: PARTITIONS }, (_, p) => [TOPIC, p, PER_PARTITION - 4, 4]));

  await commitAll(PER_PARTITION);
  await waitForStep('Burrow to report no lag', async () => {
    last = await lag(httpPort);
    return last?.status?.totallag === 0;
  }, () => last);
});
