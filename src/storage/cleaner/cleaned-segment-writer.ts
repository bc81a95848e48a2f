/**
 * Writes one cleaned segment: `<base>.log.cleaned` with the kept batches (buffered up to
 * log.cleaner.io.buffer.size per write) and its `.index.cleaned` / `.timeindex.cleaned`
 * built as an append would (SegmentIndexer). `finish` fsyncs all three and gives the log
 * the newest modification time of the segments it replaces (as Kafka does, for the
 * time-based retention fallback). Crash policy: `.cleaned` files are only ever deleted at
 * start-up (swap-recovery.ts); nothing reads them before they are renamed to `.swap`.
 */
import fs, { type FileHandle } from 'node:fs/promises';
import { CLEANED_SUFFIX } from '../file-names.ts';
import { batchHeadersOf } from '../batch-header.ts';
import { writeAt } from '../file-io.ts';
import { OffsetIndex } from '../offset-index.ts';
import { SegmentIndexer } from '../segment-indexer.ts';
import { TimeIndex } from '../time-index.ts';
import { removeSegmentFiles, segmentFiles, type SegmentFiles } from './swap-files.ts';

export interface CleanedSegmentParams {
  readonly dir: string;
  readonly baseOffset: number;
  /** segment.index.bytes. */
  readonly indexBytesMax: number;
  readonly indexIntervalBytes: number;
  /** log.cleaner.io.buffer.size. */
  readonly ioBufferBytes: number;
}

export class CleanedSegmentWriter {
  readonly files: SegmentFiles;
  #fh: FileHandle;
  #indexer: SegmentIndexer;
  #ioBufferBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  #written = 0;

  private constructor(params: CleanedSegmentParams, fh: FileHandle, files: SegmentFiles) {
    this.files = files;
    this.#fh = fh;
    this.#ioBufferBytes = params.ioBufferBytes;
    this.#indexer = new SegmentIndexer(
      new OffsetIndex(params.baseOffset, params.indexBytesMax),
      new TimeIndex(params.baseOffset, params.indexBytesMax),
      params.indexIntervalBytes,
    );
  }

  static async create(params: CleanedSegmentParams): Promise<CleanedSegmentWriter> {
    const files = segmentFiles(params.dir, params.baseOffset, CLEANED_SUFFIX);
    const fh = await fs.open(files.log, 'w');
    return new CleanedSegmentWriter(params, fh, files);
  }

  /** Bytes of the cleaned log so far. */
  get size(): number {
    return this.#written + this.#pendingBytes;
  }

  /** Appends one whole batch. */
  async append(batch: Buffer): Promise<void> {
    for (const header of batchHeadersOf(batch)) this.#indexer.onBatch(header, this.size + header.position);
    this.#pending.push(batch);
    this.#pendingBytes += batch.length;
    if (this.#pendingBytes >= this.#ioBufferBytes) await this.#drain();
  }

  async #drain(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const chunk = Buffer.concat(this.#pending, this.#pendingBytes);
    await writeAt(this.#fh, chunk, this.#written);
    this.#written += chunk.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /** Writes the rest and the indexes, fsyncs everything, closes. */
  async finish(mtimeMs: number): Promise<void> {
    await this.#drain();
    this.#indexer.appendFinalTimeEntry();
    await Promise.all([
      writeSynced(this.files.offsetIndex, this.#indexer.offsetIndex.entries.bytes()),
      writeSynced(this.files.timeIndex, this.#indexer.timeIndex.entries.bytes()),
      this.#fh.sync(),
    ]);
    const mtime = new Date(mtimeMs);
    await this.#fh.utimes(mtime, mtime);
    await this.#fh.close();
  }

  /** Closes and removes whatever was written. */
  async abort(): Promise<void> {
    await this.#fh.close().catch(() => {});
    await removeSegmentFiles(this.files);
  }
}

async function writeSynced(file: string, bytes: Buffer): Promise<void> {
  const fh = await fs.open(file, 'w');
  try {
    await fh.writeFile(bytes);
    await fh.sync();
  } finally {
    await fh.close();
  }
}
