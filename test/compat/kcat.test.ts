/**
 * kcat 1.7.1 (librdkafka 2.0.2) against a Gregor broker started with num.partitions=4:
 * topics are auto-created by producing to a new name (kcat has no admin commands); every
 * codec; keys, null keys and tombstones (-Z), headers incl. a repeated key and a null
 * value; reading from the beginning, from an offset and from a timestamp (-o s@TS, i.e.
 * ListOffsets by timestamp); metadata (-L); records near message.max.bytes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat, run } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const PARTITIONS = 4;
const PER_PARTITION = 12;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const MAX_MESSAGE_BYTES = 1_048_588; // Kafka's default message.max.bytes
/** librdkafka checks its own message.max.bytes first; raise it so the broker decides. */
const CLIENT_MAX = ['-X', 'message.max.bytes=4000000'];

let broker: RunningBroker;
let bootstrap: string;

before(async () => {
  broker = await startCompatBroker({ 'num.partitions': String(PARTITIONS) });
  bootstrap = broker.bootstrap;
});

after(() => broker?.stop());

interface KcatRecord {
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: (string | null)[];
}

interface Line {
  key: string | null;
  value: string | null;
}

/** One kcat -P run: lines "key\tvalue"; with -Z an empty key/value is sent as null. */
function produce(topic: string, partition: number, lines: Line[], extra: string[] = []): Promise<Buffer> {
  const input = lines.map((l) => `${l.key ?? ''}\t${l.value ?? ''}\n`).join('');
  return kcat(['-P', '-b', bootstrap, '-t', topic, '-p', String(partition), '-K', '\t', '-Z', ...extra], { input });
}

/** Reads one partition, or every partition when `partition` is null, from `offset` to the end. */
async function consume(topic: string, partition: number | null, offset: string): Promise<KcatRecord[]> {
  const only = partition === null ? [] : ['-p', String(partition)];
  const out = await kcat(['-C', '-b', bootstrap, '-t', topic, ...only, '-o', offset, '-e', '-J', '-q']);
  return out.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as KcatRecord);
}

function linesFor(topic: string, p: number, from: number, to: number): Line[] {
  return Array.from({ length: to - from }, (_, j) => {
    const i = from + j;
    return {
      key: i % 7 === 3 ? null : `${topic}-k-${p}-${i}`,
      value: i % 5 === 4 ? null : `${topic}-v-${p}-${i}-${'x'.repeat(i * 3)}`,
    };
  });
}

const HEADERS_A = ['-H', 'trace=abc', '-H', 'bin=x y', '-H', 'trace=again'];
const HEADERS_B = ['-H', 'novalue'];

for (const codec of CODECS) {
  test(`produce and consume with -z ${codec}: keys, nulls, headers, order, from an offset`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const topic = `kcat-codec-${codec}`;
    const half = PER_PARTITION / 2;
    const expected: { key: string | null; payload: string | null; headers: (string | null)[] }[][] = [];
    for (let p = 0; p < PARTITIONS; p++) {
      const a = linesFor(topic, p, 0, half);
      const b = linesFor(topic, p, half, PER_PARTITION);
      await produce(topic, p, a, ['-z', codec, ...HEADERS_A]);
      await produce(topic, p, b, ['-z', codec, ...HEADERS_B]);
      expected.push([
        ...a.map((l) => ({ key: l.key, payload: l.value, headers: ['trace', 'abc', 'bin', 'x y', 'trace', 'again'] })),
        ...b.map((l) => ({ key: l.key, payload: l.value, headers: ['novalue', null] })),
      ]);
    }
    // One kcat run per start position reads all partitions.
    const all = await consume(topic, null, 'beginning');
    const fromThree = await consume(topic, null, '3');
    for (let p = 0; p < PARTITIONS; p++) {
      const got = all.filter((r) => r.partition === p);
      assert.deepEqual(got.map((r) => r.offset), Array.from({ length: PER_PARTITION }, (_, i) => i), `partition ${p} offsets`);
      assert.deepEqual(got.map((r) => ({ key: r.key, payload: r.payload, headers: r.headers })), expected[p], `partition ${p} contents`);
      const got3 = fromThree.filter((r) => r.partition === p);
      assert.deepEqual(got3.map((r) => [r.offset, r.key, r.payload]), got.slice(3).map((r) => [r.offset, r.key, r.payload]), `partition ${p} from offset 3`);
    }
  });
}

test('metadata (-L): auto-created topic has num.partitions partitions, led by the listed broker', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kcat-metadata';
  await produce(topic, 0, [{ key: 'k', value: 'v' }]);
  const md = JSON.parse((await kcat(['-L', '-b', bootstrap, '-t', topic, '-J'])).toString('utf8')) as {
    brokers: { id: number; name: string }[];
    topics: { topic: string; error?: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
  };
  assert.equal(md.brokers.length, 1);
  assert.equal(md.brokers[0].name, bootstrap);
  const t = md.topics.find((x) => x.topic === topic);
  assert.ok(t !== undefined && t.error === undefined, 'topic listed without error');
  assert.deepEqual(t.partitions.map((p) => p.partition).sort(), [0, 1, 2, 3]);
  for (const p of t.partitions) {
    assert.equal(p.leader, md.brokers[0].id);
    assert.deepEqual(p.replicas, [{ id: p.leader }]);
    assert.deepEqual(p.isrs, [{ id: p.leader }]);
  }
});

test('reading from a timestamp (-o s@TS) starts at the first record at or after it', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kcat-timestamps';
  // Three separate runs, so the records carry at least a few distinct timestamps.
  for (let run = 0; run < 3; run++) await produce(topic, 0, linesFor(topic, 0, run * 5, run * 5 + 5));
  const all = await consume(topic, 0, 'beginning');
  assert.equal(all.length, 15);
  const firstAtOrAfter = (ts: number): number => all.findIndex((r) => r.ts >= ts);
  for (const probe of [all[0].ts, all[5].ts, all[10].ts, all[7].ts + 1, all[0].ts - 1000]) {
    const want = firstAtOrAfter(probe);
    const got = await consume(topic, 0, `s@${probe}`);
    assert.equal(got[0]?.offset, want, `s@${probe}`);
    assert.equal(got.length, all.length - want);
  }
  // Later than every record: the consumer starts at the end and reads nothing.
  assert.deepEqual(await consume(topic, 0, `s@${all[14].ts + 60_000}`), []);
});

test('a ~1 MB record is accepted and read back; one over message.max.bytes is rejected', { timeout: TEST_TIMEOUT_MS }, async () => {
  const topic = 'kcat-large';
  const big = randomBytes(500_000).toString('hex'); // 1,000,000 bytes, no newline or tab
  await produce(topic, 0, [{ key: 'big', value: big }], CLIENT_MAX);

  const tooBig = randomBytes(Math.ceil((MAX_MESSAGE_BYTES + 100) / 2)).toString('hex');
  const rejected = await run('kcat', ['-P', '-b', bootstrap, '-t', topic, '-p', '0', '-K', '\t', ...CLIENT_MAX, '-X', 'message.send.max.retries=0'], {
    input: `too-big\t${tooBig}\n`,
  });
  assert.match(rejected.stderr, /Message size too large/i, `kcat output: ${rejected.stderr}`);

  await produce(topic, 0, [{ key: 'after', value: 'small' }]);
  const got = await consume(topic, 0, 'beginning');
  assert.deepEqual(got.map((r) => [r.offset, r.key]), [[0, 'big'], [1, 'after']]);
  const sha = (s: string | null): string => createHash('sha256').update(s ?? '').digest('hex');
  assert.equal(sha(got[0].payload), sha(big), '1 MB value intact');
});
