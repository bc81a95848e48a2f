/**
 * Transaction coordinator test fixture: the replication Fixture (temp dir, ReplicaManager)
 * driven by a ManualScheduler, a metadata stand-in that creates __transaction_state in
 * the fixture's image, a TransactionCoordinator on top (started, loaded, installed as the
 * replicas' TransactionVerifier), a data topic "t" with 3 partitions, and helpers to
 * produce transactional batches and wait for background completions.
 */
import type { CreateTopicSpec, MetadataListener } from '../../../src/cluster/metadata-store.ts';
import type { TopicInfo } from '../../../src/cluster/metadata-image.ts';
import { ManualScheduler } from '../../../src/coordinator/runtime/timer.ts';
import { TransactionCoordinator } from '../../../src/coordinator/txn/txn-coordinator.ts';
import { silentLogger } from '../../../src/logger.ts';
import { buildRecordBatch } from '../../../src/protocol/records/builder.ts';
import type { AppendOutcome } from '../../../src/replication/partition.ts';
import { Fixture } from '../../replication/helpers.ts';

export const TXN_DEFAULTS: Record<string, string> = {
  'transaction.state.log.num.partitions': '3',
  'offsets.topic.num.partitions': '3',
  'transaction.abort.timed.out.transaction.cleanup.interval.ms': '500',
  // The fixture's image has more brokers than replicas; a one-replica ISR must do.
  'transaction.state.log.min.isr': '1',
};

export interface TxnFixture {
  readonly f: Fixture;
  readonly scheduler: ManualScheduler;
  readonly txns: TransactionCoordinator;
  /** Appends one transactional batch of `count` records to t-<partition> as a client would. */
  produce(partition: number, producerId: number, producerEpoch: number, baseSequence: number, count?: number): Promise<AppendOutcome>;
  /** Resolves once no coordinator write or marker is in flight. */
  settle(): Promise<void>;
  reload(): Promise<TransactionCoordinator>;
  close(): Promise<void>;
}

export async function txnFixture(props: Record<string, string> = {}): Promise<TxnFixture> {
  const scheduler = new ManualScheduler();
  const f = await Fixture.open({ clock: scheduler, props: { ...TXN_DEFAULTS, ...props } });
  await f.setTopics({ name: 't', partitions: 3 });
  const listeners = new Set<MetadataListener>();
  const metadata = {
    image: () => f.image,
    onChange: (l: MetadataListener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    createTopic: async (spec: CreateTopicSpec): Promise<TopicInfo> => {
      const [info] = await f.setTopics({ name: spec.name, partitions: spec.numPartitions, configs: { ...spec.configs }, isInternal: true });
      return info;
    },
  };
  let nextProducerId = 1000;
  const open = async (): Promise<TransactionCoordinator> => {
    const c = new TransactionCoordinator({
      config: f.config, metadata, metadataApplied: async () => {}, replicas: f.replicas, clock: scheduler, logger: silentLogger,
      generateProducerId: async () => nextProducerId++,
      offsetsPartitionFor: () => 0,
    });
    await c.start();
    await c.findCoordinator('any');
    await c.runtime.whenLoaded();
    f.replicas.transactionVerifier = c;
    return c;
  };
  let txns = await open();
  return {
    f, scheduler,
    get txns() { return txns; },
    async produce(partition, producerId, producerEpoch, baseSequence, count = 1) {
      const batch = await buildRecordBatch({
        records: Array.from({ length: count }, (_, i) => ({ key: `k${i}`, value: `v${i}` })),
        producerId, producerEpoch, baseSequence, isTransactional: true, now: scheduler.now(),
      });
      return f.replicas.getPartition('t', partition)!.appendRecordsToLeader(batch, { requiredAcks: -1 });
    },
    settle: () => txns.whenIdle(),
    async reload() {
      await txns.close();
      txns = await open();
      return txns;
    },
    async close() {
      await txns.close();
      await f.close();
    },
  };
}
