/**
 * Durable producer-id blocks (the single-node stand-in for the controller's
 * AllocateProducerIds / ProducerIdsRecord): the next unallocated producer id is kept in
 * one small file, and a block is handed out only after the file says it is taken, so no
 * id is ever handed out twice, across restarts and crashes (ids of a block that was not
 * used up before a stop are skipped, as in Kafka).
 *
 * File `producer-id-block.json` (in the metadata dir): {"version":0,"nextProducerId":N}.
 * Crash policy: replaced atomically (tmp, fsync, rename, fsync dir); a missing file
 * means no block was ever allocated; an unreadable one is an error at start (guessing
 * could reuse ids).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomically } from '../../cluster/atomic-write.ts';

export const PRODUCER_ID_BLOCK_FILE = 'producer-id-block.json';
/** Kafka's ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE. */
export const PRODUCER_ID_BLOCK_SIZE = 1000;
const FILE_VERSION = 0;

export interface ProducerIdBlock {
  readonly firstProducerId: number;
  readonly size: number;
}

/** Where producer-id blocks come from (a file here; the controller in a cluster). */
export interface ProducerIdBlockSource {
  allocateBlock(): Promise<ProducerIdBlock>;
}

export class FileProducerIdBlockStore implements ProducerIdBlockSource {
  readonly #path: string;
  readonly #blockSize: number;
  #next: number;
  /** Allocations run one at a time. */
  #tail: Promise<unknown> = Promise.resolve();

  private constructor(path: string, next: number, blockSize: number) {
    this.#path = path;
    this.#next = next;
    this.#blockSize = blockSize;
  }

  static async open(dir: string, blockSize = PRODUCER_ID_BLOCK_SIZE): Promise<FileProducerIdBlockStore> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, PRODUCER_ID_BLOCK_FILE);
    return new FileProducerIdBlockStore(path, await readNext(path), blockSize);
  }

  allocateBlock(): Promise<ProducerIdBlock> {
    const run = this.#tail.then(async () => {
      const block = { firstProducerId: this.#next, size: this.#blockSize };
      const next = block.firstProducerId + block.size;
      if (!Number.isSafeInteger(next)) throw new Error('producer ids exhausted');
      await writeFileAtomically(this.#path, JSON.stringify({ version: FILE_VERSION, nextProducerId: next }));
      this.#next = next;
      return block;
    });
    this.#tail = run.catch(() => {});
    return run;
  }
}

async function readNext(path: string): Promise<number> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const parsed = JSON.parse(text) as { version?: unknown; nextProducerId?: unknown };
  if (parsed.version !== FILE_VERSION || !Number.isSafeInteger(parsed.nextProducerId) || (parsed.nextProducerId as number) < 0) {
    throw new Error(`${path}: unreadable producer id block file`);
  }
  return parsed.nextProducerId as number;
}
