/**
 * A producer for one topic: records are collected per partition into batches that close
 * at `batchBytesMax` bytes, `batchRecordsMax` records or `lingerMs` after their first
 * record, then built as one v2 record batch (compressed as asked) and sent to the
 * partition's leader. A partition has one batch in flight at a time (different
 * partitions are sent in parallel), so records of a partition keep their order even
 * when a batch is retried after a retriable error (with fresh metadata, until
 * `deliveryTimeoutMs`). Without idempotence a retry after a lost response can duplicate
 * a batch, as in Kafka.
 *
 * Memory is bounded by `bufferedBytesMax` (Kafka's buffer.memory): `send` waits while
 * that many bytes are collected or in flight. Errors are reported per batch through
 * `onBatchError` with Kafka's error name, and counted in the summary.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../protocol/errors.ts';
import { CompressionType } from '../../protocol/records/batch-layout.ts';
import type { CompressionCodecId } from '../../protocol/records/batch-layout.ts';
import { buildRecordBatch } from '../../protocol/records/builder.ts';
import type { RecordInput } from '../../protocol/records/builder.ts';
import type { ProduceResponse } from '../../protocol/generated/produce.ts';
import { ProduceCall } from './api-calls.ts';
import type { TopicMetadata } from './cluster-metadata.ts';
import { KafkaResponseError, isRetriableFailure, throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';
import { DefaultPartitioner } from './partitioner.ts';
import { withDefaults } from './with-defaults.ts';

export const PRODUCER_DEFAULTS = {
  acks: -1,
  compression: CompressionType.none as CompressionCodecId,
  batchBytesMax: 1024 * 1024,
  batchRecordsMax: 16_384,
  lingerMs: 10,
  /** Kafka's buffer.memory. */
  bufferedBytesMax: 32 * 1024 * 1024,
  /** Kafka's request.timeout.ms, also sent as the produce timeout. */
  requestTimeoutMs: 30_000,
  /** Kafka's delivery.timeout.ms: how long a batch may be retried. */
  deliveryTimeoutMs: 120_000,
  /** Kafka's retry.backoff.ms. */
  retryBackoffMs: 100,
};

export interface ProducerOptions {
  topic: string;
  /** A fixed partition, or null for the default partitioner. */
  partition?: number | null;
  acks?: number;
  compression?: CompressionCodecId;
  batchBytesMax?: number;
  batchRecordsMax?: number;
  lingerMs?: number;
  bufferedBytesMax?: number;
  requestTimeoutMs?: number;
  deliveryTimeoutMs?: number;
  retryBackoffMs?: number;
  onBatchError?: (failure: BatchFailure) => void;
}

export interface BatchFailure {
  partition: number;
  recordCount: number;
  error: Error;
}

export interface ProduceSummary {
  recordsSent: number;
  recordsFailed: number;
}

interface OpenBatch {
  records: RecordInput[];
  bytes: number;
}

/** Metadata lookups for a topic without leaders before giving up (Kafka retries until max.block.ms). */
const METADATA_ATTEMPTS_MAX = 10;

/** Per-record bytes beyond key, value and headers (varints, attributes, deltas). */
const RECORD_OVERHEAD_BYTES = 21;

export class Producer {
  readonly #client: KafkaClient;
  #topic: TopicMetadata;
  readonly #opts: Required<Omit<ProducerOptions, 'onBatchError' | 'partition'>> & Pick<ProducerOptions, 'onBatchError'>;
  readonly #fixedPartition: number | null;
  readonly #partitioner: DefaultPartitioner;
  readonly #open = new Map<number, OpenBatch>();
  readonly #inFlight = new Set<Promise<void>>();
  /** The last batch queued per partition: a partition sends one batch at a time, so retries keep order. */
  readonly #partitionTails = new Map<number, Promise<void>>();
  #lingerTimer: NodeJS.Timeout | null = null;
  #bufferedBytes = 0;
  #spaceWaiters: (() => void)[] = [];
  readonly #summary: ProduceSummary = { recordsSent: 0, recordsFailed: 0 };

  private constructor(client: KafkaClient, topic: TopicMetadata, opts: ProducerOptions) {
    this.#client = client;
    this.#topic = topic;
    this.#opts = withDefaults(PRODUCER_DEFAULTS, opts);
    this.#fixedPartition = opts.partition ?? null;
    this.#partitioner = new DefaultPartitioner(topic.partitions.length);
  }

  /** Looks the topic up; fails when it does not exist or `partition` is not one of its partitions. */
  static async create(client: KafkaClient, opts: ProducerOptions): Promise<Producer> {
    const topic = await topicForProducing(client, opts.topic, opts.retryBackoffMs ?? PRODUCER_DEFAULTS.retryBackoffMs);
    const partition = opts.partition ?? null;
    if (partition !== null && !topic.partitions.some((p) => p.partition === partition)) {
      throw new Error(`topic '${opts.topic}' has no partition ${partition} (it has ${topic.partitions.length})`);
    }
    return new Producer(client, topic, opts);
  }

  /** Bytes of records collected or in flight (at most bufferedBytesMax, or one record when larger). */
  get bufferedBytes(): number {
    return this.#bufferedBytes;
  }

  /** Adds a record; waits first while the buffer is full. */
  async send(record: RecordInput): Promise<void> {
    const size = recordSize(record);
    while (this.#bufferedBytes > 0 && this.#bufferedBytes + size > this.#opts.bufferedBytesMax) {
      // As Kafka's accumulator does when memory runs out: send what is collected, so
      // open batches cannot hold the space this send waits for.
      this.#closeAll();
      await new Promise<void>((resolve) => this.#spaceWaiters.push(resolve));
    }
    const key = typeof record.key === 'string' ? Buffer.from(record.key) : (record.key ?? null);
    const partition = this.#fixedPartition ?? this.#partitioner.partition(key);
    let batch = this.#open.get(partition);
    if (batch !== undefined && batch.bytes + size > this.#opts.batchBytesMax) {
      this.#close(partition);
      batch = undefined;
    }
    if (batch === undefined) {
      batch = { records: [], bytes: 0 };
      this.#open.set(partition, batch);
    }
    batch.records.push(record);
    batch.bytes += size;
    this.#bufferedBytes += size;
    if (batch.records.length >= this.#opts.batchRecordsMax) this.#close(partition);
    else this.#lingerTimer ??= setTimeout(() => this.#closeAll(), this.#opts.lingerMs);
  }

  /** Sends everything collected and waits for every response. */
  async flush(): Promise<ProduceSummary> {
    this.#closeAll();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
    return { ...this.#summary };
  }

  #closeAll(): void {
    if (this.#lingerTimer !== null) clearTimeout(this.#lingerTimer);
    this.#lingerTimer = null;
    for (const partition of [...this.#open.keys()]) this.#close(partition);
  }

  /** Queues the partition's open batch behind the partition's previous one. */
  #close(partition: number): void {
    const batch = this.#open.get(partition);
    if (batch === undefined) return;
    this.#open.delete(partition);
    this.#partitioner.onBatchClosed(partition);
    const previous = this.#partitionTails.get(partition) ?? Promise.resolve();
    const sending = previous
      .then(() => this.#deliver(partition, batch.records))
      .then(() => { this.#summary.recordsSent += batch.records.length; })
      .catch((error: Error) => this.#reportFailure({ partition, recordCount: batch.records.length, error }))
      .finally(() => {
        this.#inFlight.delete(sending);
        if (this.#partitionTails.get(partition) === sending) this.#partitionTails.delete(partition);
        this.#release(batch.bytes);
      });
    this.#inFlight.add(sending);
    this.#partitionTails.set(partition, sending);
  }

  /**
   * Sends one batch, retrying retriable errors (leader moved, connection lost, ...) with
   * fresh metadata until deliveryTimeoutMs has passed, as Kafka's producer does.
   */
  async #deliver(partition: number, records: RecordInput[]): Promise<void> {
    const recordBatch = await buildRecordBatch({ records, compression: this.#opts.compression });
    const deadline = Date.now() + this.#opts.deliveryTimeoutMs;
    for (;;) {
      try {
        return await this.#sendBatch(partition, recordBatch);
      } catch (err) {
        if (!isRetriableFailure(err) || Date.now() >= deadline) throw err;
      }
      await sleep(this.#opts.retryBackoffMs);
      this.#topic = await topicForProducing(this.#client, this.#topic.name, this.#opts.retryBackoffMs)
        .catch(() => this.#topic);
    }
  }

  async #sendBatch(partition: number, recordBatch: Buffer): Promise<void> {
    const leader = this.#topic.partitions.find((p) => p.partition === partition)?.leader ?? -1;
    if (leader < 0) throw new KafkaResponseError(ErrorCode.LEADER_NOT_AVAILABLE, `partition ${this.#topic.name}-${partition}`, 'no leader');
    const request = {
      acks: this.#opts.acks,
      timeoutMs: this.#opts.requestTimeoutMs,
      topicData: [{ name: this.#topic.name, partitionData: [{ index: partition, records: recordBatch }] }],
    };
    if (this.#opts.acks === 0) {
      const conn = await this.#client.connection(leader);
      await conn.sendWithoutResponse(ProduceCall, () => request);
      return;
    }
    const res = await this.#client.send(ProduceCall, () => request,
      { nodeId: leader, timeoutMs: this.#opts.requestTimeoutMs * 2 });
    checkProduceResponse(res, this.#topic.name, partition);
  }

  #reportFailure(failure: BatchFailure): void {
    this.#summary.recordsFailed += failure.recordCount;
    this.#opts.onBatchError?.(failure);
  }

  #release(bytes: number): void {
    this.#bufferedBytes -= bytes;
    const waiters = this.#spaceWaiters;
    this.#spaceWaiters = [];
    for (const wake of waiters) wake();
  }
}

/**
 * The topic's metadata, asking the broker to create a missing topic when its
 * auto.create.topics.enable allows (as Kafka's producer does). A topic just created may
 * have no leader yet (LEADER_NOT_AVAILABLE): the lookup is then repeated a few times.
 */
async function topicForProducing(client: KafkaClient, name: string, retryBackoffMs: number): Promise<TopicMetadata> {
  for (let attempt = 1; ; attempt++) {
    const metadata = await client.metadata([name], true);
    const topic = metadata.topics.find((t) => t.name === name);
    if (topic === undefined) throw new Error(`metadata has no entry for topic '${name}'`);
    const leaderless = topic.errorCode === ErrorCode.LEADER_NOT_AVAILABLE || topic.partitions.some((p) => p.leader < 0);
    if (!leaderless || attempt === METADATA_ATTEMPTS_MAX) {
      throwIfError(topic.errorCode, `topic '${name}'`);
      return topic;
    }
    await sleep(retryBackoffMs);
  }
}

function checkProduceResponse(res: ProduceResponse, topic: string, partition: number): void {
  const result = res.responses.find((t) => t.name === topic)?.partitionResponses.find((p) => p.index === partition);
  if (result === undefined) throw new Error(`produce response has no result for ${topic}-${partition}`);
  const recordError = result.recordErrors.map((e) => `record ${e.batchIndex}: ${e.batchIndexErrorMessage ?? ''}`).join('; ');
  throwIfError(result.errorCode, `produce to ${topic}-${partition}`, result.errorMessage ?? (recordError || null));
}

function recordSize(record: RecordInput): number {
  let size = RECORD_OVERHEAD_BYTES + byteLength(record.key) + byteLength(record.value);
  for (const header of record.headers ?? []) size += Buffer.byteLength(header.key) + byteLength(header.value) + 2;
  return size;
}

function byteLength(bytes: Buffer | string | null | undefined): number {
  if (bytes === null || bytes === undefined) return 0;
  return typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
}
