/**
 * `gregor groups list|describe|delete|reset-offsets`, like kafka-consumer-groups.sh.
 * `describe` prints its offsets layout: one row per partition the group is assigned or has
 * committed (topic, partition, committed offset, log end offset, lag, consumer id, host,
 * client id; "-" where there is none), and one row with topic "-" for a member without
 * partitions. A group that does not exist is GROUP_ID_NOT_FOUND (exit 1). Reset-offsets
 * lives in groups-reset-offsets.ts.
 */
import type { Command } from 'commander';
import { ErrorCode } from '../../protocol/errors.ts';
import type { KafkaClient } from '../client/kafka-client.ts';
import { assignedPartitions, deleteGroup, describeGroup, fetchCommittedOffsets, listGroups } from '../client/groups.ts';
import type { DescribedGroup } from '../client/groups.ts';
import { KafkaResponseError } from '../client/kafka-error.ts';
import { LATEST_TIMESTAMP, listOffsets } from '../client/offsets.ts';
import { withBootstrapOption, withClient } from '../client-command.ts';
import type { BootstrapOptions } from '../client-command.ts';
import { registerResetOffsets } from './groups-reset-offsets.ts';
import { print, table } from './text-table.ts';

/** The protocol type of groups whose assignments are consumer-protocol bytes. */
const CONSUMER_PROTOCOL_TYPE = 'consumer';
const NONE = '-';
/** States in which DescribeGroups gives members without assignments (kafka-consumer-groups warns). */
const REBALANCING_STATES: ReadonlySet<string> = new Set(['PreparingRebalance', 'CompletingRebalance']);

/** One row of `describe`. */
export interface OffsetRow {
  topic: string;
  partition: number | null;
  currentOffset: number | null;
  logEndOffset: number | null;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

export function registerGroups(program: Command): void {
  const groups = program.command('groups').description('list, describe, delete consumer groups and reset their offsets');
  withBootstrapOption(groups.command('list').description('list consumer group ids'))
    .action((opts: BootstrapOptions) => withClient(opts, async (client) => {
      // As Kafka's AdminClient.listConsumerGroups: consumer-protocol groups and those made by commits alone.
      const consumerGroups = (await listGroups(client)).filter((g) => g.protocolType === CONSUMER_PROTOCOL_TYPE || g.protocolType === '');
      for (const g of consumerGroups) print(g.groupId);
    }));
  withBootstrapOption(groups.command('describe <group>').description('committed offsets, log end offsets, lag and members'))
    .action((groupId: string, opts: BootstrapOptions) => withClient(opts, async (client) => {
      const group = await existingGroup(client, groupId);
      if (group.members.length === 0) process.stderr.write(`\nConsumer group '${groupId}' has no active members.\n`);
      if (REBALANCING_STATES.has(group.groupState)) process.stderr.write(`\nWarning: Consumer group '${groupId}' is rebalancing.\n`);
      print(formatOffsetRows(groupId, await offsetRows(client, group)));
    }));
  withBootstrapOption(groups.command('delete <group>').description('delete an empty group and its committed offsets'))
    .action((groupId: string, opts: BootstrapOptions) => withClient(opts, async (client) => {
      await deleteGroup(client, groupId);
      print(`Deletion of requested consumer groups ('${groupId}') was successful.`);
    }));
  registerResetOffsets(groups);
}

/** Describes the group; a Dead group (what Kafka answers for an unknown id) is GROUP_ID_NOT_FOUND. */
export async function existingGroup(client: KafkaClient, groupId: string): Promise<DescribedGroup> {
  const group = await describeGroup(client, groupId);
  if (group.groupState === 'Dead') {
    throw new KafkaResponseError(ErrorCode.GROUP_ID_NOT_FOUND, `consumer group '${groupId}'`, 'does not exist');
  }
  return group;
}

/** Rows for every assigned or committed partition, then members without partitions. */
async function offsetRows(client: KafkaClient, group: DescribedGroup): Promise<OffsetRow[]> {
  const committed = await fetchCommittedOffsets(client, group.groupId);
  const rows = new Map<string, OffsetRow>();
  const idle: OffsetRow[] = [];
  for (const m of group.members) {
    const owned = group.protocolType === CONSUMER_PROTOCOL_TYPE ? assignedPartitions(m.memberAssignment) : [];
    const member = { consumerId: m.memberId, host: m.clientHost, clientId: m.clientId };
    if (owned.length === 0) idle.push({ topic: NONE, partition: null, currentOffset: null, logEndOffset: null, ...member });
    for (const tp of owned) rows.set(`${tp.topic}\0${tp.partition}`, { ...tp, currentOffset: null, logEndOffset: null, ...member });
  }
  for (const c of committed) {
    const key = `${c.topic}\0${c.partition}`;
    const row = rows.get(key) ?? { topic: c.topic, partition: c.partition, currentOffset: null, logEndOffset: null, consumerId: null, host: null, clientId: null };
    rows.set(key, { ...row, currentOffset: c.offset });
  }
  const sorted = [...rows.values()].sort((a, b) => a.topic.localeCompare(b.topic) || (a.partition ?? 0) - (b.partition ?? 0));
  await fillLogEndOffsets(client, sorted);
  return [...sorted, ...idle];
}

async function fillLogEndOffsets(client: KafkaClient, rows: OffsetRow[]): Promise<void> {
  const topics = [...new Set(rows.map((r) => r.topic))];
  if (topics.length === 0) return;
  const metadata = await client.metadata(topics);
  for (const topic of metadata.topics) {
    const partitions = rows.filter((r) => r.topic === topic.name && r.partition !== null
      && topic.partitions.some((p) => p.partition === r.partition)).map((r) => r.partition as number);
    if (topic.errorCode !== 0 || partitions.length === 0) continue;
    const ends = await listOffsets(client, topic, partitions, LATEST_TIMESTAMP);
    for (const r of rows) if (r.topic === topic.name && r.partition !== null) r.logEndOffset = ends.get(r.partition) ?? null;
  }
}

/** kafka-consumer-groups --describe's table: columns as wide as their longest value. */
export function formatOffsetRows(groupId: string, rows: OffsetRow[]): string {
  const header = ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'];
  const cells = rows.map((r) => {
    const lag = r.currentOffset !== null && r.logEndOffset !== null ? String(Math.max(0, r.logEndOffset - r.currentOffset)) : NONE;
    return [groupId, r.topic, text(r.partition), text(r.currentOffset), text(r.logEndOffset), lag, text(r.consumerId), text(r.host), text(r.clientId)];
  });
  return `\n${table([header, ...cells])}`;
}

function text(value: string | number | null): string {
  return value === null ? NONE : String(value);
}
