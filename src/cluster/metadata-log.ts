/**
 * MetadataLogFile: the append-only file of the embedded metadata store.
 *
 * Layout: one record per line, `<crc> <json>\n`, where <crc> is the CRC32C of the UTF-8
 * JSON text as 8 lower-case hex digits. Lines are only ever appended, each followed by an
 * fsync before the change is acknowledged.
 *
 * Crash policy: a crash can only tear the last line (appends are sequential). On open, a
 * last line that is unterminated or fails its CRC/JSON check is dropped and the file is
 * truncated to the end of the last good line. A bad line anywhere else is corruption and
 * opening fails, because silently dropping acknowledged metadata would be worse.
 * A failed append sticks: the file refuses further appends until reopened.
 * Compaction: `rewrite` replaces the whole file atomically (tmp, fsync, rename, fsync dir).
 */
import { open, readFile, truncate } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32c } from '../protocol/crc32c.ts';
import { fsyncDirectory, writeFileAtomically } from './atomic-write.ts';
import { isMetadataRecord } from './metadata-records.ts';
import type { MetadataRecord } from './metadata-records.ts';

/** Largest accepted line; a larger one is treated as corrupt. */
export const METADATA_LINE_BYTES_MAX = 64 * 1024 * 1024;

export interface LoadedMetadataLog {
  readonly records: MetadataRecord[];
  /** True when a torn last line was dropped. */
  readonly truncatedTornTail: boolean;
}

export class MetadataLogFile {
  readonly path: string;
  #handle: FileHandle;
  #failure: Error | null = null;

  private constructor(path: string, handle: FileHandle) {
    this.path = path;
    this.#handle = handle;
  }

  /** Reads all records (dropping a torn tail), then opens the file for appends. */
  static async open(path: string): Promise<{ log: MetadataLogFile; loaded: LoadedMetadataLog }> {
    const loaded = await readAndRepair(path);
    const handle = await open(path, 'a');
    // The file may have just been created: make its directory entry durable too.
    await fsyncDirectory(dirname(path)).catch(async (err: unknown) => {
      await handle.close();
      throw err;
    });
    return { log: new MetadataLogFile(path, handle), loaded };
  }

  /**
   * Atomically replaces the file with `records` (used to compact the log into a snapshot
   * of the current image) and opens it for appends.
   */
  static async rewrite(path: string, records: readonly MetadataRecord[]): Promise<MetadataLogFile> {
    await writeFileAtomically(path, records.map(encodeLine).join(''));
    return new MetadataLogFile(path, await open(path, 'a'));
  }

  /** Appends one record and fsyncs it. */
  async append(record: MetadataRecord): Promise<void> {
    if (this.#failure !== null) throw this.#failure;
    try {
      await this.#handle.write(encodeLine(record));
      await this.#handle.sync();
    } catch (err) {
      this.#failure = err instanceof Error ? err : new Error(String(err));
      throw this.#failure;
    }
  }

  async close(): Promise<void> {
    await this.#handle.close();
  }
}

export function encodeLine(record: MetadataRecord): string {
  const json = JSON.stringify(record);
  const crc = crc32c(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0');
  return `${crc} ${json}\n`;
}

/** Decodes one line (without its newline); null when damaged. */
export function decodeLine(line: string): MetadataRecord | null {
  const match = /^([0-9a-f]{8}) (.*)$/s.exec(line);
  if (match === null || Buffer.byteLength(line) > METADATA_LINE_BYTES_MAX) return null;
  if (crc32c(Buffer.from(match[2], 'utf8')) !== parseInt(match[1], 16)) return null;
  try {
    const value: unknown = JSON.parse(match[2]);
    return isMetadataRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** Start-up only (before serving), so reading the whole file at once is acceptable. */
async function readAndRepair(path: string): Promise<LoadedMetadataLog> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], truncatedTornTail: false };
    throw err;
  }
  const lines = text.split('\n');
  const tail = lines.pop() ?? ''; // text after the last newline: '' unless torn
  const records: MetadataRecord[] = [];
  let goodBytes = 0;
  for (let i = 0; i < lines.length; i++) {
    const record = decodeLine(lines[i]);
    if (record === null) {
      if (i === lines.length - 1 && tail === '') return repair(path, records, goodBytes);
      throw new Error(`${path}: metadata record ${i + 1} is corrupt (not the last one, so not a torn write)`);
    }
    records.push(record);
    goodBytes += Buffer.byteLength(lines[i]) + 1;
  }
  if (tail !== '') return repair(path, records, goodBytes);
  return { records, truncatedTornTail: false };
}

async function repair(path: string, records: MetadataRecord[], goodBytes: number): Promise<LoadedMetadataLog> {
  await truncate(path, goodBytes);
  return { records, truncatedTornTail: true };
}
