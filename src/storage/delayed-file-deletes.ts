/**
 * Files waiting to be unlinked (Kafka's file.delete.delay.ms): segments deleted by
 * retention or DeleteRecords are first renamed to `<name>.deleted` (LogSegment.
 * renameForDeletion) and their files are removed here once the delay has passed, so a
 * reader that opened them just before still finishes and the unlinks happen off the
 * append path. A crash before removal leaves `.deleted` files that the log loader removes
 * at the next start. Owner: one PartitionLog; removal is driven by LogManager.tick().
 */
import { unlinkIfExists } from './file-io.ts';

/** Batches of files kept waiting per log; beyond it the oldest batch is removed at once. */
export const PENDING_DELETE_BATCHES_MAX = 1_000;

interface PendingBatch {
  readonly dueMs: number;
  readonly files: readonly string[];
}

export class DelayedFileDeletes {
  #pending: PendingBatch[] = [];

  get pendingFiles(): number {
    return this.#pending.reduce((n, b) => n + b.files.length, 0);
  }

  /** Schedules `files` for removal at `dueMs` (clock time). */
  async add(files: readonly string[], dueMs: number): Promise<void> {
    if (files.length === 0) return;
    this.#pending.push({ dueMs, files });
    if (this.#pending.length > PENDING_DELETE_BATCHES_MAX) await removeAll(this.#pending.shift()!.files);
  }

  /** Unlinks every batch due at `nowMs`; returns how many files went. */
  async removeDue(nowMs: number): Promise<number> {
    const due = this.#pending.filter((b) => b.dueMs <= nowMs);
    if (due.length === 0) return 0;
    this.#pending = this.#pending.filter((b) => b.dueMs > nowMs);
    const files = due.flatMap((b) => b.files);
    await removeAll(files);
    return files.length;
  }
}

function removeAll(files: readonly string[]): Promise<unknown> {
  return Promise.all(files.map((f) => unlinkIfExists(f)));
}
