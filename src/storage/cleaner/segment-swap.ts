/**
 * Swapping a cleaned segment in for the segments it replaces (Kafka's replaceSegments),
 * run under the partition's append lock (PartitionLog.replaceSegments):
 *
 *   1. `<base>.*.cleaned` -> `<base>.*.swap`, log first; fsync dir  (commit point: the
 *      last of these renames — while a .cleaned file exists, recovery rolls the swap back;
 *      once none does, it completes it)
 *   2. the replaced segments are deleted as retention deletes (renamed to `.deleted`,
 *      unlinked after file.delete.delay.ms — Kafka's asynchronous delete)
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

/**
 * Performs steps 1-4; `cleanedBase` null = the group is replaced by nothing. `deleteReplaced`
 * is the log's segment deletion (step 2), which durably takes the segments' live names away.
 */
export async function swapInCleaned(
  params: SegmentParams,
  cleanedBase: number | null,
  replaced: readonly LogSegment[],
  deleteReplaced: (segments: readonly LogSegment[]) => Promise<void>,
): Promise<LogSegment | null> {
  const { dir } = params;
  if (cleanedBase !== null) {
    await renameSegmentFiles(segmentFiles(dir, cleanedBase, CLEANED_SUFFIX), segmentFiles(dir, cleanedBase, SWAP_SUFFIX));
    await syncDir(dir);
  }
  await deleteReplaced(replaced);
  if (cleanedBase === null) return null;
  await renameSegmentFiles(segmentFiles(dir, cleanedBase, SWAP_SUFFIX), segmentFiles(dir, cleanedBase, ''));
  await syncDir(dir);
  return LogSegment.open(cleanedBase, params, 0);
}
