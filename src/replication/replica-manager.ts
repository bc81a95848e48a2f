/**
 * ReplicaManager: the partitions this broker hosts (Kafka's ReplicaManager). It follows
 * the metadata image: `applyImage` (at start and on every change, serialized) opens or
 * creates the log of every partition whose replicas include this node, makes this node
 * leader where the image says so (with the image's leader epoch), pushes topic config
 * changes into the logs, and deletes the logs of topics that left the image (or were
 * recreated under a new topic id).
 *
 * It also owns the data path's shared state: the delayed-operation set (long-poll
 * fetches, acks=-1 produces) and the fetch session cache.
 *
 * Not done yet (multi-broker): follower fetchers, ISR shrink/expand, truncation on
 * leader change, deleting a single partition that was moved away (it is only dropped
 * from the hosted set; its log stays until the topic is deleted).
 */
import type { Clock } from '../clock.ts';
import type { MetadataImage, TopicInfo } from '../cluster/metadata-image.ts';
import type { BrokerConfig } from '../config/broker-config.ts';
import { resolveLogConfig } from '../config/topic-config.ts';
import type { Logger } from '../logger.ts';
import { ErrorCode, type ErrorCodeValue } from '../protocol/errors.ts';
import type { LogManager } from '../storage/log-manager.ts';
import { DelayedOperations } from './delayed-operations.ts';
import { FETCH_SESSION_SLOTS_DEFAULT, FetchSessionCache } from './fetch-session.ts';
import { Partition, type TransactionVerifier } from './partition.ts';
import { TopicStats } from './topic-stats.ts';

export interface ReplicaManagerOptions {
  readonly nodeId: number;
  readonly logs: LogManager;
  readonly config: BrokerConfig;
  readonly clock: Clock;
  readonly logger: Logger;
  /** max.incremental.fetch.session.cache.slots. */
  readonly fetchSessionSlots?: number;
  /** Bound on parked fetches/produces. */
  readonly delayedOperationsMax?: number;
}

export type PartitionLookup =
  | { readonly ok: true; readonly partition: Partition }
  | { readonly ok: false; readonly error: ErrorCodeValue };

function key(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export class ReplicaManager {
  readonly nodeId: number;
  readonly logs: LogManager;
  readonly config: BrokerConfig;
  readonly clock: Clock;
  readonly delayed: DelayedOperations;
  readonly fetchSessions: FetchSessionCache;
  /** Traffic counters per topic (bytes/messages in, bytes out), read by src/metrics. */
  readonly topicStats = new TopicStats();
  /** The transaction coordinator's partition verification (KIP-890); null until it starts. */
  transactionVerifier: TransactionVerifier | null = null;
  #logger: Logger;
  #partitions = new Map<string, Partition>();
  #applying: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(opts: ReplicaManagerOptions) {
    this.nodeId = opts.nodeId;
    this.logs = opts.logs;
    this.config = opts.config;
    this.clock = opts.clock;
    this.#logger = opts.logger;
    this.delayed = new DelayedOperations(opts.delayedOperationsMax);
    this.fetchSessions = new FetchSessionCache(opts.fetchSessionSlots ?? FETCH_SESSION_SLOTS_DEFAULT);
  }

  getPartition(topic: string, partition: number): Partition | undefined {
    return this.#partitions.get(key(topic, partition));
  }

  partitions(): Partition[] {
    return [...this.#partitions.values()];
  }

  /**
   * The hosted partition, or Kafka's error for it: UNKNOWN_TOPIC_OR_PARTITION when the
   * image has no such partition, NOT_LEADER_OR_FOLLOWER when it exists elsewhere.
   */
  lookup(image: MetadataImage, topic: string, partition: number): PartitionLookup {
    const hosted = this.getPartition(topic, partition);
    if (hosted !== undefined && !hosted.removed) return { ok: true, partition: hosted };
    const info = image.topic(topic);
    const exists = info !== undefined && partition >= 0 && partition < info.partitions.length;
    return { ok: false, error: exists ? ErrorCode.NOT_LEADER_OR_FOLLOWER : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION };
  }

  /** Brings the hosted partitions in line with `image`; calls are applied in order. */
  applyImage(image: MetadataImage): Promise<void> {
    const run = this.#applying.then(() => this.#apply(image));
    this.#applying = run.catch((err: unknown) => this.#logger.error({ err }, 'applying metadata image failed'));
    return run;
  }

  async #apply(image: MetadataImage): Promise<void> {
    if (this.#closed) return;
    await this.#removeDeletedTopics(image);
    for (const topic of image.topicsByName.values()) {
      // One topic that cannot be applied (bad stored config, disk error) must not keep
      // the others from being served.
      try {
        await this.#applyTopic(topic);
      } catch (err) {
        this.#logger.error({ err, topic: topic.name }, 'could not apply topic metadata');
      }
    }
  }

  async #removeDeletedTopics(image: MetadataImage): Promise<void> {
    const doomed = new Set<string>();
    for (const p of this.#partitions.values()) {
      if (image.topic(p.topic)?.topicId !== p.topicId) doomed.add(p.topic);
    }
    // An empty image (nothing applied yet) must not wipe the disk.
    if (image.version > 0) {
      for (const log of this.logs.allLogs()) {
        const topic = image.topic(log.topic);
        const storedId = this.logs.topicIdOf(log.topic, log.partition);
        if (topic === undefined || (storedId !== null && storedId !== topic.topicId)) doomed.add(log.topic);
      }
    }
    for (const topic of doomed) {
      for (const p of this.#partitions.values()) {
        if (p.topic !== topic) continue;
        p.markRemoved();
        this.#partitions.delete(key(p.topic, p.partition));
      }
      this.topicStats.remove(topic);
      this.#logger.info({ topic }, 'deleting logs of a topic no longer in the metadata');
      await this.logs.deleteLogs(topic);
    }
  }

  async #applyTopic(topic: TopicInfo): Promise<void> {
    const config = resolveLogConfig(this.config, topic.configs);
    for (const state of topic.partitions) {
      const k = key(topic.name, state.partition);
      let hosted = this.#partitions.get(k);
      if (!state.replicas.includes(this.nodeId)) {
        if (hosted !== undefined) {
          hosted.markRemoved();
          this.#partitions.delete(k);
        }
        continue;
      }
      if (hosted === undefined) {
        const log = await this.logs.getOrCreateLog(topic.name, state.partition, topic.topicId);
        hosted = new Partition({ topic: topic.name, partition: state.partition, topicId: topic.topicId, log, nodeId: this.nodeId, clock: this.clock, stats: this.topicStats, txnVerifier: () => this.transactionVerifier });
        this.#partitions.set(k, hosted);
      }
      hosted.log.setConfig(config);
      hosted.applyState(state);
    }
  }

  /** Wakes every parked operation and stops hosting; the logs are the LogManager's to close. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#applying;
    this.delayed.close();
    for (const p of this.#partitions.values()) p.markRemoved();
    this.#partitions.clear();
  }
}
