/**
 * A consumer of chosen partitions of one topic, without a group: it keeps a position per
 * partition and each `poll` sends one long-polling Fetch to every leader involved,
 * returning the batches that hold records at or after the positions (in offset order
 * per partition) and advancing the positions. A fetch that starts inside a batch gets
 * the whole batch back; the records before the position are dropped here. Control batches (transaction markers)
 * are skipped. Reads read_uncommitted, like kafka-console-consumer's default. A
 * retriable error (leader moved, connection lost) skips the partition for that round
 * and makes the next poll refresh the leaders first, as Kafka's consumer keeps trying.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, isRetriable } from '../../protocol/errors.ts';
import { FetchCall } from './api-calls.ts';
import type { FetchResponse } from '../../protocol/generated/fetch.ts';
import { RecordBatchView } from '../../protocol/records/batch.ts';
import type { TimestampType } from '../../protocol/records/batch.ts';
import { CURRENT_MAGIC } from '../../protocol/records/batch-layout.ts';
import { frameAt } from '../../protocol/records/framing.ts';
import { readRecords } from '../../protocol/records/record.ts';
import type { KafkaRecord } from '../../protocol/records/record.ts';
import type { TopicMetadata } from './cluster-metadata.ts';
import { isRetriableFailure, throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';
import { groupByLeader } from './offsets.ts';
import { withDefaults } from './with-defaults.ts';

export const CONSUMER_DEFAULTS = {
  /** Kafka's fetch.max.wait.ms. */
  maxWaitMs: 500,
  /** Kafka's fetch.max.bytes. */
  maxBytes: 52_428_800,
  /** Kafka's max.partition.fetch.bytes. */
  partitionMaxBytes: 1_048_576,
  requestTimeoutMs: 30_000,
  /** Kafka's retry.backoff.ms. */
  retryBackoffMs: 100,
};

export interface ConsumedRecord extends KafkaRecord {
  partition: number;
  timestampType: TimestampType;
}

/** A fetched record batch; records before `fromOffset` were already consumed. */
export interface FetchedBatch {
  partition: number;
  view: RecordBatchView;
  fromOffset: number;
}

/** The records of a fetched batch from its `fromOffset` on (decompressed as needed). */
export async function recordsOf(batch: FetchedBatch): Promise<ConsumedRecord[]> {
  const records = await readRecords(batch.view);
  const { partition, view: { timestampType } } = batch;
  return records.filter((r) => r.offset >= batch.fromOffset).map((r) => Object.assign(r, { partition, timestampType }));
}

export type ConsumerOptions = Partial<typeof CONSUMER_DEFAULTS>;

export class PartitionConsumer {
  readonly #client: KafkaClient;
  #topic: TopicMetadata;
  /** Set by a retriable error; the next poll looks the leaders up first. */
  #metadataStale = false;
  readonly #positions: Map<number, number>;
  readonly #opts: typeof CONSUMER_DEFAULTS;

  /** `positions`: the next offset to read, per partition. */
  constructor(client: KafkaClient, topic: TopicMetadata, positions: Map<number, number>, opts: ConsumerOptions = {}) {
    this.#client = client;
    this.#topic = topic;
    this.#positions = new Map(positions);
    this.#opts = withDefaults(CONSUMER_DEFAULTS, opts);
  }

  position(partition: number): number | undefined {
    return this.#positions.get(partition);
  }

  /**
   * One fetch round; resolves after at most maxWaitMs (plus network) with the batches
   * that arrived, positions already advanced past them. Records are decoded by the
   * caller, one batch at a time (`recordsOf`), so a large fetch is never held decoded.
   */
  async poll(): Promise<FetchedBatch[]> {
    if (this.#metadataStale) await this.#refreshMetadata();
    const { byLeader, leaderless } = groupByLeader(this.#topic, [...this.#positions.keys()]);
    if (leaderless.length > 0) this.#metadataStale = true;
    const rounds = await Promise.all([...byLeader].map(([leader, partitions]) =>
      this.#fetch(leader, partitions).catch((err: unknown) => {
        if (!isRetriableFailure(err)) throw err;
        this.#metadataStale = true;
        return [];
      })));
    return rounds.flat();
  }

  /** After a retriable error: waits retryBackoffMs, then looks the leaders up again. */
  async #refreshMetadata(): Promise<void> {
    await sleep(this.#opts.retryBackoffMs);
    try {
      const topic = (await this.#client.metadata([this.#topic.name])).topics.find((t) => t.name === this.#topic.name);
      if (topic === undefined || topic.errorCode !== ErrorCode.NONE) return;
      this.#topic = topic;
      this.#metadataStale = false;
    } catch (err) {
      if (!isRetriableFailure(err)) throw err;
    }
  }

  async #fetch(leader: number, partitions: number[]): Promise<FetchedBatch[]> {
    const res = await this.#client.send(FetchCall, () => ({
      replicaId: -1,
      maxWaitMs: this.#opts.maxWaitMs,
      minBytes: 1,
      maxBytes: this.#opts.maxBytes,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [{
        topic: this.#topic.name,
        topicId: this.#topic.topicId,
        partitions: partitions.map((partition) => ({
          partition,
          fetchOffset: this.#positions.get(partition),
          partitionMaxBytes: this.#opts.partitionMaxBytes,
        })),
      }],
      forgottenTopicsData: [],
      rackId: '',
    }), { nodeId: leader, timeoutMs: this.#opts.maxWaitMs + this.#opts.requestTimeoutMs });
    throwIfError(res.errorCode, `fetch from broker ${leader}`);
    const batches: FetchedBatch[] = [];
    for (const p of this.#partitionsOf(res)) {
      if (isRetriable(p.errorCode)) {
        this.#metadataStale = true; // e.g. NOT_LEADER_OR_FOLLOWER: the leader moved
        continue;
      }
      throwIfError(p.errorCode, `fetch ${this.#topic.name}-${p.partitionIndex} at offset ${this.#positions.get(p.partitionIndex)}`);
      batches.push(...this.#take(p.partitionIndex, p.records));
    }
    return batches;
  }

  /** Fetch v13+ names topics by id only. */
  #partitionsOf(res: FetchResponse): FetchResponse['responses'][number]['partitions'] {
    return res.responses
      .filter((t) => t.topic === this.#topic.name || t.topicId === this.#topic.topicId)
      .flatMap((t) => t.partitions)
      .filter((p) => this.#positions.has(p.partitionIndex));
  }

  /** Data batches of `partition` that end at or after its position; advances the position past each. */
  #take(partition: number, buf: Buffer | null): FetchedBatch[] {
    const out: FetchedBatch[] = [];
    if (buf === null) return out;
    let frame = frameAt(buf, 0);
    for (; frame.kind === 'entry'; frame = frameAt(buf, frame.end)) {
      if (frame.magic !== CURRENT_MAGIC) throw new Error(`fetched a magic ${frame.magic} message set; only v2 batches are supported`);
      const view = new RecordBatchView(buf.subarray(frame.start, frame.end));
      const fromOffset = this.#positions.get(partition) ?? 0;
      if (view.lastOffset < fromOffset) continue;
      if (!view.isControl) out.push({ partition, view, fromOffset });
      this.#positions.set(partition, view.lastOffset + 1);
    }
    // A truncated last batch is normal (the response was cut at maxBytes); corruption is not.
    if (frame.kind === 'corrupt') throw new Error(`fetched corrupt records from ${this.#topic.name}-${partition}: ${frame.message}`);
    return out;
  }
}
