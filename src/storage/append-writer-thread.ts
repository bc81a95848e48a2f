/**
 * The append-writer thread (see append-writer.ts): sleeps until the event loop publishes
 * jobs, writes each at its position with a blocking pwrite (this thread does nothing else,
 * so blocking here is its job), then posts how many it did and which failed.
 */
import { writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import {
  JOB_DATA_OFFSET,
  JOB_FD,
  JOB_FIELDS,
  JOB_LENGTH,
  JOB_POSITION,
  PUBLISHED,
  type AppendWriterMemory,
  type JobFailure,
  type PassResult,
} from './append-writer-layout.ts';

const { control, jobs, data } = workerData as AppendWriterMemory;
const slotMask = jobs.length / JOB_FIELDS - 1;
const port = parentPort!;

function writeJob(slot: number): void {
  const base = slot * JOB_FIELDS;
  const fd = jobs[base + JOB_FD];
  const position = jobs[base + JOB_POSITION];
  const offset = jobs[base + JOB_DATA_OFFSET];
  const length = jobs[base + JOB_LENGTH];
  let done = 0;
  // Synchronous on purpose: this thread exists to block in pwrite so the event loop never does.
  while (done < length) done += writeSync(fd, data, offset + done, length - done, position + done);
}

// Sequence numbers start at 0 (jobs may be published before this thread is running).
let next = 0;
for (;;) {
  Atomics.wait(control, PUBLISHED, next);
  const published = Atomics.load(control, PUBLISHED);
  let count = 0;
  let failures: JobFailure[] | null = null;
  for (; next !== published; next = (next + 1) | 0, count++) {
    try {
      writeJob(next & slotMask);
    } catch (err) {
      const { code, message } = err as NodeJS.ErrnoException;
      (failures ??= []).push({ index: count, code, message });
    }
  }
  const result: PassResult = failures === null ? count : { count, failures };
  port.postMessage(result);
}
