/**
 * kill -9 under a pipelining client: confluent-kafka-python (librdkafka 2.0.2, acks=1, no
 * retries, several produce requests in flight per connection) writes numbered records to
 * a subprocess broker (CLI, log.flush.interval.messages=1) that is killed after a given
 * number of acknowledgements, then restarted on the same log dir and read back with kcat.
 * Partition p's n-th record this round is "<tag>-p<p>-<n>", so each partition must hold:
 * the log verified before, then records n = 0, 1, 2, ... with no gap, duplicate or
 * reordering, at least up to the last acknowledged one, each at its acknowledged offset.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kcat, streamPython } from '../compat/helpers/processes.ts';
import { SubprocessBroker } from '../compat/helpers/subprocess-broker.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const TOPIC = 'crash-librdkafka';
const PARTITIONS = 3;
const KILL_AFTER_ACKS = [40, 3000, 15000];

let broker: SubprocessBroker;
/** Per partition: the values the log is known to hold, in offset order. */
const verified: string[][] = Array.from({ length: PARTITIONS }, () => []);

before(async () => {
  broker = await SubprocessBroker.start({ 'log.flush.interval.messages': '1', 'num.partitions': String(PARTITIONS) });
});

after(async () => {
  await broker?.destroy();
});

interface Ack {
  partition: number;
  offset: number;
  value: string;
}

/** Runs the producer until the broker is killed after `killAfter` acks; returns the acks. */
async function produceUntilKilled(tag: string, killAfter: number): Promise<Ack[]> {
  const acks: Ack[] = [];
  let killing: Promise<void> | null = null;
  const producer = streamPython('crash_producer.py', [broker.bootstrap, TOPIC, String(PARTITIONS), tag], (line) => {
    const [kind, p, offset, value] = line.split(' ');
    if (kind !== 'ACK') return;
    acks.push({ partition: Number(p), offset: Number(offset), value });
    if (acks.length >= killAfter && killing === null) killing = broker.kill9();
  });
  const result = await producer.exited;
  assert.equal(result.code, 0, `producer: ${result.stderr}`);
  assert.ok(killing !== null, `the broker was killed mid-stream (${acks.length} acks)`);
  await killing;
  return acks;
}

async function readLog(): Promise<string[][]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n']);
  const logs: string[][] = Array.from({ length: PARTITIONS }, () => []);
  for (const line of out.toString('utf8').split('\n')) {
    if (line === '') continue;
    const [p, offset, value] = line.split(' ');
    const log = logs[Number(p)];
    assert.equal(Number(offset), log.length, `partition ${p}: offsets contiguous from 0`);
    log.push(value);
  }
  return logs;
}

for (const [n, killAfter] of KILL_AFTER_ACKS.entries()) {
  test(`kill -9 after ${killAfter} acknowledgements: the log is an unbroken prefix covering every ack`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const tag = `lr${n}`;
    const base = verified.map((v) => v.length);
    const acks = await produceUntilKilled(tag, killAfter);
    for (const a of acks) {
      assert.equal(a.value, `${tag}-p${a.partition}-${a.offset - base[a.partition]}`, 'acknowledged at the offset its sequence implies');
    }
    await broker.restart();
    const logs = await readLog();
    for (let p = 0; p < PARTITIONS; p++) {
      assert.deepEqual(logs[p].slice(0, base[p]), verified[p], `partition ${p}: earlier rounds intact`);
      const fresh = logs[p].slice(base[p]);
      const bad = fresh.findIndex((v, i) => v !== `${tag}-p${p}-${i}`);
      assert.equal(bad, -1, `partition ${p}: record ${bad} is ${fresh[bad]}, want ${tag}-p${p}-${bad}`);
      const lastAcked = Math.max(-1, ...acks.filter((a) => a.partition === p).map((a) => a.offset - base[p]));
      assert.ok(fresh.length > lastAcked, `partition ${p}: ${fresh.length} recovered, acknowledged up to ${lastAcked}`);
      verified[p] = logs[p];
    }
  });
}
