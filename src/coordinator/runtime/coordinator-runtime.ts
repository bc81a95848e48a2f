/**
 * CoordinatorRuntime: runs one coordinator shard per partition of an internal topic that
 * this broker leads (Kafka's CoordinatorRuntime, without its thread pool: Node's event
 * loop already runs every operation to its next await without interleaving).
 *
 * Lifecycle of a partition (driven by `reconcile`, run after every applied metadata
 * change and at start):
 *   not led -> (this broker becomes leader) -> loading: a fresh shard replays the whole
 *   partition -> active: operations run against the shard -> (leadership lost, epoch
 *   changed, or close) -> unloaded: the shard's timers are cancelled and its parked
 *   requests answered NOT_COORDINATOR.
 * Lookups answer Kafka's errors: COORDINATOR_NOT_AVAILABLE while the topic does not
 * exist, COORDINATOR_LOAD_IN_PROGRESS while loading (or about to), NOT_COORDINATOR when
 * another broker leads the partition.
 *
 * Writes: `ShardContext.append` appends records and resolves once they are committed;
 * shards change their state only after that (see partition-writer.ts).
 *
 * The topic is created on first use (`ensureTopic`, as Kafka's FindCoordinator does).
 */
import type { MetadataStore, CreateTopicSpec } from '../../cluster/metadata-store.ts';
import { KafkaApiError } from '../../cluster/kafka-api-error.ts';
import type { Logger } from '../../logger.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { CompressionCodecId } from '../../protocol/records/batch-layout.ts';
import type { Partition } from '../../replication/partition.ts';
import type { ReplicaManager } from '../../replication/replica-manager.ts';
import type { CoordinatorRecord, LoadedRecord } from './coordinator-record.ts';
import { coordinatorWriteError } from './operation-errors.ts';
import { loadPartition } from './partition-loader.ts';
import { partitionFor } from './partition-for.ts';
import { appendCommitted, type AppendResult, type TransactionalProducer } from './partition-writer.ts';
import { KeyedTimer, type Scheduler } from './timer.ts';

/** What a coordinator implements per partition. */
export interface CoordinatorShard {
  /** Applies one record read back from the log while loading. */
  replay(record: LoadedRecord): void;
  /** Loading finished: schedule timers (session expiries, clean-ups). */
  onLoaded(): void;
  /** Leadership lost or broker stopping: answer parked requests, drop timers. */
  onUnloaded(): void;
}

/** What the runtime gives a shard. */
export interface ShardContext {
  readonly topic: string;
  readonly partitionIndex: number;
  /** The shard's timers; all cancelled on unload. */
  readonly timer: KeyedTimer;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /**
   * Appends and resolves once committed, or with the error mapped for clients
   * (operation-errors.ts); `transactional`: as part of that producer's transaction.
   */
  append(records: readonly CoordinatorRecord[], transactional?: TransactionalProducer): Promise<AppendResult>;
  /** False once the shard has been unloaded. */
  isActive(): boolean;
}

export type ShardLookup<S> =
  | { readonly ok: true; readonly shard: S; readonly partition: number }
  | { readonly ok: false; readonly error: ErrorCodeValue; readonly partition: number };

export interface CoordinatorRuntimeOptions<S extends CoordinatorShard> {
  readonly topic: string;
  /** Partition count used for placement before the topic exists. */
  readonly configuredPartitions: number;
  readonly replicas: ReplicaManager;
  readonly metadata: Pick<MetadataStore, 'image' | 'onChange' | 'createTopic'>;
  /** Resolves when every committed metadata change has been applied to the replicas. */
  readonly metadataApplied: () => Promise<void>;
  readonly topicSpec: () => CreateTopicSpec;
  readonly scheduler: Scheduler;
  readonly logger: Logger;
  /** offsets.commit.timeout.ms / transaction timeouts: how long a write waits for the HW. */
  readonly appendTimeoutMs: number;
  /** offsets.load.buffer.size. */
  readonly loadBufferBytes: number;
  readonly compression: CompressionCodecId;
  readonly createShard: (ctx: ShardContext) => S;
}

interface Entry<S> {
  readonly partition: Partition;
  readonly leaderEpoch: number;
  readonly shard: S;
  readonly timer: KeyedTimer;
  state: 'loading' | 'active' | 'unloaded';
  loaded: Promise<void>;
}

export class CoordinatorRuntime<S extends CoordinatorShard> {
  readonly topic: string;
  readonly #opts: CoordinatorRuntimeOptions<S>;
  readonly #entries = new Map<number, Entry<S>>();
  #reconciling: Promise<void> = Promise.resolve();
  #creating: Promise<ErrorCodeValue> | null = null;
  #unsubscribe: (() => void) | null = null;
  #closed = false;

  constructor(opts: CoordinatorRuntimeOptions<S>) {
    this.topic = opts.topic;
    this.#opts = opts;
  }

  /** Follows metadata changes from now on and loads what this broker already leads. */
  start(): Promise<void> {
    this.#unsubscribe = this.#opts.metadata.onChange(() => {
      void this.#opts.metadataApplied().then(() => this.reconcile());
    });
    return this.reconcile();
  }

  /** Partition count of the topic (the configured count until it exists). */
  partitionCount(): number {
    return this.#opts.metadata.image().topic(this.topic)?.partitions.length ?? this.#opts.configuredPartitions;
  }

  partitionFor(key: string): number {
    return partitionFor(key, this.partitionCount());
  }

  /** The leader node of `key`'s partition, or null while the topic or its leader is missing. */
  leaderFor(key: string): { partition: number; leader: number } | null {
    const info = this.#opts.metadata.image().topic(this.topic);
    if (info === undefined) return null;
    const partition = partitionFor(key, info.partitions.length);
    const leader = info.partitions[partition]?.leader ?? -1;
    return leader < 0 ? null : { partition, leader };
  }

  shardFor(key: string): ShardLookup<S> {
    return this.shard(this.partitionFor(key));
  }

  shard(partition: number): ShardLookup<S> {
    const entry = this.#entries.get(partition);
    if (entry?.state === 'active') return { ok: true, shard: entry.shard, partition };
    if (entry?.state === 'loading') return { ok: false, error: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, partition };
    if (this.#opts.metadata.image().topic(this.topic) === undefined) return { ok: false, error: ErrorCode.COORDINATOR_NOT_AVAILABLE, partition };
    const hosted = this.#opts.replicas.getPartition(this.topic, partition);
    const error = hosted?.isLeader === true && !this.#closed ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NOT_COORDINATOR;
    return { ok: false, error, partition };
  }

  /** Shards that are loaded and serving. */
  activeShards(): S[] {
    return [...this.#entries.values()].filter((e) => e.state === 'active').map((e) => e.shard);
  }

  /** Resolves when every load started so far (by completed reconciles) has finished. */
  async whenLoaded(): Promise<void> {
    await this.#reconciling;
    await Promise.all([...this.#entries.values()].map((e) => e.loaded));
  }

  /** Partitions this broker leads whose shard is still loading. */
  loadingPartitions(): number[] {
    return [...this.#entries.entries()].filter(([, e]) => e.state === 'loading').map(([p]) => p);
  }

  /**
   * Creates the topic if it does not exist (concurrent callers share one attempt).
   * Resolves NONE when it exists (or already existed), else the creation's error.
   */
  ensureTopic(): Promise<ErrorCodeValue> {
    if (this.#opts.metadata.image().topic(this.topic) !== undefined) return Promise.resolve(ErrorCode.NONE);
    this.#creating ??= this.#createTopic().finally(() => { this.#creating = null; });
    return this.#creating;
  }

  async #createTopic(): Promise<ErrorCodeValue> {
    try {
      await this.#opts.metadata.createTopic(this.#opts.topicSpec());
    } catch (err) {
      if (!(err instanceof KafkaApiError)) throw err;
      if (err.code !== ErrorCode.TOPIC_ALREADY_EXISTS) {
        this.#opts.logger.warn({ topic: this.topic, error: err.code, err }, 'could not create the internal topic');
        return err.code;
      }
    }
    await this.#opts.metadataApplied();
    await this.reconcile();
    return ErrorCode.NONE;
  }

  /** Loads newly led partitions and unloads lost ones; calls run one at a time. */
  reconcile(): Promise<void> {
    const run = this.#reconciling.then(() => this.#reconcile());
    this.#reconciling = run.catch((err: unknown) => this.#opts.logger.error({ err, topic: this.topic }, 'coordinator reconcile failed'));
    return this.#reconciling;
  }

  #reconcile(): void {
    for (const [index, entry] of this.#entries) {
      const current = this.#opts.replicas.getPartition(this.topic, index);
      const stillLeading = !this.#closed && current === entry.partition && current.isLeader && current.leaderEpoch === entry.leaderEpoch;
      if (!stillLeading) this.#unload(index, entry);
    }
    if (this.#closed) return;
    for (const partition of this.#opts.replicas.partitions()) {
      if (partition.topic !== this.topic || !partition.isLeader || this.#entries.has(partition.partition)) continue;
      this.#load(partition);
    }
  }

  #load(partition: Partition): void {
    const timer = new KeyedTimer(this.#opts.scheduler);
    const ctxRef: { entry: Entry<S> | null } = { entry: null };
    const ctx: ShardContext = {
      topic: this.topic,
      partitionIndex: partition.partition,
      timer,
      scheduler: this.#opts.scheduler,
      logger: this.#opts.logger,
      append: (records, transactional) => this.#append(partition, records, transactional),
      isActive: () => ctxRef.entry?.state === 'active',
    };
    const entry: Entry<S> = { partition, leaderEpoch: partition.leaderEpoch, shard: this.#opts.createShard(ctx), timer, state: 'loading', loaded: Promise.resolve() };
    ctxRef.entry = entry;
    this.#entries.set(partition.partition, entry);
    entry.loaded = this.#runLoad(entry);
  }

  async #runLoad(entry: Entry<S>): Promise<void> {
    const started = this.#opts.scheduler.now();
    try {
      const summary = await loadPartition(entry.partition, (r) => entry.shard.replay(r), {
        loadBufferBytes: this.#opts.loadBufferBytes,
        shouldStop: () => entry.state !== 'loading',
      });
      if (summary.stopped || entry.state !== 'loading') return;
      entry.state = 'active';
      entry.shard.onLoaded();
      this.#opts.logger.debug({ partition: entry.partition.name, records: summary.records, ms: this.#opts.scheduler.now() - started }, 'coordinator partition loaded');
    } catch (err) {
      this.#opts.logger.error({ err, partition: entry.partition.name }, 'loading coordinator partition failed');
      if (this.#entries.get(entry.partition.partition) === entry) this.#unload(entry.partition.partition, entry);
    }
  }

  #unload(index: number, entry: Entry<S>): void {
    this.#entries.delete(index);
    const wasActive = entry.state === 'active';
    entry.state = 'unloaded';
    entry.timer.cancelAll();
    if (wasActive) entry.shard.onUnloaded();
    this.#opts.logger.debug({ partition: entry.partition.name }, 'coordinator partition unloaded');
  }

  async #append(partition: Partition, records: readonly CoordinatorRecord[], transactional?: TransactionalProducer): Promise<AppendResult> {
    const result = await appendCommitted(partition, records, {
      transactional,
      delayed: this.#opts.replicas.delayed,
      timeoutMs: this.#opts.appendTimeoutMs,
      nowMs: this.#opts.scheduler.now(),
      compression: this.#opts.compression,
    });
    return result.ok ? result : { ok: false, error: coordinatorWriteError(result.error) };
  }

  /** Unloads every shard (answering parked requests) and stops following metadata. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#unsubscribe?.();
    await this.reconcile();
  }
}
