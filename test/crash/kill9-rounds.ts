/**
 * Rounds of "produce with a librdkafka client until the broker is killed with -9, restart
 * it, read every partition back with kcat" for the kill -9 tests. Partition p's n-th record
 * of a round is "<tag>-p<p>-<n>", so after each round every partition must hold the log
 * verified before, then records n = 0, 1, 2, ... with no gap, duplicate or reordering, at
 * least up to the last acknowledged one, each at its acknowledged offset.
 */
import assert from 'node:assert/strict';
import { kcat, streamPython } from '../compat/helpers/processes.ts';
import type { SubprocessBroker } from '../compat/helpers/subprocess-broker.ts';

export interface KillRounds {
  readonly broker: SubprocessBroker;
  readonly topic: string;
  readonly partitions: number;
  /** Script under test/compat/python (or a path relative to it) that prints ACK/NACK lines. */
  readonly producerScript: string;
}

interface Ack {
  partition: number;
  offset: number;
  value: string;
}

/** Per partition: the values the log is known to hold, in offset order. */
export function createVerifiedLogs(partitions: number): string[][] {
  return Array.from({ length: partitions }, () => []);
}

/** Runs the producer until the broker is killed after `killAfter` acks; returns the acks. */
async function produceUntilKilled(rounds: KillRounds, tag: string, killAfter: number): Promise<Ack[]> {
  const acks: Ack[] = [];
  let killing: Promise<void> | null = null;
  const producer = streamPython(rounds.producerScript, [rounds.broker.bootstrap, rounds.topic, String(rounds.partitions), tag], (line) => {
    const [kind, p, offset, value] = line.split(' ');
    if (kind !== 'ACK') return;
    acks.push({ partition: Number(p), offset: Number(offset), value });
    if (acks.length >= killAfter && killing === null) killing = rounds.broker.kill9();
  });
  const result = await producer.exited;
  assert.equal(result.code, 0, `producer: ${result.stderr}`);
  assert.ok(killing !== null, `the broker was killed mid-stream (${acks.length} acks)`);
  await killing;
  return acks;
}

async function readLog(rounds: KillRounds): Promise<string[][]> {
  const out = await kcat(['-C', '-b', rounds.broker.bootstrap, '-t', rounds.topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %s\n']);
  const logs = createVerifiedLogs(rounds.partitions);
  for (const line of out.toString('utf8').split('\n')) {
    if (line === '') continue;
    const [p, offset, value] = line.split(' ');
    const log = logs[Number(p)];
    assert.equal(Number(offset), log.length, `partition ${p}: offsets contiguous from 0`);
    log.push(value);
  }
  return logs;
}

/** One round; `verified` (per partition) is checked and then extended to the new log. */
export async function killRound(rounds: KillRounds, verified: string[][], tag: string, killAfter: number): Promise<void> {
  const base = verified.map((v) => v.length);
  const acks = await produceUntilKilled(rounds, tag, killAfter);
  for (const a of acks) {
    assert.equal(a.value, `${tag}-p${a.partition}-${a.offset - base[a.partition]}`, 'acknowledged at the offset its sequence implies');
  }
  await rounds.broker.restart();
  const logs = await readLog(rounds);
  for (let p = 0; p < rounds.partitions; p++) {
    assert.deepEqual(logs[p].slice(0, base[p]), verified[p], `partition ${p}: earlier rounds intact`);
    const fresh = logs[p].slice(base[p]);
    const bad = fresh.findIndex((v, i) => v !== `${tag}-p${p}-${i}`);
    assert.equal(bad, -1, `partition ${p}: record ${bad} is ${fresh[bad]}, want ${tag}-p${p}-${bad}`);
    const lastAcked = Math.max(-1, ...acks.filter((a) => a.partition === p).map((a) => a.offset - base[p]));
    assert.ok(fresh.length > lastAcked, `partition ${p}: ${fresh.length} recovered, acknowledged up to ${lastAcked}`);
    verified[p] = logs[p];
  }
}
