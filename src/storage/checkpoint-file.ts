/**
 * Kafka's text checkpoint format, shared by recovery-point-offset-checkpoint,
 * log-start-offset-checkpoint and leader-epoch-checkpoint:
 *
 *   <version>\n
 *   <entry count>\n
 *   <entry fields separated by single spaces>\n   (count times)
 *
 * Crash policy: written atomically (tmp -> fsync -> rename -> fsync dir, file-io.ts), so a
 * reader sees the old or the new file whole. A malformed file throws CheckpointError.
 */
import { readFileIfExists, writeFileAtomic } from './file-io.ts';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export function formatCheckpoint(version: number, lines: readonly string[]): string {
  return `${version}\n${lines.length}\n${lines.map((line) => `${line}\n`).join('')}`;
}

/** Entries' fields of a checkpoint text, checking the version and the count. */
export function parseCheckpoint(text: string, version: number, fieldCount: number, file: string): string[][] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length < 2 || Number(lines[0]) !== version || lines[0].trim() !== String(version)) {
    throw new CheckpointError(`${file}: unrecognised version line "${lines[0] ?? ''}"`);
  }
  const count = Number(lines[1]);
  if (!Number.isSafeInteger(count) || count < 0 || count !== lines.length - 2) {
    throw new CheckpointError(`${file}: expected ${lines[1]} entries, found ${lines.length - 2}`);
  }
  return lines.slice(2).map((line) => {
    const fields = line.split(' ');
    if (fields.length !== fieldCount) throw new CheckpointError(`${file}: malformed line "${line}"`);
    return fields;
  });
}

/** A non-negative or -1 integer field of a checkpoint line. */
export function parseCheckpointNumber(field: string, file: string): number {
  const value = Number(field);
  if (!/^-?\d+$/.test(field) || !Number.isSafeInteger(value)) throw new CheckpointError(`${file}: bad number "${field}"`);
  return value;
}

export async function readCheckpoint(file: string, version: number, fieldCount: number): Promise<string[][] | null> {
  const bytes = await readFileIfExists(file);
  return bytes === null ? null : parseCheckpoint(bytes.toString('utf8'), version, fieldCount, file);
}

export async function writeCheckpoint(file: string, version: number, lines: readonly string[]): Promise<void> {
  await writeFileAtomic(file, formatCheckpoint(version, lines));
}
