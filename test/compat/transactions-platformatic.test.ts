/**
 * @platformatic/kafka transactions (idempotent producer turning transactional:
 * InitProducerId v5 names its idempotent producer id, KIP-360): a committed and an
 * aborted transaction; read_committed reads see only the committed record, the
 * coordinator ends in CompleteAbort.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Admin, Producer, stringSerializers } from '@platformatic/kafka';
import type { RunningBroker } from '../../src/broker.ts';
import { readRecords } from '../../src/protocol/records/record.ts';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { frameAt } from '../../src/protocol/records/framing.ts';
import { startCompatBroker } from './helpers/broker.ts';

const TEST_TIMEOUT_MS = 60_000;

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker({ 'transaction.state.log.num.partitions': '2', 'offsets.topic.num.partitions': '2' });
  const admin = new Admin({ clientId: 'compat-plt-txn-admin', bootstrapBrokers: [broker.bootstrap] });
  await admin.createTopics({ topics: ['plt-txn'], partitions: 1, replicas: 1 });
  await admin.close();
});

after(async () => {
  await broker?.stop();
});

/**
 * Data values a read_committed consumer keeps (as clients filter): a producer's batches
 * from an aborted transaction's first offset up to its ABORT marker are skipped;
 * control batches are dropped.
 */
async function committedValues(): Promise<string[]> {
  const partition = broker.services.replicas.getPartition('plt-txn', 0)!;
  const read = await partition.read({ fetchOffset: 0, maxBytes: 1 << 20, minOneBatch: true, isolation: 'committed' });
  const pendingAborts = [...(read.abortedTransactions ?? [])];
  const skipping = new Set<number>();
  const values: string[] = [];
  for (let pos = 0; pos < read.records.length;) {
    const frame = frameAt(read.records, pos);
    if (frame.kind !== 'entry') break;
    const batch = new RecordBatchView(read.records.subarray(frame.start, frame.end));
    pos = frame.end;
    const starts = pendingAborts.findIndex((t) => t.producerId === batch.producerId && t.firstOffset <= batch.baseOffset);
    if (starts >= 0) skipping.add(pendingAborts.splice(starts, 1)[0].producerId);
    if (batch.isControl) {
      skipping.delete(batch.producerId);
      continue;
    }
    if (batch.isTransactional && skipping.has(batch.producerId)) continue;
    for (const r of await readRecords(batch)) values.push(r.value!.toString());
  }
  return values;
}

test('commit and abort with @platformatic/kafka', { timeout: TEST_TIMEOUT_MS }, async () => {
  const producer = new Producer({
    clientId: 'compat-plt-txn', bootstrapBrokers: [broker.bootstrap], serializers: stringSerializers, idempotent: true, transactionalId: 'plt-app',
  });
  try {
    const committed = await producer.beginTransaction();
    await committed.send({ messages: [{ topic: 'plt-txn', value: 'kept', partition: 0 }] });
    await committed.commit();
    const aborted = await producer.beginTransaction();
    await aborted.send({ messages: [{ topic: 'plt-txn', value: 'dropped', partition: 0 }] });
    await aborted.abort();
  } finally {
    await producer.close();
  }
  await broker.services.transactions.whenIdle();
  assert.deepEqual(await committedValues(), ['kept']);
  assert.equal(broker.services.transactions.describe('plt-app').txn?.state, 'CompleteAbort');
});
