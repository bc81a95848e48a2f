/**
 * The per-log-dir offset checkpoints (Kafka's OffsetCheckpointFile):
 * `recovery-point-offset-checkpoint` and `log-start-offset-checkpoint`, checkpoint format
 * version 0 (checkpoint-file.ts) with lines "<topic> <partition> <offset>".
 * Crash policy: atomic rewrite; a missing file means "no entries".
 */
import path from 'node:path';
import { parseCheckpointNumber, readCheckpoint, writeCheckpoint } from './checkpoint-file.ts';

export const RECOVERY_POINT_CHECKPOINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_OFFSET_CHECKPOINT_FILE = 'log-start-offset-checkpoint';

const VERSION = 0;

/** "<topic>-<partition>" -> offset. */
export type OffsetsByPartition = Map<string, number>;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

export async function readOffsetCheckpoint(logDir: string, name: string): Promise<OffsetsByPartition> {
  const file = path.join(logDir, name);
  const rows = (await readCheckpoint(file, VERSION, 3)) ?? [];
  const offsets: OffsetsByPartition = new Map();
  for (const [topic, partition, offset] of rows) {
    offsets.set(partitionKey(topic, parseCheckpointNumber(partition, file)), parseCheckpointNumber(offset, file));
  }
  return offsets;
}

export interface CheckpointEntry {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

export async function writeOffsetCheckpoint(logDir: string, name: string, entries: readonly CheckpointEntry[]): Promise<void> {
  await writeCheckpoint(path.join(logDir, name), VERSION, entries.map((e) => `${e.topic} ${e.partition} ${e.offset}`));
}
