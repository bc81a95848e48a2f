/**
 * The embeddable broker as another package's tests use it: imported by the package name
 * ('gregor', resolved through package.json "exports"), started with no options (free
 * port, temp dir), used by kafkajs (the README's example), stopped; the temp dir is gone.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { access } from 'node:fs/promises';
import kafkajs from 'kafkajs';
import { startBroker } from 'gregor';

it('starts with no options, serves kafkajs, and cleans up on stop', async () => {
  const broker = await startBroker();
  const logDir = broker.config.logDirs[0];
  try {
    assert.match(broker.bootstrap, /^127\.0\.0\.1:\d+$/);
    assert.notEqual(broker.port, 9092);
    const kafka = new kafkajs.Kafka({ brokers: [broker.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const [sent] = await producer.send({ topic: 'greetings', messages: [{ key: 'k', value: 'hello' }] });
    await producer.disconnect();
    assert.equal(sent.errorCode, 0);
  } finally {
    await broker.stop();
  }
  await assert.rejects(access(logDir), { code: 'ENOENT' });
});
