/**
 * Names of the files of the compaction swap protocol (Kafka's .cleaned / .swap suffixes,
 * defined in file-names.ts), per segment: `<base>.log<suffix>`, `<base>.index<suffix>`,
 * `<base>.timeindex<suffix>`. The log file comes first in every rename sequence (see
 * segment-swap.ts for the commit point, swap-recovery.ts for recovery).
 */
import fs from 'node:fs/promises';
import { segmentPaths } from '../file-names.ts';

export interface SegmentFiles {
  readonly log: string;
  readonly offsetIndex: string;
  readonly timeIndex: string;
}

/** The three files of segment `baseOffset` with `suffix` appended ('' = the live names). */
export function segmentFiles(dir: string, baseOffset: number, suffix: string): SegmentFiles {
  const live = segmentPaths(dir, baseOffset);
  return { log: live.log + suffix, offsetIndex: live.offsetIndex + suffix, timeIndex: live.timeIndex + suffix };
}

/** Log first, then the indexes. */
export function filesInRenameOrder(files: SegmentFiles): string[] {
  return [files.log, files.offsetIndex, files.timeIndex];
}

/** Renames each of `from` to the matching file of `to`, log first. */
export async function renameSegmentFiles(from: SegmentFiles, to: SegmentFiles): Promise<void> {
  const sources = filesInRenameOrder(from);
  const targets = filesInRenameOrder(to);
  for (let i = 0; i < sources.length; i++) await fs.rename(sources[i], targets[i]);
}

export async function removeSegmentFiles(files: SegmentFiles): Promise<void> {
  await Promise.all(filesInRenameOrder(files).map((f) => fs.rm(f, { force: true })));
}
