// The Node-client view: a kafkajs producer at max rate, run as its own process on the
// load-generator core. kafkajs has no linger, so the application batches: SEND_RECORDS
// records per send() (about 1 MiB of 1 KiB records), SENDS_IN_FLIGHT sends outstanding.
// Usage: kafkajs-producer.ts <bootstrap> <topic> <seconds> <recordBytes>
// Prints {"records","bytes","seconds","latencyUs":[...per-send latency, one per record batch]}
// as one JSON line; latency is per send() call (all records of a send share it).
import { Kafka, logLevel, Partitioners } from 'kafkajs';

const SEND_RECORDS = 1000;
const SENDS_IN_FLIGHT = 8;

const [bootstrap, topic, secondsArg, recordBytesArg] = process.argv.slice(2);
const seconds = Number(secondsArg);
const value = Buffer.alloc(Number(recordBytesArg), 0x6b);
const messages = Array.from({ length: SEND_RECORDS }, () => ({ value }));

const producer = new Kafka({ brokers: [bootstrap], clientId: 'gregor-bench-kafkajs', logLevel: logLevel.NOTHING })
  .producer({ createPartitioner: Partitioners.DefaultPartitioner, maxInFlightRequests: SENDS_IN_FLIGHT });
await producer.connect();

let records = 0;
const latencyUs: number[] = [];
const start = performance.now();
const deadline = start + seconds * 1000;

async function sender(): Promise<void> {
  while (performance.now() < deadline) {
    const sent = performance.now();
    await producer.send({ topic, acks: 1, messages });
    latencyUs.push(Math.round((performance.now() - sent) * 1000));
    records += SEND_RECORDS;
  }
}

await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, sender));
const elapsed = (performance.now() - start) / 1000;
await producer.disconnect();
console.log(JSON.stringify({ records, bytes: records * value.length, seconds: elapsed, latencyUs }));
