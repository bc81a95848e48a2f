/**
 * Leader-epoch cache of one partition (Kafka's LeaderEpochFileCache): for every leader
 * epoch, the first offset written in it. Answers OffsetForLeaderEpoch (`endOffsetFor`) and
 * the epoch of an offset.
 *
 * File `leader-epoch-checkpoint` in the partition directory, Kafka's checkpoint format
 * (checkpoint-file.ts), version 0, lines "<epoch> <startOffset>", ascending.
 * Crash policy: rewritten atomically on every change; after an unclean shutdown recovery
 * re-assigns epochs from the recovered batches and truncates entries past the log end.
 */
import path from 'node:path';
import { parseCheckpointNumber, readCheckpoint, writeCheckpoint } from './checkpoint-file.ts';
import { LEADER_EPOCH_CHECKPOINT_FILE } from './file-names.ts';

const CHECKPOINT_VERSION = 0;

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export interface EpochEndOffset {
  readonly epoch: number;
  readonly endOffset: number;
}

export class LeaderEpochCache {
  readonly file: string;
  #entries: EpochEntry[];
  /** The checkpoint write in progress (see flush). */
  #writing: Promise<void> = Promise.resolve();

  private constructor(file: string, entries: EpochEntry[]) {
    this.file = file;
    this.#entries = entries;
  }

  static async load(dir: string): Promise<LeaderEpochCache> {
    const file = path.join(dir, LEADER_EPOCH_CHECKPOINT_FILE);
    const rows = (await readCheckpoint(file, CHECKPOINT_VERSION, 2)) ?? [];
    const entries = rows.map(([epoch, offset]) => ({ epoch: parseCheckpointNumber(epoch, file), startOffset: parseCheckpointNumber(offset, file) }));
    return new LeaderEpochCache(file, entries);
  }

  entries(): readonly EpochEntry[] {
    return this.#entries;
  }

  latestEpoch(): number {
    return this.#entries.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  /**
   * Records that `epoch` starts at `startOffset` when that is news (a new epoch, or an
   * earlier start for the latest one), dropping entries it conflicts with. True if changed.
   */
  assign(epoch: number, startOffset: number): boolean {
    if (epoch < 0) return false;
    const latest = this.#entries.at(-1);
    if (latest !== undefined && latest.epoch === epoch && startOffset >= latest.startOffset) return false;
    this.#entries = this.#entries.filter((e) => e.epoch < epoch && e.startOffset < startOffset);
    this.#entries.push({ epoch, startOffset });
    return true;
  }

  /** Drops entries starting at or after `endOffset` (log truncated there). True if changed. */
  truncateFromEnd(endOffset: number): boolean {
    const kept = this.#entries.filter((e) => e.startOffset < endOffset);
    const changed = kept.length !== this.#entries.length;
    this.#entries = kept;
    return changed;
  }

  /** Log start moved to `startOffset`: the epoch in force there now starts there. */
  truncateFromStart(startOffset: number): boolean {
    const before = this.#entries.filter((e) => e.startOffset <= startOffset);
    const last = before.at(-1);
    if (last === undefined || (before.length === 1 && last.startOffset === startOffset)) return false;
    this.#entries = [{ epoch: last.epoch, startOffset }, ...this.#entries.filter((e) => e.startOffset > startOffset)];
    return true;
  }

  /** Epoch in force at `offset`, or UNDEFINED_EPOCH. */
  epochForOffset(offset: number): number {
    let epoch = UNDEFINED_EPOCH;
    for (const e of this.#entries) {
      if (e.startOffset > offset) break;
      epoch = e.epoch;
    }
    return epoch;
  }

  /** Kafka's endOffsetFor: where `requestedEpoch` ends, for OffsetForLeaderEpoch. */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const undefinedResult = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return undefinedResult;
    if (requestedEpoch === this.latestEpoch()) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higher = this.#entries.find((e) => e.epoch > requestedEpoch);
    if (higher === undefined) return undefinedResult;
    const floor = this.#entries.findLast((e) => e.epoch <= requestedEpoch);
    return { epoch: floor?.epoch ?? requestedEpoch, endOffset: higher.startOffset };
  }

  /** Writes the checkpoint; writes run one at a time (one .tmp file), each with the entries of when it starts. */
  flush(): Promise<void> {
    const write = this.#writing.catch(() => {}).then(() => writeCheckpoint(this.file, CHECKPOINT_VERSION, this.#entries.map((e) => `${e.epoch} ${e.startOffset}`)));
    this.#writing = write;
    return write;
  }
}
