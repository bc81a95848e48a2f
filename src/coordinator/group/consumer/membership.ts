/**
 * Consumer-group membership plumbing shared by the heartbeat and the timers: applying
 * and writing changes, removing (fencing) a member, and the member's session and
 * rebalance timers (Kafka's GroupMetadataManager: scheduleConsumerGroupSessionTimeout,
 * scheduleConsumerGroupRebalanceTimeout, removeMember).
 *
 * Changes are applied to memory before their records are written, as Kafka's
 * coordinator does (its timeline state is visible to the next operation at once); the
 * answer waits for the commit. A failed write leaves memory ahead of the log until the
 * partition is reloaded; writes fail when leadership is lost, which unloads the shard.
 */
import type { CoordinatorRecord } from '../../runtime/coordinator-record.ts';
import type { AppendResult } from '../../runtime/partition-writer.ts';
import type { GroupShard } from '../group-shard.ts';
import { applyChange, changeRecord, type ConsumerChange } from './consumer-changes.ts';
import { MemberState, type ConsumerGroup, type SubscribedTopic } from './consumer-group.ts';

/** Looks a topic up in the current metadata (undefined when it does not exist). */
export type TopicLookup = (name: string) => SubscribedTopic | undefined;

/** Changes applied to memory as they are added, and their records, written together. */
export class ChangeBatch {
  readonly #shard: GroupShard;
  readonly #records: CoordinatorRecord[] = [];

  constructor(shard: GroupShard) {
    this.#shard = shard;
  }

  add(...changes: ConsumerChange[]): this {
    for (const c of changes) {
      applyChange(this.#shard, c);
      this.#records.push(changeRecord(c));
    }
    return this;
  }

  /** A record of another kind written in the same batch (a classic group's tombstone). */
  addRecord(record: CoordinatorRecord): this {
    this.#records.push(record);
    return this;
  }

  write(): Promise<AppendResult> {
    if (this.#records.length === 0) return Promise.resolve({ ok: true, lastOffset: -1 });
    return this.#shard.write(this.#records);
  }
}

/** The subscribed topics as the metadata has them now; null when unchanged. */
export function subscriptionMetadataChange(group: ConsumerGroup, topics: TopicLookup): ConsumerChange | null {
  const next = new Map<string, SubscribedTopic>();
  for (const name of [...group.subscribedTopicNames()].sort()) {
    const t = topics(name);
    if (t !== undefined) next.set(name, t);
  }
  const prev = group.subscriptionMetadata;
  const same = prev.size === next.size && [...next].every(([n, t]) => prev.get(n)?.topicId === t.topicId && prev.get(n)?.numPartitions === t.numPartitions);
  return same ? null : { kind: 'subscription-metadata', groupId: group.groupId, topics: next };
}

/** The tombstones removing a member's records. */
export function removeMemberChanges(groupId: string, memberId: string): ConsumerChange[] {
  return [
    { kind: 'current-assignment', groupId, memberId, assignment: null },
    { kind: 'target-member', groupId, memberId, partitions: null },
    { kind: 'member', groupId, memberId, metadata: null },
  ];
}

/** Removes a member now (leave, session or rebalance expiry), refreshes subscriptions, bumps the group epoch. */
export function fenceMember(shard: GroupShard, group: ConsumerGroup, memberId: string, topics: TopicLookup, reason: string): Promise<AppendResult> {
  cancelTimers(shard, group.groupId, memberId);
  const batch = new ChangeBatch(shard).add(...removeMemberChanges(group.groupId, memberId));
  const refreshed = subscriptionMetadataChange(group, topics);
  if (refreshed !== null) batch.add(refreshed);
  batch.add({ kind: 'group-epoch', groupId: group.groupId, epoch: group.groupEpoch + 1 });
  shard.logger.info({ groupId: group.groupId, memberId, reason }, 'consumer group member removed');
  return batch.write();
}

const sessionKey = (groupId: string, memberId: string) => `consumer-session:${groupId}:${memberId}`;
const rebalanceKey = (groupId: string, memberId: string) => `consumer-rebalance:${groupId}:${memberId}`;

export function scheduleSessionTimeout(shard: GroupShard, group: ConsumerGroup, memberId: string, topics: TopicLookup): void {
  shard.timer.schedule(sessionKey(group.groupId, memberId), shard.consumerConfig.sessionTimeoutMs, () => {
    if (group.member(memberId) === undefined) return;
    void fenceMember(shard, group, memberId, topics, 'session timeout expired');
  });
}

/** While a member has partitions to revoke it must do so within its rebalance timeout. */
export function updateRebalanceTimeout(shard: GroupShard, group: ConsumerGroup, memberId: string, topics: TopicLookup, startedRevoking: boolean): void {
  const member = group.member(memberId);
  const key = rebalanceKey(group.groupId, memberId);
  if (member === undefined || member.state !== MemberState.UNREVOKED_PARTITIONS) {
    shard.timer.cancel(key);
    return;
  }
  if (!startedRevoking && shard.timer.isScheduled(key)) return;
  const epoch = member.memberEpoch;
  shard.timer.schedule(key, member.rebalanceTimeoutMs, () => {
    const now = group.member(memberId);
    if (now?.state !== MemberState.UNREVOKED_PARTITIONS || now.memberEpoch !== epoch) return;
    void fenceMember(shard, group, memberId, topics, 'rebalance timeout expired while revoking');
  });
}

export function cancelTimers(shard: GroupShard, groupId: string, memberId: string): void {
  shard.timer.cancel(sessionKey(groupId, memberId));
  shard.timer.cancel(rebalanceKey(groupId, memberId));
}
