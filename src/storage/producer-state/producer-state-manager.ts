/**
 * ProducerStateManager: the producer state of one partition (Kafka's
 * ProducerStateManager): an entry per producer id that wrote here, the transactions open
 * on this partition, how far into the log the state reflects (mapEndOffset), and the
 * snapshot files (producer-snapshot-file.ts) that let a restart skip most of the replay.
 *
 * Ownership: the PartitionLog owns one and calls it only under its append lock, so
 * nothing here needs its own locking. Appends go prepareUpdate -> (checks) -> update;
 * markers end transactions with completeTxn.
 *
 * Expiry: a producer with no open transaction whose last batch timestamp is at least
 * producer.id.expiration.ms old is forgotten (removeExpiredProducers, called on a timer);
 * its next batch is then accepted as from an unknown producer.
 */
import fs from 'node:fs/promises';
import { silentLogger, type StorageLogger } from '../logger.ts';
import { ProducerAppendInfo, type AppendOrigin, type CompletedTxn } from './producer-append-info.ts';
import { NO_OFFSET, ProducerStateEntry } from './producer-state-entry.ts';
import { CorruptSnapshotError, listSnapshotOffsets, readSnapshot, snapshotPath, writeSnapshot } from './producer-snapshot-file.ts';
import { isNotFound } from '../file-io.ts';

/** Kafka's producer.id.expiration.ms default (1 day). */
export const PRODUCER_ID_EXPIRATION_MS_DEFAULT = 86_400_000;

export interface ProducerStateManagerOptions {
  /** The partition dir (snapshot files live there). */
  readonly dir: string;
  readonly producerIdExpirationMs?: number;
  readonly logger?: StorageLogger;
}

export class ProducerStateManager {
  readonly dir: string;
  readonly #logger: StorageLogger;
  readonly #expirationMs: number;
  #producers = new Map<number, ProducerStateEntry>();
  /** Open transactions on this partition: producer id -> first offset. */
  #ongoingTxns = new Map<number, number>();
  /** Snapshot files present, ascending. */
  #snapshots: number[] = [];
  /** The state reflects the log up to here (exclusive). */
  #mapEndOffset = 0;
  #lastSnapOffset = 0;

  private constructor(opts: ProducerStateManagerOptions) {
    this.dir = opts.dir;
    this.#logger = opts.logger ?? silentLogger;
    this.#expirationMs = opts.producerIdExpirationMs ?? PRODUCER_ID_EXPIRATION_MS_DEFAULT;
  }

  /** A manager knowing the snapshot files of `dir`; its state is empty until truncateAndReload. */
  static async open(opts: ProducerStateManagerOptions): Promise<ProducerStateManager> {
    const manager = new ProducerStateManager(opts);
    manager.#snapshots = await listSnapshotOffsets(opts.dir);
    return manager;
  }

  get mapEndOffset(): number {
    return this.#mapEndOffset;
  }
  /** Offsets of the snapshot files, ascending. */
  get snapshotOffsets(): readonly number[] {
    return this.#snapshots;
  }
  /** Every producer with state here (read-only views; DescribeProducers reads these). */
  activeProducers(): ReadonlyMap<number, Readonly<ProducerStateEntry>> {
    return this.#producers;
  }

  lastEntry(producerId: number): Readonly<ProducerStateEntry> | undefined {
    return this.#producers.get(producerId);
  }

  /** First offset of the oldest open transaction, or null (the LSO's bound). */
  firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const offset of this.#ongoingTxns.values()) if (first === null || offset < first) first = offset;
    return first;
  }

  /** Open transactions: producer id -> first offset on this partition. */
  ongoingTxns(): ReadonlyMap<number, number> {
    return this.#ongoingTxns;
  }

  // ---- updates (under the log's append lock) -----------------------------------------

  prepareUpdate(producerId: number, origin: AppendOrigin): ProducerAppendInfo {
    return new ProducerAppendInfo(producerId, this.#producers.get(producerId), origin);
  }

  /** Installs what an append (that succeeded) did to one producer. */
  update(info: ProducerAppendInfo): void {
    const entry = info.updatedEntry;
    this.#producers.set(info.producerId, entry);
    if (entry.currentTxnFirstOffset !== NO_OFFSET) this.#ongoingTxns.set(info.producerId, entry.currentTxnFirstOffset);
  }

  /** A marker ended `txn`: it no longer holds back the LSO. */
  completeTxn(txn: CompletedTxn): void {
    if (this.#ongoingTxns.get(txn.producerId) === txn.firstOffset) this.#ongoingTxns.delete(txn.producerId);
  }

  updateMapEndOffset(offset: number): void {
    this.#mapEndOffset = offset;
  }

  /** Forgets producers idle for producer.id.expiration.ms (never one with an open transaction). */
  removeExpiredProducers(nowMs: number): number {
    let removed = 0;
    for (const [id, entry] of this.#producers) {
      if (entry.currentTxnFirstOffset === NO_OFFSET && nowMs - entry.lastTimestamp >= this.#expirationMs) {
        this.#producers.delete(id);
        removed++;
      }
    }
    return removed;
  }

  // ---- snapshots -----------------------------------------------------------------------

  /** Writes `<mapEndOffset>.snapshot` unless one exists at that offset already. */
  async takeSnapshot(): Promise<void> {
    const offset = this.#mapEndOffset;
    if (offset === this.#lastSnapOffset && this.#snapshots.includes(offset)) return;
    await writeSnapshot(this.dir, offset, this.#producers.values());
    if (!this.#snapshots.includes(offset)) this.#snapshots = [...this.#snapshots, offset].sort((a, b) => a - b);
    this.#lastSnapOffset = offset;
  }

  /** Deletes snapshot files below `offset` (the log start moved past them). */
  async deleteSnapshotsBefore(offset: number): Promise<void> {
    for (const s of this.#snapshots.filter((s) => s < offset)) await this.#deleteSnapshot(s);
  }

  /**
   * Loads the state for a log spanning [logStartOffset, logEndOffset): snapshots outside
   * (logStartOffset, logEndOffset] are deleted; when the state is not already at
   * logEndOffset it is replaced by the latest readable snapshot (or emptied, starting at
   * logStartOffset). The caller then replays batches from mapEndOffset to the log end.
   */
  async truncateAndReload(logStartOffset: number, logEndOffset: number, nowMs: number): Promise<void> {
    for (const s of this.#snapshots) if (s > logEndOffset || s <= logStartOffset) await this.#deleteSnapshot(s);
    if (logEndOffset === this.#mapEndOffset) return;
    this.#clear();
    this.#mapEndOffset = logStartOffset;
    for (const offset of [...this.#snapshots].reverse()) {
      const entries = await this.#readSnapshotOrDelete(offset);
      if (entries === null) continue;
      for (const entry of entries) if (!this.#isExpired(entry, nowMs)) this.#load(entry);
      this.#mapEndOffset = offset;
      this.#lastSnapOffset = offset;
      return;
    }
  }

  /** The log was emptied and restarts at `offset`: no state, no snapshots. */
  async truncateFullyAndStartAt(offset: number): Promise<void> {
    for (const s of this.#snapshots) await this.#deleteSnapshot(s);
    this.#clear();
    this.#mapEndOffset = offset;
    this.#lastSnapOffset = 0;
  }

  async #readSnapshotOrDelete(offset: number): Promise<ProducerStateEntry[] | null> {
    try {
      return await readSnapshot(this.dir, offset);
    } catch (err) {
      if (!(err instanceof CorruptSnapshotError) && !isNotFound(err)) throw err;
      this.#logger.warn({ dir: this.dir, offset, err }, 'deleting unreadable producer state snapshot');
      await this.#deleteSnapshot(offset);
      return null;
    }
  }

  async #deleteSnapshot(offset: number): Promise<void> {
    this.#snapshots = this.#snapshots.filter((s) => s !== offset);
    await fs.rm(snapshotPath(this.dir, offset), { force: true });
  }

  #load(entry: ProducerStateEntry): void {
    this.#producers.set(entry.producerId, entry);
    if (entry.currentTxnFirstOffset !== NO_OFFSET) this.#ongoingTxns.set(entry.producerId, entry.currentTxnFirstOffset);
  }

  #isExpired(entry: ProducerStateEntry, nowMs: number): boolean {
    return entry.currentTxnFirstOffset === NO_OFFSET && nowMs - entry.lastTimestamp >= this.#expirationMs;
  }

  #clear(): void {
    this.#producers.clear();
    this.#ongoingTxns.clear();
  }
}
