/**
 * Reading a topic through kafkajs's own group consumer with isolation.level=read_committed:
 * what a transactional application's downstream consumer sees.
 */
import type { Kafka } from 'kafkajs';

/** Values of `topic` from the beginning, read_committed, until `expected` have arrived. */
export async function readCommittedValues(kafka: Kafka, groupId: string, topic: string, expected: number): Promise<string[]> {
  const consumer = kafka.consumer({ groupId, readUncommitted: false });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: string[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value!.toString());
        if (values.length >= expected) resolve();
      },
    });
  });
  await consumer.disconnect();
  return values;
}
