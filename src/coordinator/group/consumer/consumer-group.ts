/**
 * A consumer-protocol group (KIP-848; Kafka's ConsumerGroup + ConsumerGroupMember): the
 * group epoch (bumped by every membership, subscription or partition-count change), the
 * target assignment and its epoch, the members with their member epochs and current
 * assignment, and which member epoch owns each partition (assigned or still revoking).
 *
 * State is changed only through `apply(change)` (consumer-changes.ts), both while
 * replaying __consumer_offsets and when an operation runs, so both paths agree.
 */
import type { TopicPartitions } from '../assignors/assignor.ts';

/** Kafka's MemberState (its byte ids are written in ConsumerGroupCurrentMemberAssignmentValue). */
export const MemberState = { STABLE: 0, UNREVOKED_PARTITIONS: 1, UNRELEASED_PARTITIONS: 2, UNKNOWN: 127 } as const;
export type MemberStateId = (typeof MemberState)[keyof typeof MemberState];

/** Member epochs with a meaning of their own. */
export const LEAVE_GROUP_MEMBER_EPOCH = -1;
export const LEAVE_GROUP_STATIC_MEMBER_EPOCH = -2;

export const EMPTY_PARTITIONS: TopicPartitions = new Map();

/** What the member's ConsumerGroupMemberMetadata record holds. */
export interface MemberMetadata {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly subscribedTopicNames: readonly string[];
  readonly rebalanceTimeoutMs: number;
  readonly serverAssignor: string | null;
}

/** What the member's ConsumerGroupCurrentMemberAssignment record holds. */
export interface MemberAssignment {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberStateId;
  readonly assignedPartitions: TopicPartitions;
  readonly partitionsPendingRevocation: TopicPartitions;
}

export interface ConsumerGroupMember extends MemberMetadata, MemberAssignment {}

export const INITIAL_ASSIGNMENT: MemberAssignment = {
  memberEpoch: 0, previousMemberEpoch: 0, state: MemberState.STABLE, assignedPartitions: EMPTY_PARTITIONS, partitionsPendingRevocation: EMPTY_PARTITIONS,
};

/** A subscribed topic as the group last saw it (ConsumerGroupPartitionMetadata). */
export interface SubscribedTopic {
  readonly topicId: string;
  readonly numPartitions: number;
}

export type ConsumerGroupStateName = 'Empty' | 'Assigning' | 'Reconciling' | 'Stable';

export class ConsumerGroup {
  readonly groupId: string;
  groupEpoch = 0;
  assignmentEpoch = 0;
  readonly members = new Map<string, ConsumerGroupMember>();
  readonly targetAssignment = new Map<string, TopicPartitions>();
  /** topic name -> id and partition count, for the topics the members subscribe to. */
  subscriptionMetadata = new Map<string, SubscribedTopic>();
  /** `${topicId}:${partition}` -> epoch of the member owning it. */
  readonly #partitionEpochs = new Map<string, number>();

  constructor(groupId: string) {
    this.groupId = groupId;
  }

  state(): ConsumerGroupStateName {
    if (this.members.size === 0) return 'Empty';
    if (this.groupEpoch > this.assignmentEpoch) return 'Assigning';
    for (const m of this.members.values()) {
      if (m.memberEpoch !== this.assignmentEpoch || m.state !== MemberState.STABLE) return 'Reconciling';
    }
    return 'Stable';
  }

  member(memberId: string): ConsumerGroupMember | undefined {
    return this.members.get(memberId);
  }

  staticMember(instanceId: string): ConsumerGroupMember | undefined {
    for (const m of this.members.values()) if (m.instanceId === instanceId) return m;
    return undefined;
  }

  /** Epoch of the member owning the partition, -1 when free. */
  partitionEpoch(topicId: string, partition: number): number {
    return this.#partitionEpochs.get(`${topicId}:${partition}`) ?? -1;
  }

  /** Sets or replaces a member, keeping partition ownership in step with its assignment. */
  putMember(member: ConsumerGroupMember): void {
    const previous = this.members.get(member.memberId);
    if (previous !== undefined) this.#own(previous, false);
    this.members.set(member.memberId, member);
    this.#own(member, true);
  }

  removeMember(memberId: string): void {
    const previous = this.members.get(memberId);
    if (previous === undefined) return;
    this.#own(previous, false);
    this.members.delete(memberId);
  }

  #own(member: ConsumerGroupMember, owned: boolean): void {
    for (const tp of [member.assignedPartitions, member.partitionsPendingRevocation]) {
      for (const [topicId, partitions] of tp) {
        for (const p of partitions) {
          if (owned) this.#partitionEpochs.set(`${topicId}:${p}`, member.memberEpoch);
          else this.#partitionEpochs.delete(`${topicId}:${p}`);
        }
      }
    }
  }

  /** Every topic name some member subscribes to. */
  subscribedTopicNames(): Set<string> {
    const names = new Set<string>();
    for (const m of this.members.values()) for (const t of m.subscribedTopicNames) names.add(t);
    return names;
  }
}
