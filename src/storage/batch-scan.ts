/**
 * Sequential scan of the batches in a range of a .log file using large reads (one read per
 * window, not per batch), optionally validating each batch (size, magic, offsets, CRC32C).
 * Used by recovery and index rebuild, where a 1 GB segment must take seconds.
 */
import type { FileHandle } from 'node:fs/promises';
import { RECORD_BATCH_HEADER_SIZE } from '../protocol/records/batch-layout.ts';
import { batchDefect, readBatchHeader, type BatchHeader } from './batch-header.ts';
import { readAt, readInto } from './file-io.ts';

/** Read size of one scan window. */
export const SCAN_WINDOW_BYTES = 8 * 1024 * 1024;

export interface ScanOptions {
  /** Validate magic, offsets and CRC of every batch (recovery) or trust them (rebuild). */
  readonly verify: boolean;
  /** Hand each batch's bytes to the visitor even without verifying. */
  readonly wantBytes?: boolean;
  /** Batches must start at or above this offset (the segment's base offset). */
  readonly minBaseOffset: number;
  readonly windowBytes?: number;
}

export interface ScanResult {
  /** Position just past the last good batch visited (at the stopping batch if stopped). */
  readonly validEnd: number;
  /** Why the scan stopped before `end`, or null. */
  readonly defect: string | null;
}

/**
 * Visitor: gets each good batch's header (file position) and, when verifying or asked, its
 * bytes (a view valid only during the call). Returning false stops the scan there.
 */
export type BatchVisitor = (header: BatchHeader, bytes: Buffer | null) => boolean | void;

export async function scanBatches(fh: FileHandle, start: number, end: number, opts: ScanOptions, visit: BatchVisitor): Promise<ScanResult> {
  const window = Buffer.allocUnsafe(Math.max(RECORD_BATCH_HEADER_SIZE, Math.min(opts.windowBytes ?? SCAN_WINDOW_BYTES, end - start)));
  let winStart = start;
  let winLen = 0;
  let minBase = opts.minBaseOffset;
  let pos = start;
  while (pos < end) {
    if (pos + RECORD_BATCH_HEADER_SIZE > winStart + winLen) {
      winStart = pos;
      winLen = await readInto(fh, window, Math.min(window.length, end - pos), pos);
      if (winLen < RECORD_BATCH_HEADER_SIZE) return { validEnd: pos, defect: 'truncated batch header' };
    }
    const header = readBatchHeader(window, pos - winStart, pos)!;
    const framing = framingDefect(header, end, minBase);
    if (framing !== null) return { validEnd: pos, defect: framing };
    let bytes: Buffer | null = null;
    if (opts.verify || opts.wantBytes === true) bytes = await batchBytes(fh, window, winStart, winLen, header);
    if (opts.verify) {
      const defect = batchDefect(bytes!, header, minBase);
      if (defect !== null) return { validEnd: pos, defect };
    }
    if (visit(header, bytes) === false) return { validEnd: pos, defect: null };
    minBase = header.lastOffset + 1;
    pos += header.sizeInBytes;
  }
  return { validEnd: pos, defect: null };
}

function framingDefect(header: BatchHeader, end: number, minBase: number): string | null {
  if (header.sizeInBytes < RECORD_BATCH_HEADER_SIZE) return `batch size ${header.sizeInBytes} below header size`;
  if (header.position + header.sizeInBytes > end) return 'batch extends past end of file';
  if (header.baseOffset < minBase || header.lastOffset < header.baseOffset) return `offsets out of order at ${header.baseOffset}`;
  return null;
}

/** The batch's bytes: a view of the window when it is inside, else a read of its own. */
async function batchBytes(fh: FileHandle, window: Buffer, winStart: number, winLen: number, header: BatchHeader): Promise<Buffer> {
  const rel = header.position - winStart;
  if (rel + header.sizeInBytes <= winLen) return window.subarray(rel, rel + header.sizeInBytes);
  return readAt(fh, header.position, header.sizeInBytes);
}
