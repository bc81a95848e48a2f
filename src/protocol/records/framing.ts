/**
 * Cutting a records buffer into batches by their length prefix (baseOffset int64 +
 * batchLength int32, the same framing for v2 batches and v0/v1 messages). Reads only
 * the 12-byte log overhead and the magic byte.
 */
import { BATCH_LENGTH_OFFSET, LOG_OVERHEAD, MAGIC_OFFSET } from './batch-layout.ts';

/** Kafka's smallest legal entry after the log overhead (a v0 message with null key and
 * value); anything shorter cannot be a batch or message (LegacyRecord.RECORD_OVERHEAD_V0). */
export const MIN_ENTRY_LENGTH = 14;

export type Frame =
  | { kind: 'entry'; start: number; end: number; magic: number }
  | { kind: 'truncated'; start: number }
  | { kind: 'corrupt'; start: number; message: string };

/** The entry starting at `start`, or why there is none. */
export function frameAt(buf: Buffer, start: number): Frame {
  if (buf.length - start < MAGIC_OFFSET + 1) return { kind: 'truncated', start };
  const length = buf.readInt32BE(start + BATCH_LENGTH_OFFSET);
  if (length < MIN_ENTRY_LENGTH) {
    return { kind: 'corrupt', start, message: `record batch size ${length} is less than the minimum ${MIN_ENTRY_LENGTH}` };
  }
  const end = start + LOG_OVERHEAD + length;
  if (end > buf.length) return { kind: 'truncated', start };
  return { kind: 'entry', start, end, magic: buf.readInt8(start + MAGIC_OFFSET) };
}

/** Magic of the first entry (to route v0/v1 message sets to legacy.ts), or null when the
 * buffer is too short to tell. */
export function firstMagic(buf: Buffer): number | null {
  return buf.length > MAGIC_OFFSET ? buf.readInt8(MAGIC_OFFSET) : null;
}
