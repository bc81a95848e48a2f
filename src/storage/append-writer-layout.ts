/**
 * The memory the event loop shares with the append-writer thread (append-writer.ts,
 * append-writer-thread.ts): a control word array, a ring of job slots and a ring of bytes.
 *
 * control (Int32Array): [PUBLISHED] the sequence number after the last job the loop has
 * handed over (int32, wrapping); the thread sleeps on it with Atomics.wait.
 * jobs (Float64Array): JOB_FIELDS numbers per slot; job `seq` lives in slot
 * `seq & (slots - 1)` (slots is a power of two): fd, file position, offset of its bytes in
 * the data ring, byte count.
 */
export const PUBLISHED = 0;
export const CONTROL_WORDS = 1;

export const JOB_FD = 0;
export const JOB_POSITION = 1;
export const JOB_DATA_OFFSET = 2;
export const JOB_LENGTH = 3;
export const JOB_FIELDS = 4;

export interface AppendWriterMemory {
  readonly control: Int32Array;
  readonly jobs: Float64Array;
  readonly data: Uint8Array;
}

/** What the thread posts back after each pass: jobs done, and which of them failed. */
export type PassResult = number | { readonly count: number; readonly failures: readonly JobFailure[] };

export interface JobFailure {
  /** Index of the failed job within the pass. */
  readonly index: number;
  readonly code: string | undefined;
  readonly message: string;
}
