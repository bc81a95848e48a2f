/**
 * kill -9 under a pipelining client: confluent-kafka-python (librdkafka 2.0.2, acks=1, no
 * retries, several produce requests in flight per connection) writes numbered records to
 * a subprocess broker (CLI, log.flush.interval.messages=1) that is killed after a given
 * number of acknowledgements, then restarted on the same log dir and read back with kcat
 * (kill9-rounds.ts: every acknowledged record survives, in order, without gaps).
 */
import { after, before, test } from 'node:test';
import { SubprocessBroker } from '../compat/helpers/subprocess-broker.ts';
import { createVerifiedLogs, killRound, type KillRounds } from './kill9-rounds.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const PARTITIONS = 3;
const KILL_AFTER_ACKS = [40, 3000, 15000];

let rounds: KillRounds;
const verified = createVerifiedLogs(PARTITIONS);

before(async () => {
  const broker = await SubprocessBroker.start({ 'log.flush.interval.messages': '1', 'num.partitions': String(PARTITIONS) });
  rounds = { broker, topic: 'crash-librdkafka', partitions: PARTITIONS, producerScript: 'crash_producer.py' };
});

after(async () => {
  await rounds?.broker.destroy();
});

for (const [n, killAfter] of KILL_AFTER_ACKS.entries()) {
  test(`kill -9 after ${killAfter} acknowledgements: the log is an unbroken prefix covering every ack`, { timeout: TEST_TIMEOUT_MS }, async () => {
    await killRound(rounds, verified, `lr${n}`, killAfter);
  });
}
