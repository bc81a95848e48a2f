/**
 * `gregor produce` and `gregor consume` end to end against a test broker: lines with
 * keys and headers, in every compression codec, come back with exactly the same
 * content, each partition in produce order; keyed records land in the partition Java's
 * murmur2 picks; start positions (beginning, offset, timestamp, latest); per-batch
 * errors carry Kafka's error name and a non-zero exit code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';
import { partitionForKey } from '../../src/cli/client/murmur2.ts';
import { runCli, runProgram } from './run-cli.ts';
import { JAVA_MURMUR2 } from './java-murmur2-vectors.ts';

interface Printed {
  partition: number;
  offset: number;
  headers: string;
  key: string;
  value: string;
}

/** Parses `consume --print-partition --print-offset --print-headers --print-key --key-separator '|'` output. */
function parsePrinted(stdout: string): Printed[] {
  return stdout.split('\n').filter((line) => line !== '').map((line) => {
    const [partition, offset, headers, key, ...value] = line.split('|');
    return {
      partition: Number(partition.replace('Partition:', '')),
      offset: Number(offset.replace('Offset:', '')),
      headers,
      key,
      value: value.join('|'),
    };
  });
}

const PRINT_ALL = ['--print-partition', '--print-offset', '--print-headers', '--print-key', '--key-separator', '|'];

describe('gregor produce / consume', () => {
  let broker: TestBroker;
  let bootstrap: string[];

  before(async () => {
    broker = await startTestBroker();
    bootstrap = ['--bootstrap-server', broker.bootstrap];
  });
  after(() => broker.stopAndRemove());

  async function createTopic(name: string, partitions: number, ...extra: string[]): Promise<void> {
    const created = await runCli(['topics', 'create', name, '--partitions', String(partitions), ...extra, ...bootstrap]);
    assert.equal(created.code, 0, created.stderr);
  }

  async function consumeAll(topic: string, count: number, ...extra: string[]): Promise<Printed[]> {
    const consumed = await runCli(['consume', topic, '--from-beginning', '--max-messages', String(count),
      '--timeout-ms', '10000', ...PRINT_ALL, ...extra, ...bootstrap]);
    assert.equal(consumed.code, 0, consumed.stderr);
    assert.match(consumed.stderr, new RegExp(`Processed a total of ${count} messages`));
    return parsePrinted(consumed.stdout);
  }

  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`round-trips keys, values and headers with compression ${codec}`, async () => {
      const topic = `lines-${codec}`;
      await createTopic(topic, 3);
      const sent = Array.from({ length: 300 }, (_, i) => ({ key: `key-${i % 17}`, value: `value ${i}: ünïcødé\twith a tab` }));
      sent.push({ key: 'empty-value', value: '' });
      const input = `${sent.map((r) => `${r.key}\t${r.value}`).join('\n')}\n`;
      const produced = await runCli(['produce', topic, '--key-separator', '\t', '--compression', codec,
        '--header', 'source=cli-test', '--header', 'trace=a=b', ...bootstrap], input);
      assert.equal(produced.code, 0, produced.stderr);

      const printed = await consumeAll(topic, sent.length);
      for (const record of printed) {
        assert.equal(record.headers, 'source:cli-test,trace:a=b');
        assert.equal(record.partition, partitionForKey(Buffer.from(record.key), 3), `partition of ${record.key}`);
      }
      for (const partition of [0, 1, 2]) {
        const got = printed.filter((r) => r.partition === partition);
        const expected = sent.filter((r) => partitionForKey(Buffer.from(r.key), 3) === partition);
        assert.deepEqual(got.map((r) => ({ key: r.key, value: r.value })), expected, `partition ${partition} in order`);
        assert.deepEqual(got.map((r) => r.offset), expected.map((_, i) => i), `offsets of partition ${partition}`);
      }
    });
  }

  it('puts each key in the partition Java\'s murmur2 picks', async () => {
    await createTopic('by-key', 7);
    const keys = Object.keys(JAVA_MURMUR2);
    const produced = await runCli(['produce', 'by-key', '--key-separator', '=', ...bootstrap],
      keys.map((key) => `${key}=v`).join('\n'));
    assert.equal(produced.code, 0, produced.stderr);
    const printed = await consumeAll('by-key', keys.length);
    assert.deepEqual(
      new Map(printed.map((r) => [r.key, r.partition])),
      new Map(keys.map((key) => [key, (JAVA_MURMUR2[key] & 0x7fffffff) % 7])),
    );
  });

  it('partitions keys exactly as librdkafka\'s Java-compatible murmur2 partitioner does', async () => {
    await createTopic('by-kcat', 8);
    await createTopic('by-gregor', 8);
    const keys = Array.from({ length: 64 }, (_, i) => `user-${i * 7919}`);
    const input = `${keys.map((key) => `${key}:v`).join('\n')}\n`;
    const kcat = await runProgram('kcat', ['-b', broker.bootstrap, '-P', '-t', 'by-kcat', '-K:',
      '-X', 'partitioner=murmur2_random'], input);
    assert.equal(kcat.code, 0, kcat.stderr);
    assert.equal((await runCli(['produce', 'by-gregor', '--key-separator', ':', ...bootstrap], input)).code, 0);
    const partitionOf = async (topic: string): Promise<Map<string, number>> =>
      new Map((await consumeAll(topic, keys.length)).map((r) => [r.key, r.partition]));
    const byKcat = await partitionOf('by-kcat');
    assert.equal(byKcat.size, keys.length);
    assert.equal(new Set(byKcat.values()).size, 8, 'the keys spread over every partition');
    assert.deepEqual(await partitionOf('by-gregor'), byKcat);
  });

  it('gives lines without a separator a null key, all in one partition per batch', async () => {
    await createTopic('keyless', 4);
    const lines = ['first', 'second', 'no separator here', 'last'];
    const produced = await runCli(['produce', 'keyless', '--key-separator', '::', ...bootstrap], lines.join('\n'));
    assert.equal(produced.code, 0, produced.stderr);
    const printed = await consumeAll('keyless', lines.length);
    assert.deepEqual(printed.map((r) => [r.key, r.value, r.headers]), lines.map((l) => ['null', l, 'NO_HEADERS']));
    assert.equal(new Set(printed.map((r) => r.partition)).size, 1);
  });

  it('produces to a chosen partition and consumes from an offset', async () => {
    await createTopic('fixed', 3);
    const produced = await runCli(['produce', 'fixed', '--partition', '2', '--acks', '1', ...bootstrap], 'a\nb\nc\nd\n');
    assert.equal(produced.code, 0, produced.stderr);
    const fromOffset = await runCli(['consume', 'fixed', '--partition', '2', '--offset', '1', '--max-messages', '2',
      '--timeout-ms', '10000', ...bootstrap]);
    assert.equal(fromOffset.code, 0, fromOffset.stderr);
    assert.equal(fromOffset.stdout, 'b\nc\n');
  });

  it('starts at the latest offset by default and at a timestamp when asked', async () => {
    await createTopic('positions', 1);
    const before = Date.now();
    assert.equal((await runCli(['produce', 'positions', ...bootstrap], 'x\ny\n')).code, 0);
    const latest = await runCli(['consume', 'positions', '--timeout-ms', '300', ...bootstrap]);
    assert.equal(latest.code, 0, latest.stderr);
    assert.equal(latest.stdout, '');
    assert.match(latest.stderr, /Processed a total of 0 messages/);

    const fromTime = await runCli(['consume', 'positions', '--timestamp', String(before), '--max-messages', '2',
      '--timeout-ms', '10000', '--print-timestamp', ...bootstrap]);
    const lines = fromTime.stdout.trim().split('\n').map((line) => /^CreateTime:(\d+)\t(.*)$/.exec(line));
    assert.deepEqual(lines.map((m) => m?.[2]), ['x', 'y']);
    for (const m of lines) assert.ok(Number(m?.[1]) >= before, `timestamp ${m?.[1]} is at or after ${before}`);
    const afterAll = await runCli(['consume', 'positions', '--timestamp', String(Date.now() + 3_600_000),
      '--timeout-ms', '300', ...bootstrap]);
    assert.equal(afterAll.stdout, '');
  });

  it('sends with acks=0 without waiting for answers', async () => {
    await createTopic('fire-and-forget', 1);
    const produced = await runCli(['produce', 'fire-and-forget', '--acks', '0', ...bootstrap], 'one\ntwo\n');
    assert.equal(produced.code, 0, produced.stderr);
    const consumed = await runCli(['consume', 'fire-and-forget', '--from-beginning', '--max-messages', '2',
      '--timeout-ms', '10000', ...bootstrap]);
    assert.equal(consumed.stdout, 'one\ntwo\n');
  });

  it('reports a failed batch with Kafka\'s error name and exits 1', async () => {
    await createTopic('small', 1, '--config', 'max.message.bytes=200');
    const produced = await runCli(['produce', 'small', ...bootstrap], `${'x'.repeat(1000)}\n`);
    assert.equal(produced.code, 1);
    assert.match(produced.stderr, /failed to produce 1 records to small-0: .*MESSAGE_TOO_LARGE/);
  });

  it('exits 1 for a topic that does not exist', async () => {
    const consumed = await runCli(['consume', 'missing-topic', '--timeout-ms', '100', ...bootstrap]);
    assert.equal(consumed.code, 1);
    assert.match(consumed.stderr, /UNKNOWN_TOPIC_OR_PARTITION/);
  });
});
