/**
 * Reads the batches of a segment's .log file in order for the cleaner: large sequential
 * reads (one per window), each batch handed out as a view into a freshly allocated window,
 * so it stays valid as long as the caller holds it. Framing is trusted (the segment is
 * below the recovery point or was validated on append); a batch that does not frame stops
 * the cleaning of this log with CorruptSegmentError.
 */
import fs, { type FileHandle } from 'node:fs/promises';
import { RECORD_BATCH_HEADER_SIZE } from '../../protocol/records/batch-layout.ts';
import { readBatchHeader, type BatchHeader } from '../batch-header.ts';
import { readAt } from '../file-io.ts';
import { CorruptSegmentError } from '../log-segment.ts';


export interface StoredBatch {
  /** Position is the batch's byte position in the file. */
  readonly header: BatchHeader;
  /** Exactly the batch's bytes. */
  readonly bytes: Buffer;
}

/** Every batch of the file at `path`, in file order, read `windowBytes` at a time (larger batches get a read of their own). */
export async function* readSegmentBatches(path: string, windowBytes: number): AsyncGenerator<StoredBatch> {
  const fh = await fs.open(path, 'r');
  try {
    const { size } = await fh.stat();
    yield* batchesOf(fh, size, Math.max(windowBytes, RECORD_BATCH_HEADER_SIZE));
  } finally {
    await fh.close();
  }
}

async function* batchesOf(fh: FileHandle, size: number, windowBytes: number): AsyncGenerator<StoredBatch> {
  let window: Buffer = Buffer.alloc(0);
  let windowStart = 0;
  let pos = 0;
  while (pos < size) {
    if (pos + RECORD_BATCH_HEADER_SIZE > windowStart + window.length) {
      window = await readAt(fh, pos, Math.min(windowBytes, size - pos));
      windowStart = pos;
    }
    const header = readBatchHeader(window, pos - windowStart, pos);
    if (header === null || header.sizeInBytes < RECORD_BATCH_HEADER_SIZE || pos + header.sizeInBytes > size) {
      throw new CorruptSegmentError(`unframed batch at position ${pos}`);
    }
    const rel = pos - windowStart;
    const bytes = rel + header.sizeInBytes <= window.length ? window.subarray(rel, rel + header.sizeInBytes) : await readAt(fh, pos, header.sizeInBytes);
    yield { header, bytes };
    pos += header.sizeInBytes;
  }
}

/** The first batch's header of the file at `path`, or null when it is empty. */
export async function firstBatchHeader(path: string): Promise<BatchHeader | null> {
  const fh = await fs.open(path, 'r');
  try {
    return readBatchHeader(await readAt(fh, 0, RECORD_BATCH_HEADER_SIZE), 0);
  } finally {
    await fh.close();
  }
}
