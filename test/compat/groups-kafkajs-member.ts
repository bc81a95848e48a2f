/**
 * A kafkajs 2.2.4 group member run as a child process by groups-kafkajs.test.ts, so the
 * test can kill it with SIGKILL: no LeaveGroup, its heartbeats just stop. Arguments:
 * bootstrap, group id, topic, session timeout ms. Prints one JSON object per line on
 * stdout: {"joined": [partitions]} on every GROUP_JOIN, {"p": partition, "o": offset} per
 * record (after kafkajs commits it, which it does after each batch).
 */
import kafkajs from 'kafkajs';

const [bootstrap, groupId, topic, sessionTimeout] = process.argv.slice(2);
const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({ brokers: [bootstrap], clientId: 'groups-kafkajs-child', logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({
  groupId, sessionTimeout: Number(sessionTimeout), heartbeatInterval: 300, maxWaitTimeInMs: 200, rebalanceTimeout: 20_000,
});
consumer.on(consumer.events.GROUP_JOIN, (e) => {
  process.stdout.write(`${JSON.stringify({ joined: e.payload.memberAssignment[topic] ?? [] })}\n`);
});
await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary }) => {
    if (batch.messages.length === 0) return;
    for (const m of batch.messages) resolveOffset(m.offset);
    const next = String(Number(batch.messages[batch.messages.length - 1].offset) + 1);
    await commitOffsetsIfNecessary({ topics: [{ topic, partitions: [{ partition: batch.partition, offset: next }] }] });
    for (const m of batch.messages) process.stdout.write(`${JSON.stringify({ p: batch.partition, o: Number(m.offset) })}\n`);
  },
});
