/**
 * Auto-creation through a real producer: kafkajs asks Metadata (v6, allowAutoTopicCreation)
 * for a topic nobody created, gets LEADER_NOT_AVAILABLE, retries, and produces once the
 * topic exists with num.partitions partitions. With auto.create.topics.enable=false the
 * send fails and nothing is created.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from 'kafkajs';
import { withTestBroker } from '../helpers/broker.ts';
import type { TestBroker } from '../helpers/broker.ts';

function kafkaFor(broker: TestBroker): Kafka {
  return new Kafka({ clientId: 'gregor-test', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 3, initialRetryTime: 50 } });
}

describe('auto-creation through a kafkajs producer', () => {
  test('producing to an unknown topic creates it with num.partitions', async () => {
    await withTestBroker({ 'num.partitions': '4' }, async (broker) => {
      const producer = kafkaFor(broker).producer({ allowAutoTopicCreation: true });
      await producer.connect();
      try {
        const [result] = await producer.send({ topic: 'auto-kjs', messages: [{ value: 'hello' }] });
        assert.equal(result.errorCode, 0);
        const topic = broker.services.metadata.image().topic('auto-kjs')!;
        assert.equal(topic.partitions.length, 4);
        assert.equal(broker.services.logs.getLog('auto-kjs', result.partition)!.logEndOffset, 1);
      } finally {
        await producer.disconnect();
      }
    });
  });

  test('with auto.create.topics.enable=false the send fails and nothing is created', async () => {
    await withTestBroker({ 'auto.create.topics.enable': 'false' }, async (broker) => {
      const producer = kafkaFor(broker).producer({ allowAutoTopicCreation: true, retry: { retries: 1, initialRetryTime: 20 } });
      await producer.connect();
      try {
        await assert.rejects(producer.send({ topic: 'not-auto', messages: [{ value: 'x' }] }), /does not host this topic-partition|UNKNOWN_TOPIC/i);
        assert.equal(broker.services.metadata.image().topic('not-auto'), undefined);
      } finally {
        await producer.disconnect();
      }
    });
  });
});
