/**
 * Per-topic traffic counters of one broker (Kafka's BrokerTopicMetrics): bumped once per
 * appended batch or fetched partition read, never per record, and read by the metrics
 * exporter (src/metrics) at scrape time. `total` is the all-topics series Kafka also
 * keeps; a deleted topic's counters are dropped (as Kafka removes its topic metrics).
 */
export interface TopicCounters {
  /** Bytes of record batches appended as leader from produce requests. */
  bytesIn: number;
  /** Records appended as leader (from each batch's record count). */
  messagesIn: number;
  /** Record bytes returned to consumers by fetch. */
  bytesOut: number;
  /** Record bytes returned to follower replicas by fetch. */
  replicationBytesOut: number;
  /** Produce appends that failed (validation, not leader, storage). */
  failedProduceRequests: number;
}

export function emptyCounters(): TopicCounters {
  return { bytesIn: 0, messagesIn: 0, bytesOut: 0, replicationBytesOut: 0, failedProduceRequests: 0 };
}

export class TopicStats {
  readonly total: TopicCounters = emptyCounters();
  readonly #byTopic = new Map<string, TopicCounters>();
  /** metrics.enabled=false: the record* methods do nothing and every counter stays 0. */
  #muted = false;

  mute(): void {
    this.#muted = true;
  }

  /** The counters of `topic`, created on first use. */
  of(topic: string): TopicCounters {
    let counters = this.#byTopic.get(topic);
    if (counters === undefined) {
      counters = emptyCounters();
      this.#byTopic.set(topic, counters);
    }
    return counters;
  }

  remove(topic: string): void {
    this.#byTopic.delete(topic);
  }

  entries(): IterableIterator<[string, TopicCounters]> {
    return this.#byTopic.entries();
  }

  recordAppend(counters: TopicCounters, bytes: number, records: number): void {
    if (this.#muted) return;
    counters.bytesIn += bytes;
    counters.messagesIn += records;
    this.total.bytesIn += bytes;
    this.total.messagesIn += records;
  }

  recordFailedAppend(counters: TopicCounters): void {
    if (this.#muted) return;
    counters.failedProduceRequests += 1;
    this.total.failedProduceRequests += 1;
  }

  recordFetch(topic: string, bytes: number, replica: boolean): void {
    if (bytes === 0 || this.#muted) return;
    const counters = this.of(topic);
    if (replica) {
      counters.replicationBytesOut += bytes;
      this.total.replicationBytesOut += bytes;
    } else {
      counters.bytesOut += bytes;
      this.total.bytesOut += bytes;
    }
  }
}
