/**
 * AbortedTxnIndex: the aborted transactions of one partition log, for read_committed
 * fetches (Kafka's TransactionIndex, one `<20-digit base offset>.txnindex` file per
 * segment, holding the aborts whose marker is in that segment).
 *
 * File layout (Kafka's AbortedTxn, big-endian, 34 bytes per entry, appended in marker
 * order):
 *   int16 version (0), int64 producerId, int64 firstOffset, int64 lastOffset (the
 *   marker's offset), int64 lastStableOffset (the LSO right after the abort)
 *
 * In memory every entry is kept in one array ordered by lastOffset (markers are appended
 * in offset order), so a fetch finds its entries by binary search.
 *
 * Crash policy: entries are appended without fsync (like Kafka's index appends); a file
 * with a torn last entry keeps its whole entries. On open, entries past the log end are
 * dropped, and the producer-state replay after a crash re-adds any abort whose entry was
 * lost (`addIfAbsent`). Truncation rewrites the affected files; files of segments
 * removed by retention / DeleteRecords are deleted with them.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { offsetFileStem, parseOffsetFileName } from './file-names.ts';
import { unlinkIfExists, writeFileAtomic } from './file-io.ts';

export const TXN_INDEX_SUFFIX = '.txnindex';
const ENTRY_BYTES = 34;
const ENTRY_VERSION = 0;

export interface AbortedTxnEntry {
  readonly producerId: number;
  readonly firstOffset: number;
  readonly lastOffset: number;
  readonly lastStableOffset: number;
}

interface Stored extends AbortedTxnEntry {
  /** Base offset of the segment file holding the entry. */
  readonly segmentBase: number;
}

export function txnIndexPath(dir: string, segmentBase: number): string {
  return path.join(dir, offsetFileStem(segmentBase) + TXN_INDEX_SUFFIX);
}

function encodeEntry(e: AbortedTxnEntry): Buffer {
  const b = Buffer.alloc(ENTRY_BYTES);
  b.writeInt16BE(ENTRY_VERSION, 0);
  b.writeBigInt64BE(BigInt(e.producerId), 2);
  b.writeBigInt64BE(BigInt(e.firstOffset), 10);
  b.writeBigInt64BE(BigInt(e.lastOffset), 18);
  b.writeBigInt64BE(BigInt(e.lastStableOffset), 26);
  return b;
}

function decodeEntries(buf: Buffer, segmentBase: number): Stored[] {
  const out: Stored[] = [];
  for (let pos = 0; pos + ENTRY_BYTES <= buf.length; pos += ENTRY_BYTES) {
    if (buf.readInt16BE(pos) !== ENTRY_VERSION) break;
    out.push({
      segmentBase,
      producerId: Number(buf.readBigInt64BE(pos + 2)),
      firstOffset: Number(buf.readBigInt64BE(pos + 10)),
      lastOffset: Number(buf.readBigInt64BE(pos + 18)),
      lastStableOffset: Number(buf.readBigInt64BE(pos + 26)),
    });
  }
  return out;
}

export class AbortedTxnIndex {
  readonly dir: string;
  #entries: Stored[] = [];

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Reads every .txnindex file of `dir` (log open), keeping entries within [logStart, logEnd). */
  static async open(dir: string, logStartOffset: number, logEndOffset: number): Promise<AbortedTxnIndex> {
    const index = new AbortedTxnIndex(dir);
    for (const name of await fs.readdir(dir)) {
      const base = parseOffsetFileName(name, TXN_INDEX_SUFFIX);
      if (base === null) continue;
      index.#entries.push(...decodeEntries(await fs.readFile(path.join(dir, name)), base));
    }
    index.#entries.sort((a, b) => a.lastOffset - b.lastOffset);
    const stale = index.#entries.some((e) => e.lastOffset >= logEndOffset);
    index.#entries = index.#entries.filter((e) => e.lastOffset >= logStartOffset);
    if (stale) await index.truncateTo(logEndOffset);
    return index;
  }

  get size(): number {
    return this.#entries.length;
  }

  /** Records an abort whose marker was just appended to the segment at `segmentBase`. */
  async append(segmentBase: number, entry: AbortedTxnEntry): Promise<void> {
    this.#entries.push({ ...entry, segmentBase });
    await fs.appendFile(txnIndexPath(this.dir, segmentBase), encodeEntry(entry));
  }

  /** Recovery: adds the abort unless an entry for the same marker exists. */
  async addIfAbsent(segmentBase: number, entry: AbortedTxnEntry): Promise<void> {
    if (this.#entries.some((e) => e.lastOffset === entry.lastOffset && e.producerId === entry.producerId)) return;
    this.#entries.push({ ...entry, segmentBase });
    this.#entries.sort((a, b) => a.lastOffset - b.lastOffset);
    await this.#rewrite(segmentBase);
  }

  /**
   * Aborted transactions a fetch from `fetchOffset` reading up to `upperBoundOffset`
   * (exclusive) must know about (Kafka's collectAbortedTransactions).
   */
  collect(fetchOffset: number, upperBoundOffset: number): AbortedTxnEntry[] {
    const out: AbortedTxnEntry[] = [];
    for (let i = this.#firstEndingAtOrAfter(fetchOffset); i < this.#entries.length; i++) {
      const e = this.#entries[i];
      if (e.firstOffset < upperBoundOffset) out.push({ producerId: e.producerId, firstOffset: e.firstOffset, lastOffset: e.lastOffset, lastStableOffset: e.lastStableOffset });
      if (e.lastStableOffset >= upperBoundOffset) break;
    }
    return out;
  }

  /** Drops entries whose marker is at or after `offset` (log truncation). */
  async truncateTo(offset: number): Promise<void> {
    const touched = new Set(this.#entries.filter((e) => e.lastOffset >= offset).map((e) => e.segmentBase));
    if (touched.size === 0) return;
    this.#entries = this.#entries.filter((e) => e.lastOffset < offset);
    for (const base of touched) await this.#rewrite(base);
  }

  /** The log start moved to the segment at `firstSegmentBase`: files of older segments go. */
  async deleteBefore(firstSegmentBase: number, logStartOffset: number): Promise<void> {
    const gone = new Set(this.#entries.filter((e) => e.segmentBase < firstSegmentBase).map((e) => e.segmentBase));
    this.#entries = this.#entries.filter((e) => e.segmentBase >= firstSegmentBase && e.lastOffset >= logStartOffset);
    for (const base of gone) await unlinkIfExists(txnIndexPath(this.dir, base));
  }

  /** The log was emptied: every file goes. */
  async clear(): Promise<void> {
    const bases = new Set(this.#entries.map((e) => e.segmentBase));
    this.#entries = [];
    for (const base of bases) await unlinkIfExists(txnIndexPath(this.dir, base));
  }

  async #rewrite(segmentBase: number): Promise<void> {
    const kept = this.#entries.filter((e) => e.segmentBase === segmentBase);
    const file = txnIndexPath(this.dir, segmentBase);
    if (kept.length === 0) await unlinkIfExists(file);
    else await writeFileAtomic(file, Buffer.concat(kept.map(encodeEntry)));
  }

  #firstEndingAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.#entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#entries[mid].lastOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
