/**
 * Swapping a cleaned segment in for the segments it replaces (Kafka's replaceSegments),
 * run under the partition's append lock (PartitionLog.replaceSegments):
 *
 *   1. `<base>.*.cleaned` -> `<base>.*.swap`, log first; fsync dir  (commit point: the
 *      last of these renames — while a .cleaned file exists, recovery rolls the swap back;
 *      once none does, it completes it)
 *   2. the replaced segments are deleted, newest first
 *   3. `<base>.*.swap` -> `<base>.*`, log first; fsync dir
 *   4. the new segment is opened (its indexes were written with it)
 *
 * Reads in flight on a replaced segment finish on its open file handle; a read that starts
 * on it after step 2 waits for the swap and retries (PartitionLog.read). A group whose
 * records all went away is replaced by nothing (step 1/3/4 skipped), except the first
 * segment of the log, which stays (empty) so the log start does not move.
 */
import { CLEANED_SUFFIX, SWAP_SUFFIX } from '../file-names.ts';
import { syncDir } from '../file-io.ts';
import { LogSegment, type SegmentParams } from '../log-segment.ts';
import { renameSegmentFiles, segmentFiles } from './swap-files.ts';

/** Performs steps 1-4; `cleanedBase` null = the group is replaced by nothing. */
export async function swapInCleaned(params: SegmentParams, cleanedBase: number | null, replaced: readonly LogSegment[]): Promise<LogSegment | null> {
  const { dir } = params;
  // Loaded indexes keep a replaced segment from rebuilding (rewriting) index files at its
  // old names while the new segment's files take them over.
  await Promise.all(replaced.map((s) => s.indexes()));
  if (cleanedBase !== null) {
    await renameSegmentFiles(segmentFiles(dir, cleanedBase, CLEANED_SUFFIX), segmentFiles(dir, cleanedBase, SWAP_SUFFIX));
    await syncDir(dir);
  }
  for (const segment of [...replaced].reverse()) await segment.delete();
  if (cleanedBase === null) {
    await syncDir(dir);
    return null;
  }
  await renameSegmentFiles(segmentFiles(dir, cleanedBase, SWAP_SUFFIX), segmentFiles(dir, cleanedBase, ''));
  await syncDir(dir);
  return LogSegment.open(cleanedBase, params, 0);
}
