/**
 * LogManager: every partition log of this broker's log dirs (Kafka's LogManager).
 *
 * Per log dir it owns:
 *   .kafka_cleanshutdown               JSON {"version":0,"brokerEpoch":-1} as Kafka 4 writes it,
 *                                      written by close() after every log is flushed and
 *                                      closed; removed once the logs are loaded at start.
 *                                      Absent at start = unclean shutdown = recover each log
 *                                      from its recovery point.
 *   recovery-point-offset-checkpoint   offset-checkpoints.ts, written periodically and on close
 *   log-start-offset-checkpoint        idem
 *   <topic>-<partition>/               one PartitionLog each
 *   cleaner-offset-checkpoint          cleaner/log-cleaner.ts
 * Scheduling: `tick()` (called by a timer, or by tests with a manual clock) flushes logs
 * whose unflushed data is older than flush.ms, applies retention, writes the checkpoints
 * and forgets idle producers (producer.id.expiration.ms), each at its own interval; on
 * every tick it unlinks the `.deleted` segment files whose file.delete.delay.ms has passed.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../clock.ts';
import type { LogConfig } from '../config/log-config.ts';
import { forEachBounded } from './bounded-parallel.ts';
import { CheckpointError } from './checkpoint-file.ts';
import { defaultCleanerConfig, type CleanerConfig } from './cleaner/cleaner-config.ts';
import { LogCleaner } from './cleaner/log-cleaner.ts';
import { syncDir, unlinkIfExists, writeFileAtomic } from './file-io.ts';
import { silentLogger, type StorageLogger } from './logger.ts';
import {
  LOG_START_OFFSET_CHECKPOINT_FILE,
  RECOVERY_POINT_CHECKPOINT_FILE,
  partitionKey,
  readOffsetCheckpoint,
  writeOffsetCheckpoint,
  type OffsetsByPartition,
} from './offset-checkpoints.ts';
import { classifyLogDirEntry, deletedDirName, partitionDir } from './partition-dir-name.ts';
import { PartitionLog, type PartitionLogOptions } from './partition-log.ts';
import { readPartitionMetadata, writePartitionMetadata } from './partition-metadata.ts';

export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

/** Kafka's num.recovery.threads.per.data.dir default (4.0). */
const DEFAULT_RECOVERY_THREADS = 2;
/** While a log dir loads, "x of y partitions loaded" at most this often (Kafka logs every log loaded). */
const LOAD_PROGRESS_INTERVAL_MS = 5_000;
/** Kafka's log.flush.offset.checkpoint.interval.ms / log.flush.start.offset.checkpoint.interval.ms. */
const DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;
const DEFAULT_TICK_INTERVAL_MS = 1_000;
/** Kafka's log.retention.check.interval.ms default. */
const DEFAULT_RETENTION_CHECK_INTERVAL_MS = 300_000;
/** Kafka's producer.id.expiration.check.interval.ms default. */
const DEFAULT_PRODUCER_EXPIRATION_CHECK_INTERVAL_MS = 600_000;

export interface LogManagerOptions {
  readonly logDirs: readonly string[];
  readonly clock: Clock;
  readonly logger?: StorageLogger;
  readonly configFor: (topic: string) => LogConfig;
  /** num.recovery.threads.per.data.dir. */
  readonly recoveryThreadsPerDataDir?: number;
  /** log.flush.scheduler.interval.ms: how often flush.ms is checked (Infinity = never, Kafka's default). */
  readonly flushCheckIntervalMs?: number;
  /** log.flush.offset.checkpoint.interval.ms (also used for the log-start checkpoint). */
  readonly checkpointIntervalMs?: number;
  /** log.retention.check.interval.ms. */
  readonly retentionCheckIntervalMs?: number;
  /** producer.id.expiration.ms for every log (Kafka's default when absent). */
  readonly producerIdExpirationMs?: number;
  /** producer.id.expiration.check.interval.ms. */
  readonly producerIdExpirationCheckIntervalMs?: number;
  /** Period of the timer calling tick(); 0 = no timer (tests call tick() themselves). */
  readonly tickIntervalMs?: number;
  /** log.cleaner.* settings (Kafka's defaults for what is absent). */
  readonly cleaner?: Partial<CleanerConfig>;
}

interface HostedLog {
  readonly log: PartitionLog;
  readonly logDir: string;
  topicId: string | null;
}

interface DirCheckpoints {
  readonly recoveryPoints: OffsetsByPartition;
  readonly logStartOffsets: OffsetsByPartition;
  /** Checkpoints were unreadable: recover every log of the dir from scratch. */
  readonly forceRecovery: boolean;
}

export class LogManager {
  readonly logDirs: readonly string[];
  /** Compaction of the logs with cleanup.policy compact; started by tick() every log.cleaner.backoff.ms. */
  readonly cleaner: LogCleaner;
  #opts: LogManagerOptions;
  #logger: StorageLogger;
  #logs = new Map<string, HostedLog>();
  #creating = new Map<string, Promise<PartitionLog>>();
  #pendingDeletes = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | null = null;
  #ticking = false;
  #lastFlushCheckMs: number;
  #lastCheckpointMs: number;
  #lastRetentionCheckMs: number;
  #lastProducerExpirationCheckMs: number;
  #closed = false;

  private constructor(opts: LogManagerOptions) {
    this.logDirs = opts.logDirs;
    this.#opts = opts;
    this.#logger = opts.logger ?? silentLogger;
    this.cleaner = new LogCleaner({
      config: { ...defaultCleanerConfig, ...opts.cleaner },
      clock: opts.clock,
      logger: this.#logger,
      logs: () => this.#logs.values(),
    });
    this.#lastFlushCheckMs = opts.clock.now();
    this.#lastCheckpointMs = opts.clock.now();
    this.#lastRetentionCheckMs = opts.clock.now();
    this.#lastProducerExpirationCheckMs = opts.clock.now();
  }

  static async open(opts: LogManagerOptions): Promise<LogManager> {
    const manager = new LogManager(opts);
    await Promise.all(opts.logDirs.map((dir) => manager.#loadLogDir(dir)));
    await manager.writeCheckpoints();
    const tickMs = opts.tickIntervalMs ?? DEFAULT_TICK_INTERVAL_MS;
    if (tickMs > 0) {
      manager.#timer = setInterval(() => void manager.tick(), tickMs);
      manager.#timer.unref();
    }
    return manager;
  }

  // ---- loading -------------------------------------------------------------------------

  async #loadLogDir(logDir: string): Promise<void> {
    await fs.mkdir(logDir, { recursive: true });
    const marker = path.join(logDir, CLEAN_SHUTDOWN_FILE);
    const cleanShutdown = await fs.access(marker).then(() => true, () => false);
    const checkpoints = await this.#readCheckpoints(logDir);
    const partitions: { topic: string; partition: number }[] = [];
    for (const entry of await fs.readdir(logDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const kind = classifyLogDirEntry(entry.name);
      if (kind.kind === 'partition') partitions.push(kind);
      else if (kind.kind === 'deleted') this.#removeInBackground(path.join(logDir, entry.name));
    }
    const needsRecovery = !cleanShutdown || checkpoints.forceRecovery;
    this.#logger.info({ logDir, partitions: partitions.length, cleanShutdown }, 'loading logs');
    const threads = this.#opts.recoveryThreadsPerDataDir ?? DEFAULT_RECOVERY_THREADS;
    const progress = loadProgress(this.#logger, this.#opts.clock, logDir, partitions.length);
    await forEachBounded(partitions, threads, async ({ topic, partition }) => {
      await this.#loadLog(logDir, topic, partition, checkpoints, needsRecovery);
      progress.loaded();
    });
    progress.done();
    // Only now may the marker go: a crash during loading must recover again next time.
    await unlinkIfExists(marker);
    await syncDir(logDir);
  }

  async #readCheckpoints(logDir: string): Promise<DirCheckpoints> {
    try {
      return {
        recoveryPoints: await readOffsetCheckpoint(logDir, RECOVERY_POINT_CHECKPOINT_FILE),
        logStartOffsets: await readOffsetCheckpoint(logDir, LOG_START_OFFSET_CHECKPOINT_FILE),
        forceRecovery: false,
      };
    } catch (err) {
      if (!(err instanceof CheckpointError)) throw err;
      this.#logger.warn({ logDir, err }, 'unreadable offset checkpoint; recovering every log of this dir');
      return { recoveryPoints: new Map(), logStartOffsets: new Map(), forceRecovery: true };
    }
  }

  async #loadLog(logDir: string, topic: string, partition: number, checkpoints: DirCheckpoints, needsRecovery: boolean): Promise<void> {
    const key = partitionKey(topic, partition);
    if (this.#logs.has(key)) throw new Error(`partition ${key} found in two log dirs (${this.#logs.get(key)!.logDir}, ${logDir})`);
    const dir = partitionDir(logDir, topic, partition);
    const log = await this.#openLog(dir, topic, partition, {
      recoveryPoint: checkpoints.recoveryPoints.get(key) ?? 0,
      logStartOffset: checkpoints.logStartOffsets.get(key) ?? 0,
      needsRecovery,
    });
    this.#logs.set(key, { log, logDir, topicId: await readPartitionMetadata(dir) });
  }

  /** Opens one partition log with this manager's clock, logger and the topic's config. */
  #openLog(
    dir: string, topic: string, partition: number,
    start: Pick<PartitionLogOptions, 'recoveryPoint' | 'logStartOffset' | 'needsRecovery'>,
  ): Promise<PartitionLog> {
    return PartitionLog.open({
      dir,
      topic,
      partition,
      config: this.#opts.configFor(topic),
      clock: this.#opts.clock,
      logger: this.#logger,
      producerIdExpirationMs: this.#opts.producerIdExpirationMs,
      ...start,
    });
  }

  // ---- lookup / create / delete --------------------------------------------------------

  getLog(topic: string, partition: number): PartitionLog | undefined {
    return this.#logs.get(partitionKey(topic, partition))?.log;
  }

  /** The topic id recorded for a hosted log (partition.metadata), or null. */
  topicIdOf(topic: string, partition: number): string | null {
    return this.#logs.get(partitionKey(topic, partition))?.topicId ?? null;
  }

  /** The log dir holding a hosted log, or undefined (DescribeLogDirs). */
  logDirOf(topic: string, partition: number): string | undefined {
    return this.#logs.get(partitionKey(topic, partition))?.logDir;
  }

  allLogs(): PartitionLog[] {
    return [...this.#logs.values()].map((h) => h.log);
  }

  /** Re-reads `configFor(topic)` into every hosted log of the topic (topic config change). */
  reconfigure(topic: string): void {
    const config = this.#opts.configFor(topic);
    for (const { log } of this.#logs.values()) if (log.topic === topic) log.setConfig(config);
  }

  /** The log, created empty in the least loaded log dir when absent. */
  async getOrCreateLog(topic: string, partition: number, topicId?: string): Promise<PartitionLog> {
    const key = partitionKey(topic, partition);
    const hosted = this.#logs.get(key);
    if (hosted !== undefined) {
      await this.#checkTopicId(hosted, topicId);
      return hosted.log;
    }
    let creating = this.#creating.get(key);
    if (creating === undefined) {
      creating = this.#createLog(topic, partition, topicId).finally(() => this.#creating.delete(key));
      this.#creating.set(key, creating);
    }
    return creating;
  }

  async #checkTopicId(hosted: HostedLog, topicId: string | undefined): Promise<void> {
    if (topicId === undefined || hosted.topicId === topicId) return;
    if (hosted.topicId !== null) {
      throw new Error(`log ${hosted.log.topic}-${hosted.log.partition} belongs to topic id ${hosted.topicId}, not ${topicId}`);
    }
    await writePartitionMetadata(hosted.log.dir, topicId);
    hosted.topicId = topicId;
  }

  async #createLog(topic: string, partition: number, topicId: string | undefined): Promise<PartitionLog> {
    if (this.#closed) throw new Error('log manager is closed');
    const logDir = this.#leastLoadedLogDir();
    const dir = partitionDir(logDir, topic, partition);
    const log = await this.#openLog(dir, topic, partition, { recoveryPoint: 0, logStartOffset: 0, needsRecovery: false });
    if (topicId !== undefined) await writePartitionMetadata(dir, topicId);
    await syncDir(logDir);
    this.#logs.set(partitionKey(topic, partition), { log, logDir, topicId: topicId ?? null });
    this.#logger.info({ topic, partition, dir }, 'created log');
    return log;
  }

  #leastLoadedLogDir(): string {
    const counts = new Map(this.logDirs.map((d) => [d, 0]));
    for (const hosted of this.#logs.values()) counts.set(hosted.logDir, (counts.get(hosted.logDir) ?? 0) + 1);
    return [...counts.entries()].reduce((best, cur) => (cur[1] < best[1] ? cur : best))[0];
  }

  /**
   * Removes every log of `topic`: closed, its dir renamed to
   * `<topic>-<partition>.<uniqueid>-delete` (durably), then removed in the background (a
   * leftover -delete dir is removed at the next start).
   */
  async deleteLogs(topic: string): Promise<void> {
    const doomed = [...this.#logs.entries()].filter(([, h]) => h.log.topic === topic);
    for (const [key] of doomed) this.#logs.delete(key);
    await Promise.all(
      doomed.map(async ([, { log, logDir }]) => {
        await log.close();
        const renamed = path.join(logDir, deletedDirName(log.topic, log.partition, randomUUID().replaceAll('-', '')));
        await fs.rename(log.dir, renamed);
        await syncDir(logDir);
        this.#removeInBackground(renamed);
      }),
    );
  }

  #removeInBackground(dir: string): void {
    const removal = fs
      .rm(dir, { recursive: true, force: true })
      .catch((err: unknown) => this.#logger.error({ err, dir }, 'failed to remove deleted log dir'))
      .finally(() => this.#pendingDeletes.delete(removal));
    this.#pendingDeletes.add(removal);
  }

  // ---- scheduling ----------------------------------------------------------------------

  /** One scheduler step: flush logs past flush.ms, apply retention, write checkpoints — each when due. */
  async tick(): Promise<void> {
    if (this.#ticking || this.#closed) return;
    this.#ticking = true;
    try {
      const now = this.#opts.clock.now();
      this.cleaner.maybeRun(now);
      if (now - this.#lastFlushCheckMs >= (this.#opts.flushCheckIntervalMs ?? Infinity)) {
        this.#lastFlushCheckMs = now;
        await this.#flushDirtyLogs(now);
      }
      if (now - this.#lastRetentionCheckMs >= (this.#opts.retentionCheckIntervalMs ?? DEFAULT_RETENTION_CHECK_INTERVAL_MS)) {
        this.#lastRetentionCheckMs = now;
        await Promise.all(this.allLogs().map((log) => log.deleteRetentionBreachedSegments()));
      }
      // Cheap when nothing is due: unlinks .deleted segment files past file.delete.delay.ms.
      await Promise.all(this.allLogs().map((log) => log.removeDeletedFiles()));
      if (now - this.#lastCheckpointMs >= (this.#opts.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS)) {
        this.#lastCheckpointMs = now;
        await this.writeCheckpoints();
      }
      if (now - this.#lastProducerExpirationCheckMs >= (this.#opts.producerIdExpirationCheckIntervalMs ?? DEFAULT_PRODUCER_EXPIRATION_CHECK_INTERVAL_MS)) {
        this.#lastProducerExpirationCheckMs = now;
        await Promise.all(this.allLogs().map((log) => log.removeExpiredProducers()));
      }
    } catch (err) {
      this.#logger.error({ err }, 'log manager scheduled task failed');
    } finally {
      this.#ticking = false;
    }
  }

  async #flushDirtyLogs(now: number): Promise<void> {
    const due = this.allLogs().filter((log) => log.recoveryPoint < log.logEndOffset && now - log.lastFlushMs >= log.config.flushMs);
    await Promise.all(due.map((log) => log.flush()));
  }

  /** Writes both offset checkpoints of every log dir. */
  async writeCheckpoints(): Promise<void> {
    await Promise.all(
      this.logDirs.map(async (logDir) => {
        const logs = [...this.#logs.values()].filter((h) => h.logDir === logDir).map((h) => h.log);
        const entries = (offset: (log: PartitionLog) => number) => logs.map((log) => ({ topic: log.topic, partition: log.partition, offset: offset(log) }));
        await writeOffsetCheckpoint(logDir, RECOVERY_POINT_CHECKPOINT_FILE, entries((log) => log.recoveryPoint));
        await writeOffsetCheckpoint(logDir, LOG_START_OFFSET_CHECKPOINT_FILE, entries((log) => log.logStartOffset));
      }),
    );
  }

  /** Flushes and closes every log, writes checkpoints, then the clean-shutdown markers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== null) clearInterval(this.#timer);
    await this.cleaner.close();
    await Promise.all([...this.#creating.values()].map((p) => p.catch(() => {})));
    await Promise.all(this.allLogs().map((log) => log.close()));
    await this.writeCheckpoints();
    await Promise.all(this.logDirs.map((logDir) => writeFileAtomic(path.join(logDir, CLEAN_SHUTDOWN_FILE), '{"version":0,"brokerEpoch":-1}')));
    await Promise.all([...this.#pendingDeletes]);
  }
}

/**
 * Progress of loading one log dir for the start-up log: `loaded()` after each partition
 * logs "x of y partitions loaded" when LOAD_PROGRESS_INTERVAL_MS passed since the last
 * such line (so only a long recovery shows them); `done()` logs the total and the time.
 */
function loadProgress(logger: StorageLogger, clock: Clock, logDir: string, partitions: number): { loaded(): void; done(): void } {
  const startMs = clock.now();
  let lastLineMs = startMs;
  let loaded = 0;
  return {
    loaded() {
      loaded += 1;
      const now = clock.now();
      if (loaded === partitions || now - lastLineMs < LOAD_PROGRESS_INTERVAL_MS) return;
      lastLineMs = now;
      logger.info({ logDir, loaded, partitions, ms: now - startMs }, `loading logs: ${loaded} of ${partitions} partitions loaded`);
    },
    done() {
      const ms = clock.now() - startMs;
      logger.info({ logDir, loaded, partitions, ms }, `loaded ${loaded} of ${partitions} partitions in ${ms} ms`);
    },
  };
}
