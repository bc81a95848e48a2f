/**
 * LogCleaner: schedules compaction of the logs whose cleanup.policy includes `compact`
 * (Kafka's LogCleaner thread + LogCleanerManager state, with log.cleaner.threads = 1).
 *
 * State it owns: per log dir, `cleaner-offset-checkpoint` (offset-checkpoints.ts format:
 * "<topic> <partition> <first dirty offset>"; atomic rewrite after every cleaned log; a
 * missing or stale entry only means more to clean), and per log the earliest delete horizon
 * of the tombstones it kept (memory only: after a restart they go at the next pass).
 *
 * Scheduling: `maybeRun(now)` (from LogManager.tick) starts a background pass when none runs
 * and log.cleaner.backoff.ms has passed since the last one; a pass cleans, one log at a time,
 * the filthiest cleanable log (isCleanable), else a log whose kept tombstones' horizon has
 * passed (KIP-534), until none is left. `cleanNow()` runs a pass and waits for it (tests,
 * tools). `close()` aborts the running pass at its next batch and waits for it.
 */
import type { Clock } from '../../clock.ts';
import { isNotFound } from '../file-io.ts';
import type { StorageLogger } from '../logger.ts';
import { partitionKey, readOffsetCheckpoint, writeOffsetCheckpoint, type OffsetsByPartition } from '../offset-checkpoints.ts';
import type { PartitionLog } from '../partition-log.ts';
import { Cleaner, CleaningAbortedError, type CleanerStats } from './cleaner.ts';
import type { CleanerConfig } from './cleaner-config.ts';
import { isCleanable, logToClean, type LogToClean } from './log-to-clean.ts';
import { OffsetMap } from './offset-map.ts';

export const CLEANER_CHECKPOINT_FILE = 'cleaner-offset-checkpoint';

export interface HostedLogRef {
  readonly log: PartitionLog;
  readonly logDir: string;
}

export interface LogCleanerOptions {
  readonly config: CleanerConfig;
  readonly clock: Clock;
  readonly logger: StorageLogger;
  /** The logs hosted right now. */
  readonly logs: () => Iterable<HostedLogRef>;
}

export interface CleanedLog {
  readonly topic: string;
  readonly partition: number;
  readonly endOffset: number;
  readonly stats: CleanerStats;
}

/** Figures for monitoring, after Kafka's LogCleaner / LogCleanerManager metrics. */
export interface CleanerMetrics {
  /** Logs cleaned since start. */
  readonly logsCleaned: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Kafka's max-clean-time-secs, in ms: the longest single-log clean of the last pass. */
  readonly lastPassMaxCleanMs: number;
  /** Kafka's cleaner-recopy-percent of the last pass: bytes written / bytes read. */
  readonly lastPassRecopyRatio: number;
  /** Kafka's uncleanable-partitions-count: logs whose cleaning failed, skipped until restart. */
  readonly uncleanableLogs: number;
}

export class LogCleaner {
  #opts: LogCleanerOptions;
  /** Logs whose cleaning failed (corrupt data, I/O errors): not retried until restart, as Kafka. */
  #uncleanable = new WeakSet<PartitionLog>();
  #uncleanableCount = 0;
  #totals = { logsCleaned: 0, bytesRead: 0, bytesWritten: 0 };
  #lastPass = { maxCleanMs: 0, recopyRatio: 0 };
  #cleaner: Cleaner | null = null;
  #checkpoints = new Map<string, OffsetsByPartition>();
  #pendingHorizons = new Map<string, number>();
  #running: Promise<CleanedLog[]> | null = null;
  #lastRunMs = -Infinity;
  #closed = false;

  constructor(opts: LogCleanerOptions) {
    this.#opts = opts;
  }

  /** Starts a background pass when due (never throws; failures are logged). */
  maybeRun(now: number): void {
    if (!this.#opts.config.enabled || this.#closed || this.#running !== null) return;
    if (now - this.#lastRunMs < this.#opts.config.backoffMs) return;
    void this.cleanNow().catch((err: unknown) => this.#opts.logger.error({ err }, 'log cleaner pass failed'));
  }

  /** Runs one pass (or joins the running one) and returns what it cleaned. */
  cleanNow(): Promise<CleanedLog[]> {
    if (this.#running !== null) return this.#running;
    const pass = this.#pass().finally(() => {
      this.#running = null;
      this.#lastRunMs = this.#opts.clock.now();
    });
    this.#running = pass;
    return pass;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#cleaner?.abort();
    await this.#running?.catch(() => {});
  }

  metrics(): CleanerMetrics {
    return { ...this.#totals, lastPassMaxCleanMs: this.#lastPass.maxCleanMs, lastPassRecopyRatio: this.#lastPass.recopyRatio, uncleanableLogs: this.#uncleanableCount };
  }

  async #pass(): Promise<CleanedLog[]> {
    const cleaned = await this.#cleanAll();
    const read = cleaned.reduce((n, c) => n + c.stats.bytesRead, 0);
    const written = cleaned.reduce((n, c) => n + c.stats.bytesWritten, 0);
    this.#totals = { logsCleaned: this.#totals.logsCleaned + cleaned.length, bytesRead: this.#totals.bytesRead + read, bytesWritten: this.#totals.bytesWritten + written };
    this.#lastPass = { maxCleanMs: Math.max(0, ...cleaned.map((c) => c.stats.elapsedMs)), recopyRatio: read === 0 ? 0 : written / read };
    return cleaned;
  }

  async #cleanAll(): Promise<CleanedLog[]> {
    const cleaned: CleanedLog[] = [];
    const skip = new Set<PartitionLog>();
    for (;;) {
      if (this.#closed) return cleaned;
      const now = this.#opts.clock.now();
      const next = await this.#filthiest(now, skip);
      if (next === null) return cleaned;
      skip.add(next.ltc.log);
      const result = await this.#cleanLog(next.ltc, next.logDir, now);
      if (result !== null) cleaned.push(result);
    }
  }

  async #cleanLog(ltc: LogToClean, logDir: string, now: number): Promise<CleanedLog | null> {
    const { log } = ltc;
    const key = partitionKey(log.topic, log.partition);
    try {
      const result = await this.#cleanerInstance().clean(log, ltc, now);
      if (result.pendingHorizonMs === null) this.#pendingHorizons.delete(key);
      else this.#pendingHorizons.set(key, result.pendingHorizonMs);
      if (!result.completed) return null;
      (await this.#checkpointOf(logDir)).set(key, result.endOffset);
      await this.#writeCheckpoint(logDir);
      this.#opts.logger.info({ topic: log.topic, partition: log.partition, endOffset: result.endOffset, ...result.stats }, 'cleaned log');
      return { topic: log.topic, partition: log.partition, endOffset: result.endOffset, stats: result.stats };
    } catch (err) {
      if (err instanceof CleaningAbortedError) return null;
      if (isNotFound(err)) {
        // A segment went away under the pass (retention, DeleteRecords, truncation): next pass.
        this.#opts.logger.info({ topic: log.topic, partition: log.partition }, 'log changed during cleaning');
        return null;
      }
      this.#opts.logger.error({ err, topic: log.topic, partition: log.partition }, 'cleaning failed; the log stays as it was and is not cleaned again until restart');
      this.#uncleanable.add(log);
      this.#uncleanableCount++;
      return null;
    }
  }

  /** The cleanable log with the highest dirty ratio, else one with tombstones past their horizon. */
  async #filthiest(now: number, skip: ReadonlySet<PartitionLog>): Promise<{ ltc: LogToClean; logDir: string } | null> {
    let best: { ltc: LogToClean; logDir: string } | null = null;
    let expired: { ltc: LogToClean; logDir: string } | null = null;
    for (const { log, logDir } of this.#opts.logs()) {
      if (skip.has(log) || this.#uncleanable.has(log) || !log.config.cleanupPolicy.includes('compact')) continue;
      const key = partitionKey(log.topic, log.partition);
      let ltc: LogToClean;
      try {
        ltc = await logToClean(log, (await this.#checkpointOf(logDir)).get(key), now);
      } catch (err) {
        this.#opts.logger.warn({ err, topic: log.topic, partition: log.partition }, 'cannot size log for cleaning');
        continue;
      }
      if (isCleanable(ltc)) {
        if (best === null || ltc.cleanableRatio > best.ltc.cleanableRatio) best = { ltc, logDir };
      } else if ((this.#pendingHorizons.get(key) ?? Infinity) <= now) {
        expired ??= { ltc, logDir };
      }
    }
    return best ?? expired;
  }

  #cleanerInstance(): Cleaner {
    // The dedupe buffer is allocated on first use: brokers without compacted logs never pay for it.
    const { config, logger } = this.#opts;
    this.#cleaner ??= new Cleaner(config, new OffsetMap(config.dedupeBufferBytes, config.dedupeLoadFactor), logger);
    return this.#cleaner;
  }

  async #checkpointOf(logDir: string): Promise<OffsetsByPartition> {
    let offsets = this.#checkpoints.get(logDir);
    if (offsets === undefined) {
      offsets = await readOffsetCheckpoint(logDir, CLEANER_CHECKPOINT_FILE).catch((err: unknown) => {
        this.#opts.logger.warn({ err, logDir }, 'unreadable cleaner checkpoint; cleaning from the log start');
        return new Map<string, number>();
      });
      this.#checkpoints.set(logDir, offsets);
    }
    return offsets;
  }

  /** Rewrites the dir's checkpoint with the entries of the logs it still hosts. */
  async #writeCheckpoint(logDir: string): Promise<void> {
    const offsets = await this.#checkpointOf(logDir);
    const entries = [];
    for (const { log, logDir: dir } of this.#opts.logs()) {
      const offset = offsets.get(partitionKey(log.topic, log.partition));
      if (dir === logDir && offset !== undefined) entries.push({ topic: log.topic, partition: log.partition, offset });
    }
    await writeOffsetCheckpoint(logDir, CLEANER_CHECKPOINT_FILE, entries);
  }
}
