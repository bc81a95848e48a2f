/**
 * Producer state snapshot files, `<20-digit offset>.snapshot` in the partition dir, in
 * Kafka's format (storage/.../ProducerSnapshot.json, version 1; Kafka reads ours and we
 * read Kafka's). The offset in the name is the log offset the snapshot covers up to
 * (exclusive): replaying batches from that offset on top of it rebuilds the state.
 *
 * Byte layout (big-endian):
 *   0  int16   version (1)
 *   2  uint32  CRC32C of bytes [6, end)
 *   6  int32   entry count, then per producer (46 bytes):
 *        int64 producerId, int16 epoch, int32 lastSequence, int64 lastOffset,
 *        int32 offsetDelta (lastOffset - first offset of the last batch),
 *        int64 timestamp, int32 coordinatorEpoch, int64 currentTxnFirstOffset (-1 = none)
 *
 * Only the last batch per producer is kept (as in Kafka): after a restart a retry of that
 * batch is still recognised as a duplicate.
 *
 * Crash policy: written to `.tmp`, fsynced, renamed into place, directory fsynced; a file
 * that fails its CRC or does not parse is CorruptSnapshotError — the loader deletes it
 * and falls back to an older snapshot (or a replay from the log start).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { crc32c } from '../../protocol/crc32c.ts';
import {
  decodeProducerSnapshot, encodeProducerSnapshot, PRODUCER_SNAPSHOT_SCHEMA, type ProducerSnapshotProducerEntry,
} from '../../protocol/generated/records/producer-snapshot.ts';
import { Reader } from '../../protocol/reader.ts';
import { Writer } from '../../protocol/writer.ts';
import { writeFileAtomic } from '../file-io.ts';
import { offsetFileStem, parseOffsetFileName } from '../file-names.ts';
import { NO_OFFSET, ProducerStateEntry, batchMetadata } from './producer-state-entry.ts';

export const SNAPSHOT_SUFFIX = '.snapshot';
const SNAPSHOT_VERSION = PRODUCER_SNAPSHOT_SCHEMA.maxVersion;
const CRC_POSITION = 2;
const ENTRIES_POSITION = 6;

export class CorruptSnapshotError extends Error {
  override name = 'CorruptSnapshotError';
}

export function snapshotPath(dir: string, offset: number): string {
  return path.join(dir, offsetFileStem(offset) + SNAPSHOT_SUFFIX);
}

/** Offsets of the snapshot files in `dir`, ascending. */
export async function listSnapshotOffsets(dir: string): Promise<number[]> {
  const offsets: number[] = [];
  for (const name of await fs.readdir(dir)) {
    const offset = parseOffsetFileName(name, SNAPSHOT_SUFFIX);
    if (offset !== null) offsets.push(offset);
  }
  return offsets.sort((a, b) => a - b);
}

export function encodeSnapshot(entries: Iterable<ProducerStateEntry>): Buffer {
  const producerEntries: ProducerSnapshotProducerEntry[] = [];
  for (const e of entries) {
    producerEntries.push({
      producerId: e.producerId,
      epoch: e.producerEpoch,
      lastSequence: e.lastSeq,
      lastOffset: e.lastDataOffset,
      offsetDelta: e.lastOffsetDelta,
      timestamp: e.lastTimestamp,
      coordinatorEpoch: e.coordinatorEpoch,
      currentTxnFirstOffset: e.currentTxnFirstOffset,
    });
  }
  const w = new Writer();
  w.writeInt16(SNAPSHOT_VERSION);
  encodeProducerSnapshot(w, SNAPSHOT_VERSION, { crc: 0, producerEntries });
  const bytes = w.toBuffer();
  bytes.writeUInt32BE(crc32c(bytes.subarray(ENTRIES_POSITION)), CRC_POSITION);
  return bytes;
}

export function decodeSnapshot(bytes: Buffer): ProducerStateEntry[] {
  if (bytes.length < ENTRIES_POSITION) throw new CorruptSnapshotError(`snapshot of ${bytes.length} bytes is too short`);
  const version = bytes.readInt16BE(0);
  if (version !== SNAPSHOT_VERSION) throw new CorruptSnapshotError(`snapshot version ${version} is not ${SNAPSHOT_VERSION}`);
  const computed = crc32c(bytes.subarray(ENTRIES_POSITION));
  const stored = bytes.readUInt32BE(CRC_POSITION);
  if (computed !== stored) throw new CorruptSnapshotError(`snapshot CRC ${stored} does not match computed ${computed}`);
  let snapshot;
  try {
    const r = new Reader(bytes, CRC_POSITION);
    snapshot = decodeProducerSnapshot(r, SNAPSHOT_VERSION);
    if (r.remaining() !== 0) throw new Error(`${r.remaining()} bytes after the entries`);
  } catch (err) {
    throw new CorruptSnapshotError(`unreadable snapshot: ${(err as Error).message}`);
  }
  return snapshot.producerEntries.map(toEntry);
}

function toEntry(e: ProducerSnapshotProducerEntry): ProducerStateEntry {
  return new ProducerStateEntry({
    producerId: e.producerId,
    producerEpoch: e.epoch,
    coordinatorEpoch: e.coordinatorEpoch,
    lastTimestamp: e.timestamp,
    currentTxnFirstOffset: e.currentTxnFirstOffset,
    batches: e.lastOffset === NO_OFFSET ? [] : [batchMetadata(e.lastSequence, e.lastOffset, e.offsetDelta, e.timestamp)],
  });
}

export async function writeSnapshot(dir: string, offset: number, entries: Iterable<ProducerStateEntry>): Promise<void> {
  await writeFileAtomic(snapshotPath(dir, offset), encodeSnapshot(entries));
}

export async function readSnapshot(dir: string, offset: number): Promise<ProducerStateEntry[]> {
  return decodeSnapshot(await fs.readFile(snapshotPath(dir, offset)));
}
