/**
 * kill -9 during durable produce: a topic with flush.messages=1 (group commit: a record is
 * acknowledged only after an fsync that covers it) and a confluent-kafka-python producer
 * with acks=all and several requests in flight; the broker is killed after a given number
 * of acknowledgements, restarted on the same log dir and read back with kcat
 * (kill9-rounds.ts: every acknowledged record survives, in order, without gaps). A process
 * kill keeps the page cache, so this proves the acknowledgement and recovery path; the
 * fsync itself is covered by test/storage/group-commit.test.ts.
 */
import { after, before, test } from 'node:test';
import { SubprocessBroker } from '../compat/helpers/subprocess-broker.ts';
import { createVerifiedLogs, killRound, type KillRounds } from './kill9-rounds.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const PARTITIONS = 3;
const KILL_AFTER_ACKS = [25, 4000];

let rounds: KillRounds;
const verified = createVerifiedLogs(PARTITIONS);

before(async () => {
  const broker = await SubprocessBroker.start({ 'auto.create.topics.enable': 'false' });
  rounds = { broker, topic: 'crash-durable', partitions: PARTITIONS, producerScript: '../../crash/durable_producer.py' };
});

after(async () => {
  await rounds?.broker.destroy();
});

for (const [n, killAfter] of KILL_AFTER_ACKS.entries()) {
  test(`durable produce, kill -9 after ${killAfter} acknowledgements: every acknowledged record survives`, { timeout: TEST_TIMEOUT_MS }, async () => {
    await killRound(rounds, verified, `d${n}`, killAfter);
  });
}
