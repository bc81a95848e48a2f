/**
 * One segment of a partition log (Kafka's LogSegment): the `.log` file of concatenated
 * record batches starting at `baseOffset`, with its offset and time indexes.
 *
 * Files (names in file-names.ts): `<base>.log` is only ever appended to at `size` (positional
 * writes through a FileHandle), truncated by recovery/truncateTo. While the segment is
 * active its index files are open and preallocated to segment.index.bytes; the indexes
 * live in memory, and their entries are written to the files only when the segment stops
 * being active (roll, close), so an append is one file write and a flush of the active
 * segment one fdatasync of the log. When it stops being active the files are trimmed to
 * their entries and closed; its next flush (the one that follows every roll) fsyncs them.
 * Indexes of inactive segments are loaded lazily on first use, validated, and rebuilt from
 * the log when inconsistent or missing.
 *
 * Crash policy: the log is the truth; indexes are derived data. Bytes past the last
 * complete, valid batch are cut by recovery (log-loader.ts). The active segment's index
 * files lag its log: they are never trusted after an unclean shutdown, because recovery
 * rebuilds every segment from the one holding the recovery point, which always includes
 * the active one; a clean shutdown writes every entry. An inactive segment's index files
 * are fsynced by the flush that moves the recovery point past it; any later damage is
 * caught by validation on load.
 */
import fs, { type FileHandle } from 'node:fs/promises';
import type { Clock } from '../clock.ts';
import { RECORD_BATCH_HEADER_SIZE } from '../protocol/records/batch-layout.ts';
import { appendWriter } from './append-writer.ts';
import { readBatchHeader, type BatchHeader } from './batch-header.ts';
import { scanBatches, type BatchVisitor, type ScanResult } from './batch-scan.ts';
import { isNotFound, readFileIfExists, readInto, unlinkIfExists, writeAt } from './file-io.ts';
import { DELETED_SUFFIX, segmentPaths, type SegmentPaths } from './file-names.ts';
import type { IndexEntries } from './index-entries.ts';
import { OFFSET_INDEX_ENTRY_SIZE, OffsetIndex } from './offset-index.ts';
import { FRESH_READ_BUFFERS, type ReadBuffers } from './read-buffers.ts';
import { SegmentIndexer } from './segment-indexer.ts';
import { NO_TIMESTAMP, TIME_INDEX_ENTRY_SIZE, TimeIndex } from './time-index.ts';

/** Relative offsets are int32 in the index: a segment cannot span more offsets than this. */
const MAX_RELATIVE_OFFSET = 0x7fffffff;

/** Extra bytes read past an index entry to find the wanted batch in the same read. */
const READ_SLACK_BYTES = 16 * 1024;

export interface SegmentParams {
  readonly dir: string;
  /** segment.index.bytes: bound (and preallocation) of each index file. */
  readonly indexBytesMax: number;
  readonly indexIntervalBytes: number;
  readonly clock: Clock;
}

export interface RollCheck {
  readonly segmentBytes: number;
  readonly segmentMs: number;
  readonly appendBytes: number;
  readonly maxTimestampInAppend: number;
  readonly lastOffsetInAppend: number;
  readonly now: number;
}

export interface SegmentRead {
  /** Whole batches; empty when nothing may be returned. */
  readonly records: Buffer;
  readonly firstOffset: number;
}

/** A read raced with the segment's deletion (log start moved, truncation, topic deleted). */
export class SegmentDeletedError extends Error {
  override name = 'SegmentDeletedError';
}

/** A segment's bytes do not frame as batches where they must (a damaged file). */
export class CorruptSegmentError extends Error {
  override name = 'CorruptSegmentError';
}

interface ActiveIndexFiles {
  readonly offset: FileHandle;
  readonly time: FileHandle;
  /** Entries of each index already written to its file (the rest are only in memory). */
  offsetEntriesWritten: number;
  timeEntriesWritten: number;
}

export class LogSegment {
  readonly baseOffset: number;
  readonly paths: SegmentPaths;
  readonly createdMs: number;
  /** Random part subtracted from segment.ms for this segment (segment.jitter.ms). */
  readonly rollJitterMs: number;
  #params: SegmentParams;
  #log: FileHandle;
  #size: number;
  #indexer: SegmentIndexer | null = null;
  #loadingIndexes: Promise<SegmentIndexer> | null = null;
  #activeFiles: ActiveIndexFiles | null = null;
  /** Serializes writes, fsyncs and closes of the index files (appends never wait on it). */
  #indexFileOps: Promise<void> = Promise.resolve();
  /** deactivate() wrote the index files; the next flush fsyncs them. */
  #closedIndexFilesUnsynced = false;
  #nextOffset: number | null = null;
  #rollingBasedTimestamp: number | null = null;
  #readers = 0;
  #deleted = false;
  /** The append being written; closing the log waits for it (the writer thread uses the fd). */
  #appending: Promise<void> = Promise.resolve();

  private constructor(baseOffset: number, params: SegmentParams, log: FileHandle, size: number, rollJitterMs: number) {
    this.baseOffset = baseOffset;
    this.paths = segmentPaths(params.dir, baseOffset);
    this.createdMs = params.clock.now();
    this.rollJitterMs = rollJitterMs;
    this.#params = params;
    this.#log = log;
    this.#size = size;
  }

  /** A new, empty, active segment (replacing any files of the same base offset). */
  static async create(baseOffset: number, params: SegmentParams, rollJitterMs: number): Promise<LogSegment> {
    const log = await fs.open(segmentPaths(params.dir, baseOffset).log, 'w+');
    const segment = new LogSegment(baseOffset, params, log, 0, rollJitterMs);
    segment.#indexer = segment.#newIndexer();
    segment.#nextOffset = baseOffset;
    await segment.#openIndexFiles('w+');
    return segment;
  }

  /** An existing segment; its indexes are loaded on first use. */
  static async open(baseOffset: number, params: SegmentParams, rollJitterMs: number): Promise<LogSegment> {
    const log = await fs.open(segmentPaths(params.dir, baseOffset).log, 'r+');
    const { size } = await log.stat();
    return new LogSegment(baseOffset, params, log, size, rollJitterMs);
  }

  get size(): number {
    return this.#size;
  }

  get isActive(): boolean {
    return this.#activeFiles !== null;
  }

  /** Offset after the last batch; known for the active segment and after a scan. */
  get nextOffset(): number {
    if (this.#nextOffset === null) throw new Error(`next offset of segment ${this.baseOffset} not loaded`);
    return this.#nextOffset;
  }

  async maxTimestampAndOffset(): Promise<{ timestamp: number; offset: number }> {
    const indexer = await this.indexes();
    return { timestamp: indexer.maxTimestamp, offset: indexer.offsetOfMaxTimestamp };
  }

  /**
   * Kafka's LogSegment.largestTimestamp, for retention.ms: the max record timestamp, or the
   * file's modification time when no batch carries a timestamp.
   */
  async largestTimestamp(): Promise<number> {
    const { timestamp } = await this.maxTimestampAndOffset();
    if (timestamp !== NO_TIMESTAMP) return timestamp;
    return (await this.#log.stat()).mtimeMs;
  }

  // ---- indexes -------------------------------------------------------------------------

  /** The segment's indexes, loading (and if needed rebuilding) them on first use. */
  indexes(): Promise<SegmentIndexer> {
    if (this.#indexer !== null) return Promise.resolve(this.#indexer);
    this.#loadingIndexes ??= this.#loadIndexes().finally(() => (this.#loadingIndexes = null));
    return this.#loadingIndexes;
  }

  async #loadIndexes(): Promise<SegmentIndexer> {
    const [offsetBytes, timeBytes] = await Promise.all([readFileIfExists(this.paths.offsetIndex), readFileIfExists(this.paths.timeIndex)]);
    const indexer = this.#newIndexer(offsetBytes, timeBytes);
    if (indexFilesConsistent(indexer, offsetBytes, timeBytes, this.#size)) {
      const last = indexer.timeIndex.lastEntry();
      indexer.seedMaxTimestamp(last.timestamp, last.offset);
      this.#indexer = indexer;
      return indexer;
    }
    await this.rebuildIndexes({ verify: false });
    return this.#indexer!;
  }

  #newIndexer(offsetBytes?: Buffer | null, timeBytes?: Buffer | null): SegmentIndexer {
    const { indexBytesMax, indexIntervalBytes } = this.#params;
    return new SegmentIndexer(
      new OffsetIndex(this.baseOffset, indexBytesMax, offsetBytes ?? undefined),
      new TimeIndex(this.baseOffset, indexBytesMax, timeBytes ?? undefined),
      indexIntervalBytes,
    );
  }

  /**
   * Rebuilds both indexes by scanning the whole log. With `verify` (recovery) every batch is
   * validated and the log is truncated at the first invalid or torn one. `onBatch` sees
   * every good batch (recovery feeds the leader-epoch cache from it).
   */
  async rebuildIndexes(opts: { verify: boolean; onBatch?: BatchVisitor }): Promise<ScanResult> {
    const indexer = this.#newIndexer();
    let nextOffset = this.baseOffset;
    const result = await scanBatches(this.#log, 0, this.#size, { verify: opts.verify, minBaseOffset: this.baseOffset }, (header, bytes) => {
      indexer.onBatch(header, header.position);
      nextOffset = header.lastOffset + 1;
      opts.onBatch?.(header, bytes);
    });
    if (result.validEnd < this.#size) {
      await this.#log.truncate(result.validEnd);
      this.#size = result.validEnd;
    }
    if (!this.isActive) indexer.appendFinalTimeEntry();
    this.#indexer = indexer;
    this.#nextOffset = nextOffset;
    await this.#writeIndexFiles();
    return result;
  }

  async #writeIndexFiles(): Promise<void> {
    const { offsetIndex, timeIndex } = this.#indexer!;
    if (this.#activeFiles === null) {
      await Promise.all([fs.writeFile(this.paths.offsetIndex, offsetIndex.entries.bytes()), fs.writeFile(this.paths.timeIndex, timeIndex.entries.bytes())]);
      return;
    }
    await this.#onIndexFiles(async (files) => {
      files.offsetEntriesWritten = 0;
      files.timeEntriesWritten = 0;
      await this.#writeNewEntries(files);
      await this.#sizeIndexFiles(files, true);
    });
  }

  /** Runs `op` on the active index files after the index-file operations before it. */
  #onIndexFiles(op: (files: ActiveIndexFiles) => Promise<void>): Promise<void> {
    const run = this.#indexFileOps.then(() => (this.#activeFiles === null ? undefined : op(this.#activeFiles)));
    this.#indexFileOps = run.catch(() => {});
    return run;
  }

  /** Writes the entries added since the last write, one positional write per index. */
  async #writeNewEntries(files: ActiveIndexFiles): Promise<void> {
    const { offsetIndex, timeIndex } = this.#indexer!;
    const offsetFrom = files.offsetEntriesWritten;
    const timeFrom = files.timeEntriesWritten;
    files.offsetEntriesWritten = offsetIndex.entries.count;
    files.timeEntriesWritten = timeIndex.entries.count;
    await Promise.all([writeEntries(files.offset, offsetIndex.entries, offsetFrom), writeEntries(files.time, timeIndex.entries, timeFrom)]);
  }

  /** Preallocates (active) or trims (inactive) the open index files. */
  async #sizeIndexFiles(files: ActiveIndexFiles, preallocate: boolean): Promise<void> {
    const { offset, time } = files;
    const { offsetIndex, timeIndex } = this.#indexer!;
    const entries = (index: OffsetIndex | TimeIndex): number => (preallocate ? index.entries.maxEntries : index.entries.count);
    await Promise.all([
      offset.truncate(entries(offsetIndex) * OFFSET_INDEX_ENTRY_SIZE),
      time.truncate(entries(timeIndex) * TIME_INDEX_ENTRY_SIZE),
    ]);
  }

  async #openIndexFiles(flags: 'w+' | 'r+'): Promise<void> {
    const open = async (file: string): Promise<FileHandle> => {
      try {
        return await fs.open(file, flags);
      } catch (err) {
        if (flags === 'r+' && isNotFound(err)) return fs.open(file, 'w+');
        throw err;
      }
    };
    const { offsetIndex, timeIndex } = this.#indexer!;
    const files: ActiveIndexFiles = {
      offset: await open(this.paths.offsetIndex),
      time: await open(this.paths.timeIndex),
      // A new segment's files are empty; an activated one's were read into the indexes.
      offsetEntriesWritten: flags === 'w+' ? 0 : offsetIndex.entries.count,
      timeEntriesWritten: flags === 'w+' ? 0 : timeIndex.entries.count,
    };
    this.#activeFiles = files;
    await this.#sizeIndexFiles(files, true);
  }

  /**
   * Makes a loaded segment the active one: indexes loaded (rebuilt if needed), the tail
   * after the last index entry scanned for the next offset and max timestamp, index files
   * opened and preallocated.
   */
  async activate(): Promise<void> {
    if (this.isActive) return;
    const indexer = await this.indexes();
    if (this.#nextOffset === null) {
      const from = indexer.offsetIndex.lastEntry();
      let nextOffset = from.offset === this.baseOffset && from.position === 0 ? this.baseOffset : from.offset + 1;
      const scan = await scanBatches(this.#log, from.position, this.#size, { verify: false, minBaseOffset: this.baseOffset }, (header) => {
        indexer.seedMaxTimestamp(header.maxTimestamp, header.lastOffset);
        nextOffset = header.lastOffset + 1;
      });
      // Appends go at the end of the file: an unparseable tail (which a clean shutdown
      // should never leave) would otherwise end up in the middle of the log.
      if (scan.defect !== null) {
        await this.#log.truncate(scan.validEnd);
        this.#size = scan.validEnd;
      }
      this.#nextOffset = nextOffset;
    }
    await this.#openIndexFiles('r+');
  }

  // ---- append / roll -------------------------------------------------------------------

  /** Appends whole batches (headers' positions relative to `records`). Active only. */
  async append(records: Buffer, headers: readonly BatchHeader[]): Promise<void> {
    if (this.#activeFiles === null) throw new Error(`append to inactive segment ${this.baseOffset}`);
    const start = this.#size;
    const written = appendWriter.write(this.#log, records, start);
    this.#appending = written.catch(() => {});
    await written;
    // Index entries go to memory only; flush / deactivate write them to the files.
    const indexer = this.#indexer!;
    for (const header of headers) indexer.onBatch(header, start + header.position);
    if (start === 0) this.#rollingBasedTimestamp = maxTimestampOf(headers);
    this.#size = start + records.length;
    this.#nextOffset = headers[headers.length - 1].lastOffset + 1;
  }

  /** Kafka's LogSegment.shouldRoll. */
  shouldRoll(check: RollCheck): boolean {
    const indexer = this.#indexer!;
    const waited = this.#timeWaitedForRoll(check.now, check.maxTimestampInAppend);
    return (
      this.#size > check.segmentBytes - check.appendBytes ||
      (this.#size > 0 && waited > check.segmentMs - this.rollJitterMs) ||
      indexer.offsetIndex.isFull ||
      indexer.timeIndex.isFull ||
      check.lastOffsetInAppend - this.baseOffset > MAX_RELATIVE_OFFSET
    );
  }

  /** Age for segment.ms: by the first batch's timestamp when it has one, else wall time. */
  #timeWaitedForRoll(now: number, maxTimestampInAppend: number): number {
    const base = this.#rollingBasedTimestamp;
    return base !== null && base >= 0 ? maxTimestampInAppend - base : now - this.createdMs;
  }

  /** Stops being active: final time-index entry, index files trimmed and closed. */
  async deactivate(): Promise<void> {
    if (this.#activeFiles === null) return;
    this.#indexer!.appendFinalTimeEntry();
    await this.#onIndexFiles(async (files) => {
      await this.#writeNewEntries(files);
      await this.#sizeIndexFiles(files, false);
      this.#activeFiles = null;
      this.#closedIndexFilesUnsynced = true;
      await Promise.all([files.offset.close(), files.time.close()]);
    });
  }

  // ---- read ----------------------------------------------------------------------------

  /**
   * Runs an operation on the open files (read, fsync), keeping them open until it finishes
   * even if the segment is deleted meanwhile (delete() leaves the close to the last user).
   */
  async #reading<T>(read: () => Promise<T>): Promise<T> {
    if (this.#deleted) throw new SegmentDeletedError(`segment ${this.baseOffset} was deleted`);
    this.#readers++;
    try {
      return await read();
    } finally {
      this.#readers--;
      if (this.#readers === 0 && this.#deleted) await this.#closeFiles();
    }
  }

  /** Closes every open handle without touching the files' contents (deleted segment). */
  async #closeFiles(): Promise<void> {
    await Promise.all([this.#indexFileOps, this.#appending]);
    const files = this.#activeFiles;
    this.#activeFiles = null;
    await Promise.all([this.#log.close(), files?.offset.close(), files?.time.close()].map((p) => p?.catch(() => {})));
  }

  /** `length` bytes at `position` into a buffer from `buffers`; shorter only at the end of the file. */
  async #readAt(position: number, length: number, buffers: ReadBuffers): Promise<Buffer> {
    const buf = buffers.take(length);
    const n = await readInto(this.#log, buf, length, position);
    return n === length ? buf : buf.subarray(0, n);
  }

  /**
   * Whole batches starting with the one that contains `offset`, up to `maxBytes` (the first
   * batch regardless when `minOneBatch`), none whose base offset is >= `maxOffset`.
   * Null when the segment holds nothing at or after `offset`. The bytes are read into
   * buffers from `buffers` (see read-buffers.ts).
   */
  read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean, buffers: ReadBuffers = FRESH_READ_BUFFERS): Promise<SegmentRead | null> {
    return this.#reading(() => this.#read(offset, maxBytes, maxOffset, minOneBatch, buffers));
  }

  async #read(offset: number, maxBytes: number, maxOffset: number, minOneBatch: boolean, buffers: ReadBuffers): Promise<SegmentRead | null> {
    const indexer = await this.indexes();
    const end = this.#size;
    const from = indexer.offsetIndex.lookup(offset).position;
    let window = await this.#readAt(from, Math.min(end - from, maxBytes + this.#params.indexIntervalBytes + READ_SLACK_BYTES), buffers);
    const found = await this.#locate(offset, from, window, end, buffers);
    if (found === null) return null;
    ({ window } = found);
    const { start, windowStart } = found;
    const first = headerAt(window, start - windowStart, start);
    const empty = { records: Buffer.alloc(0), firstOffset: first.baseOffset };
    if (first.baseOffset >= maxOffset || (first.sizeInBytes > maxBytes && !minOneBatch)) return empty;
    const wanted = Math.min(end - start, Math.max(maxBytes, first.sizeInBytes));
    const inWindow = windowStart + window.length >= start + wanted;
    const bytes = inWindow ? window.subarray(start - windowStart) : await this.#readAt(start, wanted, buffers);
    return { records: wholeBatches(bytes, maxBytes, maxOffset), firstOffset: first.baseOffset };
  }

  /** Finds the batch containing `offset` (or the first after it) scanning from `from`. */
  async #locate(
    offset: number, from: number, window: Buffer, end: number, buffers: ReadBuffers,
  ): Promise<{ start: number; window: Buffer; windowStart: number } | null> {
    let windowStart = from;
    let pos = from;
    while (pos < end) {
      if (pos + RECORD_BATCH_HEADER_SIZE > windowStart + window.length) {
        window = await this.#readAt(pos, Math.min(end - pos, Math.max(window.length, RECORD_BATCH_HEADER_SIZE)), buffers);
        windowStart = pos;
        if (window.length < RECORD_BATCH_HEADER_SIZE) return null;
      }
      const header = headerAt(window, pos - windowStart, pos);
      if (header.lastOffset >= offset) return { start: pos, window, windowStart };
      pos += header.sizeInBytes;
    }
    return null;
  }

  /** Header of the batch containing `offset` (or the first after it), or null. */
  findBatch(offset: number): Promise<BatchHeader | null> {
    return this.#reading(() => this.#findBatch(offset));
  }

  async #findBatch(offset: number): Promise<BatchHeader | null> {
    const { position } = (await this.indexes()).offsetIndex.lookup(offset);
    let found: BatchHeader | null = null;
    await scanBatches(this.#log, position, this.#size, { verify: false, minBaseOffset: this.baseOffset }, (header) => {
      if (header.lastOffset < offset) return true;
      found = header;
      return false;
    });
    return found;
  }

  /** Scans batches from the one holding `offset`, stopping when the visitor returns false. */
  scanFrom(offset: number, visit: BatchVisitor): Promise<void> {
    return this.#reading(async () => {
      const { position } = (await this.indexes()).offsetIndex.lookup(offset);
      await scanBatches(this.#log, position, this.#size, { verify: false, wantBytes: true, minBaseOffset: this.baseOffset }, visit);
    });
  }

  // ---- truncate / flush / close --------------------------------------------------------

  /** Removes every batch that holds an offset >= `offset`. Returns false if none did. */
  async truncateTo(offset: number): Promise<boolean> {
    const batch = await this.findBatch(offset);
    if (batch === null) return false;
    await this.#log.truncate(batch.position);
    this.#size = batch.position;
    await this.rebuildIndexes({ verify: false });
    return true;
  }

  /**
   * fdatasync of the log (its growth is data to fdatasync; mtime is not needed), plus the
   * index files deactivate() wrote since. The active segment's index files are left alone
   * (see the crash policy above).
   */
  async flush(): Promise<void> {
    if (this.#deleted) return; // nothing left to make durable
    await this.#reading(async () => {
      await Promise.all([this.#log.datasync(), this.#syncClosedIndexFiles()]);
    });
  }

  async #syncClosedIndexFiles(): Promise<void> {
    if (!this.#closedIndexFilesUnsynced || this.isActive) return;
    this.#closedIndexFilesUnsynced = false;
    try {
      await Promise.all([this.paths.offsetIndex, this.paths.timeIndex].map(datasyncFile));
    } catch (err) {
      this.#closedIndexFilesUnsynced = true;
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.deactivate();
    await this.#appending;
    await this.#log.close();
  }

  /**
   * Asynchronous deletion, step 1 (Kafka's deleteSegmentFiles with asyncDelete): the
   * segment stops serving new reads and its files get the `.deleted` suffix; in-flight
   * reads finish on the open handle. Returns the renamed files, for the caller to unlink
   * after file.delete.delay.ms (a crash before that leaves them to start-up clean-up).
   */
  async renameForDeletion(): Promise<string[]> {
    if (this.#deleted) return [];
    // Loaded indexes keep a reader from rebuilding index files at the old names.
    await this.indexes();
    this.#deleted = true;
    const files = [this.paths.log, this.paths.offsetIndex, this.paths.timeIndex];
    const renamed = await Promise.all(files.map(async (file) => {
      try {
        await fs.rename(file, file + DELETED_SUFFIX);
        return [file + DELETED_SUFFIX];
      } catch (err) {
        if (isNotFound(err)) return [];
        throw err;
      }
    }));
    if (this.#readers === 0) await this.#closeFiles();
    return renamed.flat();
  }

  /** Closes and removes the segment's files; in-flight reads finish on the open handle. */
  async delete(): Promise<void> {
    if (this.#deleted) return;
    this.#deleted = true;
    await Promise.all([unlinkIfExists(this.paths.log), unlinkIfExists(this.paths.offsetIndex), unlinkIfExists(this.paths.timeIndex)]);
    if (this.#readers === 0) await this.#closeFiles();
  }
}

function maxTimestampOf(headers: readonly BatchHeader[]): number {
  let max = NO_TIMESTAMP;
  for (const h of headers) if (h.maxTimestamp > max) max = h.maxTimestamp;
  return max;
}

/** fdatasync of a closed file; one deleted meanwhile needs none. */
async function datasyncFile(file: string): Promise<void> {
  let fh: FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  try {
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Writes entries [from, count) at their place in the file, with one positional write. */
async function writeEntries(fh: FileHandle, entries: IndexEntries, from: number): Promise<void> {
  if (entries.count === from) return;
  const { entrySize } = entries;
  // A view of the current buffer: a later push may replace the buffer, never change these bytes.
  await writeAt(fh, entries.buffer.subarray(from * entrySize, entries.count * entrySize), from * entrySize);
}

/** Kafka's index sanity check plus full consistency of the entries. */
function indexFilesConsistent(indexer: SegmentIndexer, offsetBytes: Buffer | null, timeBytes: Buffer | null, logSize: number): boolean {
  if (offsetBytes === null || timeBytes === null) return false;
  if (offsetBytes.length % OFFSET_INDEX_ENTRY_SIZE !== 0 || timeBytes.length % TIME_INDEX_ENTRY_SIZE !== 0) return false;
  if (offsetBytes.length / OFFSET_INDEX_ENTRY_SIZE > indexer.offsetIndex.entries.maxEntries) return false;
  return indexer.offsetIndex.isConsistent(logSize) && indexer.timeIndex.isConsistent(Number.MAX_SAFE_INTEGER);
}

/** The batch header at `rel` of `buf`; throws on a size that cannot be a batch. */
function headerAt(buf: Buffer, rel: number, position: number): BatchHeader {
  const header = readBatchHeader(buf, rel, position);
  if (header === null || header.sizeInBytes < RECORD_BATCH_HEADER_SIZE) {
    throw new CorruptSegmentError(`no valid batch header at position ${position}`);
  }
  return header;
}

/**
 * The longest prefix of `bytes` (which starts at a batch) made of whole batches within
 * `maxBytes`, always including the first whole batch, stopping before a batch whose base
 * offset is >= `maxOffset`.
 */
function wholeBatches(bytes: Buffer, maxBytes: number, maxOffset: number): Buffer {
  let end = 0;
  while (end + RECORD_BATCH_HEADER_SIZE <= bytes.length) {
    const header = headerAt(bytes, end, end);
    if (header.baseOffset >= maxOffset) break;
    const next = end + header.sizeInBytes;
    if (next > bytes.length || (end > 0 && next > maxBytes)) break;
    end = next;
  }
  return bytes.subarray(0, end);
}
