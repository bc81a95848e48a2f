/**
 * `gregor consume <topic>`: prints record values one per line, like
 * kafka-console-consumer without a group. The start is the latest offset unless
 * --from-beginning, --offset (with --partition) or --timestamp says otherwise. It stops
 * after --max-messages records, when --timeout-ms passes without a new record, or on
 * SIGINT/SIGTERM, then prints "Processed a total of N messages" on stderr.
 */
import { once } from 'node:events';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CONSUMER_DEFAULTS, PartitionConsumer, recordsOf } from '../client/consumer.ts';
import type { TopicMetadata } from '../client/cluster-metadata.ts';
import { throwIfError } from '../client/kafka-error.ts';
import type { KafkaClient } from '../client/kafka-client.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../client/offsets.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { integer } from '../options.ts';
import { formatRecord } from './record-format.ts';
import type { RecordFormat } from './record-format.ts';

interface ConsumeOptions extends BootstrapOptions {
  partition?: number;
  fromBeginning?: boolean;
  offset?: number;
  timestamp?: number;
  maxMessages?: number;
  timeoutMs?: number;
  printTimestamp?: boolean;
  printKey?: boolean;
  printHeaders?: boolean;
  printOffset?: boolean;
  printPartition?: boolean;
  keySeparator: string;
}

export function registerConsume(program: Command): void {
  withBootstrapOption(program.command('consume <topic>').description('print records of a topic, one value per line'))
    .option('--partition <n>', 'read only this partition', integer(0, 2 ** 31 - 1))
    .addOption(new Option('--from-beginning', 'start at the earliest offset').conflicts(['offset', 'timestamp']))
    .addOption(new Option('--offset <n>', 'start at this offset (needs --partition)').argParser(integer(0))
      .conflicts('timestamp'))
    .option('--timestamp <ms>', 'start at the first record with a timestamp at or after <ms>', integer(0))
    .option('--max-messages <n>', 'exit after this many records', integer(1))
    .option('--timeout-ms <n>', 'exit when no record arrived for this long', integer(0))
    .option('--print-timestamp', 'print timestamps (CreateTime:ms or LogAppendTime:ms)')
    .option('--print-key', 'print keys')
    .option('--print-headers', 'print headers')
    .option('--print-offset', 'print offsets')
    .option('--print-partition', 'print partitions')
    .option('--key-separator <sep>', 'separator between printed fields', '\t')
    .action((topic: string, opts: ConsumeOptions) => withClient(opts, (client) => runConsume(client, topic, opts)));
}

async function runConsume(client: KafkaClient, topicName: string, opts: ConsumeOptions): Promise<void> {
  if (opts.offset !== undefined && opts.partition === undefined) throw new Error('--offset needs --partition');
  const topic = await findTopic(client, topicName);
  const partitions = opts.partition === undefined ? topic.partitions.map((p) => p.partition) : [opts.partition];
  if (!partitions.every((p) => topic.partitions.some((tp) => tp.partition === p))) {
    throw new Error(`topic '${topicName}' has no partition ${opts.partition} (it has ${topic.partitions.length})`);
  }
  const consumer = new PartitionConsumer(client, topic, await startOffsets(client, topic, partitions, opts), {
    maxWaitMs: Math.min(CONSUMER_DEFAULTS.maxWaitMs, opts.timeoutMs ?? Infinity),
  });
  const count = await printRecords(consumer, opts);
  process.stderr.write(`Processed a total of ${count} messages\n`);
}

async function findTopic(client: KafkaClient, name: string): Promise<TopicMetadata> {
  const metadata = await client.metadata([name]);
  const topic = metadata.topics.find((t) => t.name === name);
  if (topic === undefined) throw new Error(`metadata has no entry for topic '${name}'`);
  throwIfError(topic.errorCode, `topic '${name}'`);
  return topic;
}

function startOffsets(client: KafkaClient, topic: TopicMetadata, partitions: number[],
  opts: ConsumeOptions): Promise<Map<number, number>> {
  if (opts.offset !== undefined) return Promise.resolve(new Map(partitions.map((p) => [p, opts.offset as number])));
  const timestamp = opts.fromBeginning === true ? EARLIEST_TIMESTAMP : (opts.timestamp ?? LATEST_TIMESTAMP);
  return listOffsets(client, topic, partitions, timestamp);
}

/** The fetch loop; returns how many records it printed. */
async function printRecords(consumer: PartitionConsumer, opts: ConsumeOptions): Promise<number> {
  const format: RecordFormat = {
    printTimestamp: opts.printTimestamp === true,
    printKey: opts.printKey === true,
    printHeaders: opts.printHeaders === true,
    printOffset: opts.printOffset === true,
    printPartition: opts.printPartition === true,
    keySeparator: opts.keySeparator,
  };
  const maxMessages = opts.maxMessages ?? Infinity;
  exitQuietlyOnClosedStdout();
  const stop = stopSignal();
  let count = 0;
  let lastRecordAt = Date.now();
  while (count < maxMessages && !stop.requested) {
    const batches = await consumer.poll();
    for (const batch of batches) {
      if (count >= maxMessages) break;
      const records = (await recordsOf(batch)).slice(0, maxMessages - count);
      count += records.length;
      await write(records.map((r) => `${formatRecord(r, format)}\n`).join(''));
    }
    if (batches.length > 0) lastRecordAt = Date.now();
    else if (opts.timeoutMs !== undefined && Date.now() - lastRecordAt >= opts.timeoutMs) break;
  }
  stop.dispose();
  return count;
}

/** A reader that went away (`gregor consume t | head -1`) ends the command quietly, as in Kafka's tool. */
function exitQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    process.exit(0);
  });
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** SIGINT/SIGTERM end the loop after the current fetch instead of killing the process. */
function stopSignal(): { requested: boolean; dispose(): void } {
  const state = {
    requested: false,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
  const onSignal = (): void => {
    state.requested = true;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return state;
}
