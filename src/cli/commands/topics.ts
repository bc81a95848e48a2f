/**
 * `gregor topics create|list|describe|delete`, like kafka-topics.sh, and `topics
 * delete-records` (kafka-delete-records.sh: moves a partition's log start offset). `describe` prints
 * kafka-topics' layout: one line per topic (id, partition count, replication factor,
 * configs whose source is not the built-in default) and one line per partition
 * (leader, replicas, ISR).
 */
import type { Command } from 'commander';
import { ConfigSource, createTopic, deleteTopic, describeTopicConfigs } from '../client/admin.ts';
import { deleteRecords } from '../client/config-admin.ts';
import type { ConfigEntry } from '../client/admin.ts';
import type { TopicMetadata } from '../client/cluster-metadata.ts';
import { throwIfError } from '../client/kafka-error.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { collectKeyValue, integer } from '../options.ts';

interface DeleteRecordsOptions extends BootstrapOptions {
  partition: number;
  offset: number;
}

interface CreateOptions extends BootstrapOptions {
  partitions?: number;
  replicationFactor?: number;
  config: [string, string][];
}

export function registerTopics(program: Command): void {
  const topics = program.command('topics').description('create, list, describe and delete topics');
  withBootstrapOption(topics.command('create <name>').description('create a topic'))
    .option('--partitions <n>', 'number of partitions (default: the broker\'s num.partitions)', integer(1, 2 ** 31 - 1))
    .option('--replication-factor <n>', 'replicas per partition (default: the broker\'s default.replication.factor)',
      integer(1, 32767))
    .option('--config <key=value>', 'topic config override (repeatable)', collectKeyValue, [])
    .action((name: string, opts: CreateOptions) => withClient(opts, async (client) => {
      await createTopic(client, {
        name,
        numPartitions: opts.partitions ?? -1,
        replicationFactor: opts.replicationFactor ?? -1,
        configs: Object.fromEntries(opts.config),
      });
      print(`Created topic ${name}.`);
    }));
  withBootstrapOption(topics.command('list').description('list topic names'))
    .action((opts: BootstrapOptions) => withClient(opts, async (client) => {
      const metadata = await client.metadata(null);
      for (const name of metadata.topics.map((t) => t.name).sort()) print(name);
    }));
  withBootstrapOption(topics.command('describe [name]').description('describe one topic, or all'))
    .action((name: string | undefined, opts: BootstrapOptions) => withClient(opts, async (client) => {
      const metadata = await client.metadata(name === undefined ? null : [name]);
      const described = metadata.topics.sort((a, b) => a.name.localeCompare(b.name));
      for (const topic of described) throwIfError(topic.errorCode, `topic '${topic.name}'`);
      const configs = await describeTopicConfigs(client, described.map((t) => t.name));
      for (const topic of described) print(describeTopic(topic, configs.get(topic.name) ?? []));
    }));
  withBootstrapOption(topics.command('delete <name>').description('delete a topic'))
    .action((name: string, opts: BootstrapOptions) => withClient(opts, async (client) => {
      await deleteTopic(client, name);
      print(`Deleted topic ${name}.`);
    }));
  withBootstrapOption(topics.command('delete-records <topic>').description('delete the records of a partition below an offset'))
    .requiredOption('--partition <n>', 'the partition', integer(0, 2 ** 31 - 1))
    .requiredOption('--offset <n>', 'records below this offset are deleted; -1: every record below the high watermark', integer(-1))
    .action((topic: string, opts: DeleteRecordsOptions) => withClient(opts, async (client) => {
      const lowWatermark = await deleteRecords(client, topic, opts.partition, opts.offset);
      print(`Deleted records of ${topic}-${opts.partition}; its log start offset (low watermark) is now ${lowWatermark}.`);
    }));
}

/** kafka-topics --describe output for one topic. */
export function describeTopic(topic: TopicMetadata, configs: ConfigEntry[]): string {
  const replicationFactor = topic.partitions[0]?.replicas.length ?? 0;
  const overrides = configs
    .filter((c) => c.source !== ConfigSource.DEFAULT_CONFIG)
    .map((c) => `${c.name}=${c.isSensitive ? '<sensitive>' : c.value}`)
    .join(',');
  const lines = [`Topic: ${topic.name}\tTopicId: ${topic.topicId}\tPartitionCount: ${topic.partitions.length}\t`
    + `ReplicationFactor: ${replicationFactor}\tConfigs: ${overrides}`];
  for (const p of topic.partitions) {
    const leader = p.leader < 0 ? 'none' : String(p.leader);
    lines.push(`\tTopic: ${topic.name}\tPartition: ${p.partition}\tLeader: ${leader}\t`
      + `Replicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}`);
  }
  return lines.join('\n');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
