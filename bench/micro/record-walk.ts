/**
 * Micro-benchmark of the produce path's per-record walk (validateRecordFraming) over an
 * uncompressed batch of 100-byte records, the scenario-2 shape. Prints ns per record and
 * the number of young-generation GCs during the timed loop (a proxy for per-record
 * allocation). Run: `npx node bench/micro/record-walk.ts [records-per-batch] [iterations]`.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { RecordBatchView } from '../../src/protocol/records/batch.ts';
import { buildRecordBatch } from '../../src/protocol/records/builder.ts';
import { validateRecordFraming } from '../../src/protocol/records/record.ts';

const perBatch = Number(process.argv[2] ?? 10_000);
const iterations = Number(process.argv[3] ?? 300);
const value = Buffer.alloc(100, 0x61);
const view = new RecordBatchView(await buildRecordBatch({ records: Array.from({ length: perBatch }, () => ({ value })) }));

let gcs = 0;
const observer = new PerformanceObserver((list) => { gcs += list.getEntries().length; });
for (let i = 0; i < 50; i++) await validateRecordFraming(view); // warm up the optimizer
observer.observe({ entryTypes: ['gc'] });
const cpuBefore = process.cpuUsage();
for (let i = 0; i < iterations; i++) await validateRecordFraming(view);
const cpu = process.cpuUsage(cpuBefore);
await new Promise((resolve) => setImmediate(resolve));
observer.disconnect();
const ns = ((cpu.user + cpu.system) * 1000) / (perBatch * iterations);
console.log(`${perBatch} records/batch x ${iterations}: ${ns.toFixed(1)} CPU ns/record, ${gcs} GCs`);
