/**
 * CPU per small log append handed off the event loop: FileHandle.write (one libuv pool job
 * per append, what Gregor did before) against the append writer (src/storage/append-writer.ts:
 * one hand-off to its thread per loop turn). `chains` concurrent chains each append 1 KiB
 * records one at a time to a file of their own (as that many partitions with a Produce in
 * flight each would), `total` appends in all. CPU is the whole process's (every thread,
 * from /proc), so the thread hand-offs count wherever they land.
 *
 *   taskset -c 0 npx node bench/micro/append-handoff.ts pool 100 100000
 *   taskset -c 0 npx node bench/micro/append-handoff.ts writer 100 100000
 */
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AppendWriter } from '../../src/storage/append-writer.ts';
import { writeAt } from '../../src/storage/file-io.ts';

const RECORD = Buffer.alloc(1024, 7);

/** User + system CPU seconds of every thread of this process. */
function processCpuSeconds(): number {
  let ticks = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    // Fields after "(comm) ": utime and stime are the 12th and 13th (proc(5) fields 14, 15).
    const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

async function main(): Promise<void> {
  const [mode, chainsArg = '100', totalArg = '100000'] = process.argv.slice(2);
  if (mode !== 'pool' && mode !== 'writer') throw new Error('usage: append-handoff.ts pool|writer [chains] [total]');
  const chains = Number(chainsArg);
  let left = Number(totalArg);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-handoff-'));
  const files = await Promise.all(Array.from({ length: chains }, (_, i) => fs.open(path.join(dir, `f${i}`), 'w+')));
  const writer = new AppendWriter();
  const append = (i: number, position: number): Promise<void> =>
    mode === 'pool' ? writeAt(files[i], RECORD, position) : writer.write(files[i], RECORD, position);
  await writer.write(files[0], RECORD, 0); // the thread is running before the clock starts
  const cpuBefore = processCpuSeconds();
  const start = performance.now();
  await Promise.all(files.map(async (_, i) => {
    for (let position = 0; left-- > 0; position += RECORD.length) await append(i, position);
  }));
  const seconds = (performance.now() - start) / 1000;
  const cpuPerAppendUs = ((processCpuSeconds() - cpuBefore) / Number(totalArg)) * 1e6;
  console.log(`${mode}, ${chains} chains: ${cpuPerAppendUs.toFixed(1)} µs CPU per append, ${Math.round(Number(totalArg) / seconds)} appends/s`);
  await Promise.all(files.map((f) => f.close()));
  await fs.rm(dir, { recursive: true });
}

await main();
