/**
 * Consumer-group admin calls, as Kafka's AdminClient makes them: ListGroups goes to every
 * broker (each lists the groups it coordinates); DescribeGroups, DeleteGroups, OffsetFetch
 * and OffsetCommit go to the group's coordinator, found with FindCoordinator. A coordinator
 * that moved, is loading or is not up yet (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
 * COORDINATOR_NOT_AVAILABLE; the first lookup also creates __consumer_offsets) is looked
 * up again after a short pause, a bounded number of times.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../protocol/errors.ts';
import { decodeConsumerProtocolAssignment } from '../../protocol/generated/data/consumer-protocol-assignment.ts';
import type { DescribeGroupsResponseDescribedGroup } from '../../protocol/generated/describe-groups.ts';
import type { ListGroupsResponseListedGroup } from '../../protocol/generated/list-groups.ts';
import { Reader } from '../../protocol/reader.ts';
import {
  DeleteGroupsCall, DescribeGroupsCall, FindCoordinatorCall, ListGroupsCall, OffsetCommitCall, OffsetFetchCall,
} from './api-calls.ts';
import { KafkaResponseError, throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';

/** FindCoordinator key type of consumer groups. */
const KEY_TYPE_GROUP = 0;
/** Attempts at a coordinator request before giving up, and the pause between them. */
const COORDINATOR_ATTEMPTS_MAX = 20;
const COORDINATOR_RETRY_BACKOFF_MS = 250;
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE,
]);

export type ListedGroup = ListGroupsResponseListedGroup;
export type DescribedGroup = DescribeGroupsResponseDescribedGroup;

/** Committed offset of one partition; metadata as committed. */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
  metadata: string | null;
}

/** Runs `fn` against the group's coordinator, looking it up again on a coordinator error. */
async function atCoordinator<T>(client: KafkaClient, groupId: string, fn: (nodeId: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(await findCoordinator(client, groupId));
    } catch (err) {
      const retry = err instanceof KafkaResponseError && COORDINATOR_ERRORS.has(err.code);
      if (!retry || attempt >= COORDINATOR_ATTEMPTS_MAX) throw err;
      await sleep(COORDINATOR_RETRY_BACKOFF_MS);
    }
  }
}

/** The node id of the group's coordinator (the broker list is refreshed so it can be reached). */
export async function findCoordinator(client: KafkaClient, groupId: string): Promise<number> {
  await client.metadata([]);
  const res = await client.send(FindCoordinatorCall, () => ({ key: groupId, keyType: KEY_TYPE_GROUP }));
  throwIfError(res.errorCode, `find the coordinator of group '${groupId}'`, res.errorMessage);
  return res.nodeId;
}

/** Every group of the cluster (ListGroups to each broker), sorted by id. */
export async function listGroups(client: KafkaClient): Promise<ListedGroup[]> {
  const metadata = await client.metadata([]);
  const groups: ListedGroup[] = [];
  for (const nodeId of metadata.brokers.keys()) {
    const res = await client.send(ListGroupsCall, () => ({ statesFilter: [], typesFilter: [] }), { nodeId });
    throwIfError(res.errorCode, `list groups on broker ${nodeId}`);
    groups.push(...res.groups);
  }
  return groups.sort((a, b) => a.groupId.localeCompare(b.groupId));
}

/** The group as its coordinator describes it; state "Dead" when it does not exist. */
export function describeGroup(client: KafkaClient, groupId: string): Promise<DescribedGroup> {
  return atCoordinator(client, groupId, async (nodeId) => {
    const res = await client.send(DescribeGroupsCall, () => ({ groups: [groupId], includeAuthorizedOperations: false }), { nodeId });
    const group = res.groups.find((g) => g.groupId === groupId);
    if (group === undefined) throw new Error(`DescribeGroups response has no result for '${groupId}'`);
    throwIfError(group.errorCode, `describe group '${groupId}'`);
    return group;
  });
}

export function deleteGroup(client: KafkaClient, groupId: string): Promise<void> {
  return atCoordinator(client, groupId, async (nodeId) => {
    const res = await client.send(DeleteGroupsCall, () => ({ groupsNames: [groupId] }), { nodeId });
    const result = res.results.find((r) => r.groupId === groupId);
    if (result === undefined) throw new Error(`DeleteGroups response has no result for '${groupId}'`);
    throwIfError(result.errorCode, `cannot delete group '${groupId}'`);
  });
}

/** Every offset the group has committed (OffsetFetch with null topics), in topic/partition order. */
export function fetchCommittedOffsets(client: KafkaClient, groupId: string): Promise<CommittedOffset[]> {
  return atCoordinator(client, groupId, async (nodeId) => {
    const res = await client.send(OffsetFetchCall, () => ({ groupId, topics: null, requireStable: false }), { nodeId });
    throwIfError(res.errorCode, `fetch the offsets of group '${groupId}'`);
    const offsets: CommittedOffset[] = [];
    for (const t of res.topics) {
      for (const p of t.partitions) {
        throwIfError(p.errorCode, `fetch the offset of group '${groupId}' for ${t.name}-${p.partitionIndex}`);
        if (p.committedOffset >= 0) offsets.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.metadata });
      }
    }
    return offsets.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  });
}

/** Commits offsets as an admin (generation -1, no member id): the group must have no members. */
export function commitOffsets(client: KafkaClient, groupId: string, offsets: CommittedOffset[]): Promise<void> {
  const byTopic = Map.groupBy(offsets, (o) => o.topic);
  return atCoordinator(client, groupId, async (nodeId) => {
    const res = await client.send(OffsetCommitCall, () => ({
      groupId,
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((o) => ({
          partitionIndex: o.partition, committedOffset: o.offset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: o.metadata,
        })),
      })),
    }), { nodeId });
    for (const t of res.topics) {
      for (const p of t.partitions) throwIfError(p.errorCode, `commit the offset of group '${groupId}' for ${t.name}-${p.partitionIndex}`);
    }
  });
}

/**
 * The partitions in a consumer-protocol member's assignment bytes ("consumer" protocol
 * type); empty for empty bytes (a member that has no assignment yet).
 */
export function assignedPartitions(assignment: Buffer): { topic: string; partition: number }[] {
  if (assignment.length < 2) return [];
  const r = new Reader(assignment);
  const version = r.readInt16();
  const decoded = decodeConsumerProtocolAssignment(r, version);
  return decoded.assignedPartitions.flatMap((tp) => tp.partitions.map((partition) => ({ topic: tp.topic, partition })));
}
