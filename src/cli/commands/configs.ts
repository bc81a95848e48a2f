/**
 * `gregor configs describe|alter`, like kafka-configs.sh, for a topic (--topic T), one
 * broker (--broker N) or the cluster-wide broker defaults (--broker-defaults).
 *
 * describe prints kafka-configs' layout: a header, then one line per config
 *   "  name=value sensitive=false synonyms={SOURCE:name=value, ...}"
 * listing only the configs set on that resource (topic overrides; a broker's dynamic
 * configs), or every config with --all.
 * alter applies --set k=v / --delete k (repeatable) in one IncrementalAlterConfigs
 * request and prints "Completed updating config for <entity>."
 */
import type { Command } from 'commander';
import { ConfigSource, ResourceType } from '../client/admin.ts';
import { alterConfigs, describeConfigs, OpType } from '../client/config-admin.ts';
import type { ConfigOp, ConfigResource, DescribedConfig } from '../client/config-admin.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { collect, collectKeyValue, integer } from '../options.ts';

interface EntityOptions extends BootstrapOptions {
  topic?: string;
  broker?: number;
  brokerDefaults?: boolean;
}

interface DescribeOptions extends EntityOptions {
  all?: boolean;
}

interface AlterOptions extends EntityOptions {
  set: [string, string][];
  delete: string[];
}

/** Kafka's names of the config sources, as kafka-configs prints them in synonyms. */
const SOURCE_NAMES: Readonly<Record<number, string>> = {
  [ConfigSource.TOPIC_CONFIG]: 'DYNAMIC_TOPIC_CONFIG',
  [ConfigSource.DYNAMIC_BROKER_CONFIG]: 'DYNAMIC_BROKER_CONFIG',
  [ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG]: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  [ConfigSource.STATIC_BROKER_CONFIG]: 'STATIC_BROKER_CONFIG',
  [ConfigSource.DEFAULT_CONFIG]: 'DEFAULT_CONFIG',
};

export function registerConfigs(program: Command): void {
  const configs = program.command('configs').description('describe and alter topic and broker configs');
  withEntityOptions(configs.command('describe').description('show the configs of a topic or broker'))
    .option('--all', 'list every config, not only those set on the resource')
    .action((opts: DescribeOptions) => withClient(opts, async (client) => {
      const resource = resourceOf(opts);
      const entries = await describeConfigs(client, resource);
      print(formatDescribe(resource, entries, opts.all === true));
    }));
  withEntityOptions(configs.command('alter').description('set or delete configs of a topic or broker'))
    .option('--set <key=value>', 'set a config (repeatable)', collectKeyValue, [])
    .option('--delete <key>', 'remove a config, back to its default (repeatable)', collect, [])
    .action((opts: AlterOptions) => withClient(opts, async (client) => {
      const resource = resourceOf(opts);
      const ops: ConfigOp[] = [
        ...opts.set.map(([name, value]) => ({ name, op: OpType.SET, value })),
        ...opts.delete.map((name) => ({ name, op: OpType.DELETE, value: null })),
      ];
      if (ops.length === 0) throw new Error('nothing to change: give --set key=value and/or --delete key');
      await alterConfigs(client, resource, ops);
      print(`Completed updating config for ${entityName(resource)}.`);
    }));
}

function withEntityOptions(command: Command): Command {
  return withBootstrapOption(command)
    .option('--topic <name>', 'the topic')
    .option('--broker <id>', 'one broker, by node id', integer(0))
    .option('--broker-defaults', 'the cluster-wide default of every broker');
}

function resourceOf(opts: EntityOptions): ConfigResource {
  const given = [opts.topic !== undefined, opts.broker !== undefined, opts.brokerDefaults === true].filter(Boolean).length;
  if (given !== 1) throw new Error('give exactly one of --topic, --broker, --broker-defaults');
  if (opts.topic !== undefined) return { type: ResourceType.TOPIC, name: opts.topic };
  return { type: ResourceType.BROKER, name: opts.broker === undefined ? '' : String(opts.broker) };
}

function entityName(resource: ConfigResource): string {
  if (resource.type === ResourceType.TOPIC) return `topic ${resource.name}`;
  return resource.name === '' ? 'default brokers' : `broker ${resource.name}`;
}

/** kafka-configs --describe output. */
export function formatDescribe(resource: ConfigResource, entries: readonly DescribedConfig[], all: boolean): string {
  const setHere = resource.type === ResourceType.TOPIC ? [ConfigSource.TOPIC_CONFIG]
    : resource.name === '' ? [ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG] : [ConfigSource.DYNAMIC_BROKER_CONFIG];
  const shown = all ? entries : entries.filter((e) => (setHere as number[]).includes(e.source));
  const header = `${all ? 'All' : 'Dynamic'} configs for ${entityName(resource)} are:`;
  return [header, ...shown.map((e) => `  ${e.name}=${valueOf(e.value, e.isSensitive)} sensitive=${e.isSensitive} synonyms={${synonymsOf(e)}}`)].join('\n');
}

function synonymsOf(entry: DescribedConfig): string {
  return entry.synonyms.map((s) => `${SOURCE_NAMES[s.source] ?? 'UNKNOWN'}:${s.name}=${valueOf(s.value, entry.isSensitive)}`).join(', ');
}

function valueOf(value: string | null, sensitive: boolean): string {
  return sensitive ? 'null' : (value ?? 'null');
}

function print(text: string): void {
  process.stdout.write(`${text}\n`);
}
