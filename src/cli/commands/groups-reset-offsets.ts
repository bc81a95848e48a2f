/**
 * `gregor groups reset-offsets <group> --topic T[:p,...] (--to-earliest | --to-latest |
 * --to-offset N | --to-datetime ISO | --by-duration PnDTnHnMnS) [--execute]`, like
 * kafka-consumer-groups.sh --reset-offsets: it prints the plan (GROUP TOPIC PARTITION
 * NEW-OFFSET) and commits it only with --execute. As Kafka, only a group without members
 * (Empty, or not existing yet) may be reset, and --to-offset is clamped to the partition's
 * [earliest, latest] range.
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { TopicMetadata } from '../client/cluster-metadata.ts';
import { commitOffsets, describeGroup } from '../client/groups.ts';
import type { CommittedOffset } from '../client/groups.ts';
import { throwIfError } from '../client/kafka-error.ts';
import type { KafkaClient } from '../client/kafka-client.ts';
import { EARLIEST_TIMESTAMP, LATEST_TIMESTAMP, listOffsets } from '../client/offsets.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { collect, integer } from '../options.ts';
import { print, table } from './text-table.ts';

const TARGETS = ['toEarliest', 'toLatest', 'toOffset', 'toDatetime', 'byDuration'] as const;
const INACTIVE_STATES: ReadonlySet<string> = new Set(['Empty', 'Dead']);

interface ResetOptions extends BootstrapOptions {
  topic: string[];
  toEarliest?: boolean;
  toLatest?: boolean;
  toOffset?: number;
  toDatetime?: number;
  byDuration?: number;
  execute?: boolean;
}

/** What to reset: a topic, and its partitions (null: all of them). */
export interface TopicSpec {
  topic: string;
  partitions: number[] | null;
}

export function registerResetOffsets(groups: Command): void {
  const exclusive = (flags: string, about: string, parse?: (v: string) => number): Option => {
    const option = new Option(flags, about).conflicts(TARGETS.filter((t) => !flags.includes(kebab(t))));
    return parse === undefined ? option : option.argParser(parse);
  };
  withBootstrapOption(groups.command('reset-offsets <group>').description('plan (and with --execute commit) new offsets for an inactive group'))
    .requiredOption('--topic <topic[:partitions]>', 'topic to reset, optionally with partitions (t:0,1); repeatable', collect)
    .addOption(exclusive('--to-earliest', 'reset to the earliest offset'))
    .addOption(exclusive('--to-latest', 'reset to the log end offset'))
    .addOption(exclusive('--to-offset <n>', 'reset to this offset (clamped to the partition\'s range)', integer(0)))
    .addOption(exclusive('--to-datetime <iso>', 'reset to the first offset at or after this time (YYYY-MM-DDTHH:mm:SS.sss[zone])', parseDatetime))
    .addOption(exclusive('--by-duration <duration>', 'reset to the first offset at or after now minus this ISO-8601 duration (PnDTnHnMnS)', parseDuration))
    .option('--execute', 'commit the new offsets (without it the plan is only printed)')
    .action((groupId: string, opts: ResetOptions) => withClient(opts, (client) => resetOffsets(client, groupId, opts)));
}

async function resetOffsets(client: KafkaClient, groupId: string, opts: ResetOptions): Promise<void> {
  if (!TARGETS.some((t) => opts[t] !== undefined)) {
    throw new Error('one of --to-earliest, --to-latest, --to-offset, --to-datetime, --by-duration is needed');
  }
  const group = await describeGroup(client, groupId);
  if (!INACTIVE_STATES.has(group.groupState)) {
    throw new Error(`assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${group.groupState}`);
  }
  const plan: CommittedOffset[] = [];
  for (const spec of opts.topic.map(parseTopicSpec)) plan.push(...await planTopic(client, spec, opts));
  const rows = plan.map((o) => [groupId, o.topic, String(o.partition), String(o.offset)]);
  print(`\n${table([['GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET'], ...rows])}`);
  if (opts.execute === true) await commitOffsets(client, groupId, plan);
  else process.stderr.write('\nDry run: nothing committed; add --execute to commit these offsets.\n');
}

async function planTopic(client: KafkaClient, spec: TopicSpec, opts: ResetOptions): Promise<CommittedOffset[]> {
  const metadata = await client.metadata([spec.topic]);
  const topic = metadata.topics.find((t) => t.name === spec.topic);
  if (topic === undefined) throw new Error(`Metadata response has no topic '${spec.topic}'`);
  throwIfError(topic.errorCode, `topic '${spec.topic}'`);
  const partitions = spec.partitions ?? topic.partitions.map((p) => p.partition);
  const missing = partitions.filter((p) => !topic.partitions.some((tp) => tp.partition === p));
  if (missing.length > 0) throw new Error(`topic '${spec.topic}' has no partition ${missing.join(',')}`);
  const offsets = await targetOffsets(client, topic, partitions, opts);
  return partitions.map((partition) => ({ topic: topic.name, partition, offset: offsets.get(partition) ?? 0, metadata: '' }));
}

async function targetOffsets(client: KafkaClient, topic: TopicMetadata, partitions: number[], opts: ResetOptions): Promise<Map<number, number>> {
  if (opts.toEarliest === true) return listOffsets(client, topic, partitions, EARLIEST_TIMESTAMP);
  if (opts.toLatest === true) return listOffsets(client, topic, partitions, LATEST_TIMESTAMP);
  if (opts.toDatetime !== undefined) return listOffsets(client, topic, partitions, opts.toDatetime);
  if (opts.byDuration !== undefined) return listOffsets(client, topic, partitions, Math.max(0, Date.now() - opts.byDuration));
  const wanted = opts.toOffset ?? 0;
  const earliest = await listOffsets(client, topic, partitions, EARLIEST_TIMESTAMP);
  const latest = await listOffsets(client, topic, partitions, LATEST_TIMESTAMP);
  return new Map(partitions.map((p) => [p, Math.min(Math.max(wanted, earliest.get(p) ?? 0), latest.get(p) ?? 0)]));
}

/** "orders" or "orders:0,2". */
export function parseTopicSpec(text: string): TopicSpec {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { topic: text, partitions: null };
  const partitions = text.slice(colon + 1).split(',').map((p) => integer(0, 2 ** 31 - 1)(p));
  return { topic: text.slice(0, colon), partitions };
}

/** Milliseconds since the epoch of an ISO-8601 date-time; without a zone it is local time, as Kafka's tool reads it. */
export function parseDatetime(text: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError('expected YYYY-MM-DDTHH:mm:SS.sss with an optional zone (Z, +01:00)');
  return ms;
}

/** Milliseconds of an ISO-8601 duration as Java's Duration.parse reads it: PnDTnHnMn.nS. */
export function parseDuration(text: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,3})?)S)?)?$/i.exec(text.trim());
  if (m === null || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) {
    throw new InvalidArgumentError('expected an ISO-8601 duration such as PT1H30M or P1DT12H');
  }
  const [days, hours, minutes, seconds] = m.slice(1).map((v) => Number(v ?? 0));
  return Math.round((((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000);
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
