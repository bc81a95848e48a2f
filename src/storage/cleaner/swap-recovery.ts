/**
 * Start-up recovery of an interrupted compaction swap (Kafka's LogLoader rules for
 * `.cleaned` / `.swap` / `.deleted` files), run before the segments are opened:
 *
 *   1. `.deleted` files are removed.
 *   2. `.swap` files whose base offset is >= the smallest `.cleaned` base offset belong to a
 *      swap that had not reached its commit point: removed. Then every `.cleaned` file is
 *      removed (rolled back: the replaced segments are still all there).
 *   3. The remaining `.log.swap` files committed: [min base, max next offset) over them is
 *      the range they replace, so the live segment files (.log/.index/.timeindex) with a
 *      base offset in it are removed, then every `.swap` file is renamed to its live name.
 *
 * A replaced segment lying past the cleaned segment's next offset (all its records were
 * cleaned away) survives a crash between steps 1 and 2 of the swap: it holds the same
 * records it held before cleaning, so nothing is lost or duplicated; the next pass
 * cleans it again. Runs once per partition at start-up; async I/O.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { scanBatches } from '../batch-scan.ts';
import { CLEANED_SUFFIX, DELETED_SUFFIX, LOG_SUFFIX, OFFSET_INDEX_SUFFIX, SWAP_SUFFIX, TIME_INDEX_SUFFIX, parseOffsetFileName } from '../file-names.ts';
import { syncDir } from '../file-io.ts';
import type { StorageLogger } from '../logger.ts';

const SEGMENT_SUFFIXES = [LOG_SUFFIX, OFFSET_INDEX_SUFFIX, TIME_INDEX_SUFFIX];

export async function recoverInterruptedSwaps(dir: string, logger: StorageLogger): Promise<void> {
  const names = await fs.readdir(dir);
  const remove = async (name: string, why: string): Promise<void> => {
    logger.info({ dir, file: name }, why);
    await fs.rm(path.join(dir, name), { force: true });
  };
  for (const name of names.filter((n) => n.endsWith(DELETED_SUFFIX))) await remove(name, 'removing deleted file');
  const cleaned = names.filter((n) => n.endsWith(CLEANED_SUFFIX));
  const minCleaned = Math.min(...cleaned.map((n) => baseOf(n, CLEANED_SUFFIX) ?? Infinity));
  let swaps = names.filter((n) => n.endsWith(SWAP_SUFFIX));
  for (const name of swaps.filter((n) => (baseOf(n, SWAP_SUFFIX) ?? -1) >= minCleaned)) await remove(name, 'removing swap file of an uncommitted swap');
  swaps = swaps.filter((n) => (baseOf(n, SWAP_SUFFIX) ?? -1) < minCleaned);
  for (const name of cleaned) await remove(name, 'removing cleaned file of an interrupted cleaning');
  if (swaps.length === 0) return;
  await completeSwaps(dir, names, swaps, logger);
}

async function completeSwaps(dir: string, names: readonly string[], swaps: readonly string[], logger: StorageLogger): Promise<void> {
  let min = Infinity;
  let max = -Infinity;
  for (const name of swaps.filter((n) => n.endsWith(LOG_SUFFIX + SWAP_SUFFIX))) {
    const base = parseOffsetFileName(name.slice(0, -SWAP_SUFFIX.length), LOG_SUFFIX)!;
    min = Math.min(min, base);
    max = Math.max(max, await nextOffsetOf(path.join(dir, name), base));
  }
  for (const name of names) {
    const base = SEGMENT_SUFFIXES.map((suffix) => parseOffsetFileName(name, suffix)).find((b) => b !== null);
    if (base === undefined || base === null || base < min || base >= max) continue;
    logger.info({ dir, file: name }, 'removing segment file replaced by a completed swap');
    await fs.rm(path.join(dir, name), { force: true });
  }
  for (const name of swaps) {
    logger.info({ dir, file: name }, 'completing interrupted swap');
    await fs.rename(path.join(dir, name), path.join(dir, name.slice(0, -SWAP_SUFFIX.length)));
  }
  await syncDir(dir);
}

/** Base offset of `<digits><segment suffix><suffix>`, or null. */
function baseOf(name: string, suffix: string): number | null {
  const stem = name.slice(0, -suffix.length);
  for (const s of SEGMENT_SUFFIXES) {
    const base = parseOffsetFileName(stem, s);
    if (base !== null) return base;
  }
  return null;
}

/** Offset after the last whole batch of a log file (its base when it holds none). */
async function nextOffsetOf(file: string, base: number): Promise<number> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    let next = base;
    await scanBatches(fh, 0, size, { verify: false, minBaseOffset: base }, (header) => {
      next = header.lastOffset + 1;
    });
    return next;
  } finally {
    await fh.close();
  }
}
