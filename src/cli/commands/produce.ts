/**
 * `gregor produce <topic>`: each line of stdin becomes one record, like
 * kafka-console-producer. With --key-separator the text before the first separator is
 * the key and the rest the value; a line without the separator (or no --key-separator)
 * has a null key. Every --header is added to every record. Records are batched per
 * partition (see client/producer.ts) and partitioned like Kafka's default partitioner.
 * A failed batch is reported on stderr with Kafka's error name; the exit code is 1 when
 * any record was not acknowledged.
 */
import { createInterface } from 'node:readline';
import { Option } from 'commander';
import type { Command } from 'commander';
import { CompressionType } from '../../protocol/records/batch-layout.ts';
import type { RecordInput } from '../../protocol/records/builder.ts';
import { Producer } from '../client/producer.ts';
import type { BatchFailure } from '../client/producer.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { collectKeyValue, integer } from '../options.ts';

type CompressionName = keyof typeof CompressionType;

interface ProduceOptions extends BootstrapOptions {
  keySeparator?: string;
  partition?: number;
  compression: CompressionName;
  acks: '0' | '1' | '-1' | 'all';
  header: [string, string][];
}

export function registerProduce(program: Command): void {
  withBootstrapOption(program.command('produce <topic>').description('send the lines of stdin as records'))
    .option('--key-separator <sep>', 'split each line into key and value at the first <sep>')
    .option('--partition <n>', 'send every record to this partition', integer(0, 2 ** 31 - 1))
    .addOption(new Option('--compression <codec>', 'compression codec')
      .choices(Object.keys(CompressionType)).default('none'))
    .addOption(new Option('--acks <acks>', 'acknowledgements to wait for').choices(['0', '1', '-1', 'all']).default('-1'))
    .option('--header <key=value>', 'header added to every record (repeatable)', collectKeyValue, [])
    .action((topic: string, opts: ProduceOptions) => runProduce(topic, opts));
}

async function runProduce(topic: string, opts: ProduceOptions): Promise<void> {
  const summary = await withClient(opts, async (client) => {
    const producer = await Producer.create(client, {
      topic,
      partition: opts.partition ?? null,
      acks: opts.acks === 'all' ? -1 : Number(opts.acks),
      compression: CompressionType[opts.compression],
      onBatchError: reportFailure(topic),
    });
    const headers = opts.header.map(([key, value]) => ({ key, value }));
    const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of lines) await producer.send(lineToRecord(line, opts.keySeparator, headers));
    return producer.flush();
  });
  if (summary.recordsFailed > 0) {
    process.stderr.write(`gregor: ${summary.recordsFailed} of ${summary.recordsFailed + summary.recordsSent} records were not produced\n`);
    process.exitCode = 1;
  }
}

/** The record for one input line. */
export function lineToRecord(line: string, keySeparator: string | undefined, headers: RecordInput['headers']): RecordInput {
  const at = keySeparator === undefined || keySeparator === '' ? -1 : line.indexOf(keySeparator);
  if (at < 0) return { key: null, value: line, headers };
  return { key: line.slice(0, at), value: line.slice(at + (keySeparator ?? '').length), headers };
}

function reportFailure(topic: string): (failure: BatchFailure) => void {
  return ({ partition, recordCount, error }) => {
    process.stderr.write(`gregor: failed to produce ${recordCount} records to ${topic}-${partition}: ${error.message}\n`);
  };
}
