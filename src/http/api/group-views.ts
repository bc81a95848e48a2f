/**
 * Consumer-group views for the API, read from the group coordinator (services.groups):
 * its admin snapshots (members, assignments) and committed offsets, with lag computed
 * against the high watermark of the partitions hosted here.
 */
import type { ClassicGroupSnapshot } from '../../coordinator/group/admin-view.ts';
import { ErrorCode, errorName } from '../../protocol/errors.ts';
import { decodeConsumerProtocolAssignment } from '../../protocol/generated/data/consumer-protocol-assignment.ts';
import { Reader } from '../../protocol/reader.ts';
import type { BrokerServices } from '../../server/broker-services.ts';
import { HttpError } from '../http-error.ts';
import type { GroupMember, GroupPartitionLag } from './types.ts';

/** The coordinator's error for a group as an HTTP error (503 while it loads, 421 elsewhere). */
export function throwIfCoordinatorError(code: number, groupId: string): void {
  if (code === ErrorCode.NONE) return;
  const status = code === ErrorCode.NOT_COORDINATOR ? 421 : 503;
  throw new HttpError(status, errorName(code), `group '${groupId}': ${errorName(code)}; retry shortly`);
}

/** Committed offsets of a group with their lag; `owners` maps "topic\0partition" to a member id. */
export function groupLag(services: BrokerServices, groupId: string, owners: ReadonlyMap<string, string> = new Map()): GroupPartitionLag[] {
  const { errorCode, topics } = services.groups.fetchOffsets(groupId, null);
  throwIfCoordinatorError(errorCode, groupId);
  const rows: GroupPartitionLag[] = [];
  for (const topic of topics) {
    for (const p of topic.partitions) {
      if (p.committedOffset < 0) continue;
      const hw = services.replicas.getPartition(topic.name, p.partitionIndex)?.highWatermark ?? -1;
      rows.push({
        topic: topic.name,
        partition: p.partitionIndex,
        committedOffset: p.committedOffset,
        highWatermark: hw,
        lag: hw < 0 ? -1 : Math.max(0, hw - p.committedOffset),
        memberId: owners.get(partitionKey(topic.name, p.partitionIndex)) ?? null,
      });
    }
  }
  return rows.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

export function totalLag(rows: readonly GroupPartitionLag[]): number {
  return rows.reduce((sum, r) => sum + Math.max(0, r.lag), 0);
}

/** Members with their decoded assignments ("consumer" protocol groups; others: none). */
export function groupMembers(group: ClassicGroupSnapshot): { members: GroupMember[]; owners: Map<string, string> } {
  const owners = new Map<string, string>();
  const members = group.members.map((m) => {
    const assigned = group.protocolType === 'consumer' ? assignedPartitions(m.assignment) : [];
    for (const { topic, partitions } of assigned) for (const p of partitions) owners.set(partitionKey(topic, p), m.memberId);
    return { memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost, assignment: assigned };
  });
  return { members, owners };
}

function assignedPartitions(assignment: Buffer): { topic: string; partitions: number[] }[] {
  if (assignment.length < 2) return [];
  try {
    const r = new Reader(assignment);
    const version = r.readInt16();
    return decodeConsumerProtocolAssignment(r, version).assignedPartitions
      .map((tp) => ({ topic: tp.topic, partitions: [...tp.partitions].sort((a, b) => a - b) }));
  } catch {
    return []; // a client's undecodable assignment bytes: show the member without one
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
