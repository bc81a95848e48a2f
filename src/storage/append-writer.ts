/**
 * The append writer: one thread that issues the event loop's small log appends, many per
 * hand-off.
 *
 * Why: a FileHandle.write is one libuv pool job, and on a broker pinned to one core each
 * job costs two context switches and a contended pool mutex, ~40 µs per append against a
 * ~3 µs pwrite (docs/PERFORMANCE.md, "Per-request cost"). Here the loop copies each append
 * into a shared ring and, once per loop turn (setImmediate, after the poll phase has read
 * every ready socket), wakes the thread, which writes every job queued in that turn and
 * answers with one message. Writes larger than `maxJobBytes`, or that find the rings full,
 * go through FileHandle.write as before. A caller must not start another write at an
 * overlapping range of the same file before this one settles, nor close the file (log
 * segments write one append at a time and wait for it before closing).
 *
 * The thread is shared by every log in the process, like libuv's pool, and is referenced
 * only while writes are pending, so an idle broker's process can exit. If it dies, pending
 * writes fail and the next write starts a new one.
 */
import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import {
  CONTROL_WORDS,
  JOB_DATA_OFFSET,
  JOB_FD,
  JOB_FIELDS,
  JOB_LENGTH,
  JOB_POSITION,
  PUBLISHED,
  type AppendWriterMemory,
  type PassResult,
} from './append-writer-layout.ts';
import { writeAt } from './file-io.ts';

export interface AppendWriterLimits {
  /** Bytes of the shared data ring (the appends waiting for the thread). */
  readonly ringBytes: number;
  /** Jobs waiting for the thread at most; a power of two. */
  readonly jobSlots: number;
  /** Larger appends go through the libuv pool (their hand-off is a small part of them). */
  readonly maxJobBytes: number;
}

export const DEFAULT_APPEND_WRITER_LIMITS: AppendWriterLimits = {
  ringBytes: 8 * 1024 * 1024,
  jobSlots: 4096,
  maxJobBytes: 64 * 1024,
};

interface PendingJob {
  /** Held so the handle cannot be closed by garbage collection while the thread uses its fd. */
  readonly handle: FileHandle;
  /** Ring bytes this job holds, including any skipped at the ring's end before it. */
  readonly ringBytes: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/** One running thread with its shared memory and the jobs handed to it. */
class WriterThread {
  readonly memory: AppendWriterMemory;
  readonly worker: Worker;
  /** Jobs handed over or queued, oldest first; `head` is the oldest not yet answered. */
  readonly pending: PendingJob[] = [];
  head = 0;
  /** Sequence number of the next job (int32, wrapping like PUBLISHED). */
  nextSeq = 0;
  /** Where the next job's bytes go in the data ring, and the bytes held by pending jobs. */
  dataHead = 0;
  dataUsed = 0;
  publishScheduled = false;
  /** Jobs handed to the thread (published) and not answered yet. */
  unanswered = 0;

  constructor(limits: AppendWriterLimits, onResult: (result: PassResult) => void, onDeath: (err: Error) => void) {
    this.memory = {
      control: new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT)),
      jobs: new Float64Array(new SharedArrayBuffer(limits.jobSlots * JOB_FIELDS * Float64Array.BYTES_PER_ELEMENT)),
      data: new Uint8Array(new SharedArrayBuffer(limits.ringBytes)),
    };
    this.worker = new Worker(new URL('./append-writer-thread.ts', import.meta.url), { workerData: this.memory, name: 'gregor-append-writer' });
    this.worker.unref();
    this.worker.on('message', onResult);
    this.worker.on('error', onDeath);
    this.worker.on('exit', (code) => onDeath(new Error(`append-writer thread exited with code ${code}`)));
  }

  get waiting(): number {
    return this.pending.length - this.head;
  }
}

export class AppendWriter {
  readonly #limits: AppendWriterLimits;
  #thread: WriterThread | null = null;

  constructor(limits: AppendWriterLimits = DEFAULT_APPEND_WRITER_LIMITS) {
    if (limits.jobSlots & (limits.jobSlots - 1)) throw new Error(`jobSlots must be a power of two, not ${limits.jobSlots}`);
    this.#limits = limits;
  }

  /** Writes all of `data` at `position` of `fh`. */
  write(fh: FileHandle, data: Buffer, position: number): Promise<void> {
    if (data.length > this.#limits.maxJobBytes || data.length === 0) return writeAt(fh, data, position);
    const thread = (this.#thread ??= this.#startThread());
    // The thread is still on an earlier pass: on one core it finishes a pass before the loop
    // runs again, so it is blocked in the kernel (page allocation, the journal). Appends
    // queued behind it would all wait for that one write; the pool takes them meanwhile.
    if (thread.unanswered > 0) return writeAt(fh, data, position);
    const usedBefore = thread.dataUsed;
    const offset = this.#reserve(thread, data.length);
    if (offset === null) return writeAt(fh, data, position);
    thread.memory.data.set(data, offset);
    const base = (thread.nextSeq & (this.#limits.jobSlots - 1)) * JOB_FIELDS;
    const { jobs } = thread.memory;
    jobs[base + JOB_FD] = fh.fd;
    jobs[base + JOB_POSITION] = position;
    jobs[base + JOB_DATA_OFFSET] = offset;
    jobs[base + JOB_LENGTH] = data.length;
    thread.nextSeq = (thread.nextSeq + 1) | 0;
    if (thread.waiting === 0) thread.worker.ref();
    const ringBytes = thread.dataUsed - usedBefore;
    return new Promise<void>((resolve, reject) => {
      thread.pending.push({ handle: fh, ringBytes, resolve, reject });
      this.#schedulePublish(thread);
    });
  }

  /** Takes `length` contiguous ring bytes (and a job slot); null when either is full. */
  #reserve(thread: WriterThread, length: number): number | null {
    const { ringBytes, jobSlots } = this.#limits;
    if (thread.waiting >= jobSlots) return null;
    // Bytes that do not fit before the ring's end go to its start; the end stays unused.
    const wraps = thread.dataHead + length > ringBytes;
    const skip = wraps ? ringBytes - thread.dataHead : 0;
    if (thread.dataUsed + skip + length > ringBytes) return null;
    const offset = wraps ? 0 : thread.dataHead;
    thread.dataHead = offset + length;
    thread.dataUsed += skip + length;
    return offset;
  }

  /** Hands this turn's jobs to the thread once, after the poll phase (see the header). */
  #schedulePublish(thread: WriterThread): void {
    if (thread.publishScheduled) return;
    thread.publishScheduled = true;
    setImmediate(() => {
      thread.publishScheduled = false;
      thread.unanswered = thread.waiting;
      Atomics.store(thread.memory.control, PUBLISHED, thread.nextSeq);
      Atomics.notify(thread.memory.control, PUBLISHED);
    });
  }

  #startThread(): WriterThread {
    const thread: WriterThread = new WriterThread(
      this.#limits,
      (result) => this.#settle(thread, result),
      (err) => this.#lose(thread, err),
    );
    return thread;
  }

  /** Answers the oldest `count` jobs, rejecting those the thread reports failed. */
  #settle(thread: WriterThread, result: PassResult): void {
    const count = typeof result === 'number' ? result : result.count;
    const failed = new Map(typeof result === 'number' ? [] : result.failures.map((f) => [f.index, f]));
    thread.unanswered -= count;
    for (let i = 0; i < count; i++) {
      const job = thread.pending[thread.head];
      thread.head++;
      thread.dataUsed -= job.ringBytes;
      const failure = failed.get(i);
      if (failure === undefined) job.resolve();
      else job.reject(Object.assign(new Error(failure.message), { code: failure.code }));
    }
    if (thread.waiting === 0) {
      thread.pending.length = 0;
      thread.head = 0;
      thread.worker.unref();
    } else if (thread.head > 1024) {
      thread.pending.splice(0, thread.head);
      thread.head = 0;
    }
  }

  /** The thread died: its pending writes fail; the next write starts a new thread. */
  #lose(thread: WriterThread, err: Error): void {
    if (this.#thread === thread) this.#thread = null;
    for (let i = thread.head; i < thread.pending.length; i++) thread.pending[i].reject(err);
    thread.pending.length = 0;
    thread.head = 0;
  }
}

/** The process's append writer (one thread, shared like libuv's pool). */
export const appendWriter = new AppendWriter();
