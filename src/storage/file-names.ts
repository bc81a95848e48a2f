/**
 * Names of the files a partition directory holds, in one place (as Kafka's LogFileUtils).
 *
 *   <20-digit base offset>.log         record batches, concatenated
 *   <20-digit base offset>.index       sparse offset index (offset-index.ts)
 *   <20-digit base offset>.timeindex   sparse time index (time-index.ts)
 *   leader-epoch-checkpoint            leader-epoch-cache.ts
 *   partition.metadata                 topic id (partition-metadata.ts)
 *
 * Suffixes left behind by an interrupted operation (.deleted, .cleaned, .swap, .tmp) are
 * recognised here so the loader can remove them.
 */
import path from 'node:path';

export const LOG_SUFFIX = '.log';
export const OFFSET_INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';
export const DELETED_SUFFIX = '.deleted';
export const CLEANED_SUFFIX = '.cleaned';
export const SWAP_SUFFIX = '.swap';
export const TMP_SUFFIX = '.tmp';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
export const PARTITION_METADATA_FILE = 'partition.metadata';

/** Suffixes of files that only exist while an operation is in progress. */
export const LEFTOVER_SUFFIXES: readonly string[] = [DELETED_SUFFIX, CLEANED_SUFFIX, SWAP_SUFFIX, TMP_SUFFIX];

const OFFSET_DIGITS = 20;

/** "00000000000000000042" for base offset 42, as Kafka names segment files. */
export function offsetFileStem(baseOffset: number): string {
  return String(baseOffset).padStart(OFFSET_DIGITS, '0');
}

export interface SegmentPaths {
  readonly log: string;
  readonly offsetIndex: string;
  readonly timeIndex: string;
}

export function segmentPaths(dir: string, baseOffset: number): SegmentPaths {
  const stem = path.join(dir, offsetFileStem(baseOffset));
  return { log: stem + LOG_SUFFIX, offsetIndex: stem + OFFSET_INDEX_SUFFIX, timeIndex: stem + TIME_INDEX_SUFFIX };
}

/** Base offset of a file named `<digits><suffix>`, or null if the name is not of that shape. */
export function parseOffsetFileName(name: string, suffix: string): number | null {
  if (!name.endsWith(suffix)) return null;
  const stem = name.slice(0, -suffix.length);
  if (stem.length !== OFFSET_DIGITS || !/^\d+$/.test(stem)) return null;
  return Number(stem);
}
