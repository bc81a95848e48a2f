/**
 * fdatasync latency when several partitions fsync at once, as scenario 4 (flush.messages=1,
 * 16 partitions) makes them: `files` concurrent chains, each appending 1 KiB and then
 * fdatasync-ing its own file, through the libuv pool, for `seconds`. Prints the fdatasync
 * latency percentiles over all chains (the bench's ceiling measures one chain).
 *
 *   taskset -c 0 npx node bench/micro/fsync-concurrency.ts 16 5
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const RECORD = Buffer.alloc(1024, 1);

async function main(): Promise<void> {
  const files = Number(process.argv[2] ?? 16);
  const seconds = Number(process.argv[3] ?? 5);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-fsync-'));
  const handles = await Promise.all(Array.from({ length: files }, (_, i) => fs.open(path.join(dir, `f${i}`), 'w+')));
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  await Promise.all(handles.map(async (fh) => {
    for (let position = 0; performance.now() < end; position += RECORD.length) {
      await fh.write(RECORD, 0, RECORD.length, position);
      const start = performance.now();
      await fh.datasync();
      latencies.push(performance.now() - start);
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number): string => latencies[Math.floor(q * (latencies.length - 1))].toFixed(2);
  console.log(`${files} files: ${latencies.length} fdatasyncs, p50 ${at(0.5)} / p99 ${at(0.99)} / p99.9 ${at(0.999)} / max ${at(1)} ms`);
  await Promise.all(handles.map((fh) => fh.close()));
  await fs.rm(dir, { recursive: true });
}

await main();
