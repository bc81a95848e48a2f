/**
 * Changes to consumer-protocol groups and their records in __consumer_offsets, in Kafka's
 * formats (GroupCoordinatorRecordHelpers; key = int16 version + key struct, value =
 * int16 version 0 + flexible value struct, null value = tombstone):
 *
 *   3 ConsumerGroupMetadata                {groupId} -> {epoch}                 (group epoch)
 *   4 ConsumerGroupPartitionMetadata       {groupId} -> {topics}                (subscribed topics' partition counts)
 *   5 ConsumerGroupMemberMetadata          {groupId, memberId} -> subscription, client, assignor
 *   6 ConsumerGroupTargetAssignmentMetadata {groupId} -> {assignmentEpoch}
 *   7 ConsumerGroupTargetAssignmentMember  {groupId, memberId} -> {topicPartitions}
 *   8 ConsumerGroupCurrentMemberAssignment {groupId, memberId} -> epochs, state, assigned, revoking
 *
 * Operations build a list of ConsumerChange, apply them to memory at once and write their
 * records; replay decodes a record back into the same change and applies it, so loading
 * rebuilds exactly the state the operations built.
 */
import { Reader } from '../../../protocol/reader.ts';
import { Writer } from '../../../protocol/writer.ts';
import * as currentKey from '../../../protocol/generated/records/consumer-group-current-member-assignment-key.ts';
import * as currentValue from '../../../protocol/generated/records/consumer-group-current-member-assignment-value.ts';
import * as memberKey from '../../../protocol/generated/records/consumer-group-member-metadata-key.ts';
import * as memberValue from '../../../protocol/generated/records/consumer-group-member-metadata-value.ts';
import * as groupKey from '../../../protocol/generated/records/consumer-group-metadata-key.ts';
import * as groupValue from '../../../protocol/generated/records/consumer-group-metadata-value.ts';
import * as partitionKey from '../../../protocol/generated/records/consumer-group-partition-metadata-key.ts';
import * as partitionValue from '../../../protocol/generated/records/consumer-group-partition-metadata-value.ts';
import * as targetMemberKey from '../../../protocol/generated/records/consumer-group-target-assignment-member-key.ts';
import * as targetMemberValue from '../../../protocol/generated/records/consumer-group-target-assignment-member-value.ts';
import * as targetMetaKey from '../../../protocol/generated/records/consumer-group-target-assignment-metadata-key.ts';
import * as targetMetaValue from '../../../protocol/generated/records/consumer-group-target-assignment-metadata-value.ts';
import type { CoordinatorRecord } from '../../runtime/coordinator-record.ts';
import type { TopicPartitions } from '../assignors/assignor.ts';
import {
  ConsumerGroup, INITIAL_ASSIGNMENT, type ConsumerGroupMember, type MemberAssignment, type MemberMetadata, type MemberStateId, type SubscribedTopic,
} from './consumer-group.ts';

export const GROUP_KEY = 3;
export const PARTITION_METADATA_KEY = 4;
export const MEMBER_KEY = 5;
export const TARGET_METADATA_KEY = 6;
export const TARGET_MEMBER_KEY = 7;
export const CURRENT_ASSIGNMENT_KEY = 8;
const VALUE_VERSION = 0;

export type ConsumerChange =
  | { readonly kind: 'group-epoch'; readonly groupId: string; readonly epoch: number | null }
  | { readonly kind: 'subscription-metadata'; readonly groupId: string; readonly topics: ReadonlyMap<string, SubscribedTopic> | null }
  | { readonly kind: 'member'; readonly groupId: string; readonly memberId: string; readonly metadata: MemberMetadata | null }
  | { readonly kind: 'target-epoch'; readonly groupId: string; readonly epoch: number | null }
  | { readonly kind: 'target-member'; readonly groupId: string; readonly memberId: string; readonly partitions: TopicPartitions | null }
  | { readonly kind: 'current-assignment'; readonly groupId: string; readonly memberId: string; readonly assignment: MemberAssignment | null };

/** Where replayed and applied changes land: the shard's consumer groups. */
export interface ConsumerGroupStore {
  consumerGroup(groupId: string): ConsumerGroup | undefined;
  getOrCreateConsumerGroup(groupId: string): ConsumerGroup;
  removeConsumerGroup(groupId: string): void;
}

export function applyChange(store: ConsumerGroupStore, c: ConsumerChange): void {
  if (c.kind === 'group-epoch' && c.epoch === null) {
    store.removeConsumerGroup(c.groupId);
    return;
  }
  // A tombstone never creates a group (compaction may keep it after the group's own).
  if (isTombstone(c) && store.consumerGroup(c.groupId) === undefined) return;
  const group = store.getOrCreateConsumerGroup(c.groupId);
  switch (c.kind) {
    case 'group-epoch': group.groupEpoch = c.epoch!; break;
    case 'subscription-metadata': group.subscriptionMetadata = new Map(c.topics ?? []); break;
    case 'target-epoch': group.assignmentEpoch = c.epoch ?? 0; break;
    case 'target-member':
      if (c.partitions === null) group.targetAssignment.delete(c.memberId);
      else group.targetAssignment.set(c.memberId, c.partitions);
      break;
    case 'member':
      if (c.metadata === null) group.removeMember(c.memberId);
      else group.putMember({ ...(group.member(c.memberId) ?? INITIAL_ASSIGNMENT), ...c.metadata });
      break;
    case 'current-assignment': {
      if (c.assignment === null && group.member(c.memberId) === undefined) break;
      const existing: ConsumerGroupMember = group.member(c.memberId) ?? { ...emptyMetadata(c.memberId), ...INITIAL_ASSIGNMENT };
      group.putMember({ ...existing, ...(c.assignment ?? INITIAL_ASSIGNMENT) });
      break;
    }
  }
}

function isTombstone(c: ConsumerChange): boolean {
  switch (c.kind) {
    case 'group-epoch': case 'target-epoch': return c.epoch === null;
    case 'subscription-metadata': return c.topics === null;
    case 'member': return c.metadata === null;
    case 'target-member': return c.partitions === null;
    case 'current-assignment': return c.assignment === null;
  }
}

function emptyMetadata(memberId: string): MemberMetadata {
  return { memberId, instanceId: null, rackId: null, clientId: '', clientHost: '', subscribedTopicNames: [], rebalanceTimeoutMs: -1, serverAssignor: null };
}

// ---- encoding --------------------------------------------------------------------------

function framed(version: number, encode: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.writeInt16(version);
  encode(w);
  return w.toBuffer();
}

function value(encode: (w: Writer) => void): Buffer {
  return framed(VALUE_VERSION, encode);
}

function toWire(tp: TopicPartitions): { topicId: string; partitions: number[] }[] {
  return [...tp].map(([topicId, ps]) => ({ topicId, partitions: [...ps].sort((a, b) => a - b) }));
}

function fromWire(tp: readonly { topicId: string; partitions: readonly number[] }[]): TopicPartitions {
  return new Map(tp.map((t) => [t.topicId, new Set(t.partitions)]));
}

export function changeRecord(c: ConsumerChange): CoordinatorRecord {
  const g = c.groupId;
  switch (c.kind) {
    case 'group-epoch':
      return { key: framed(GROUP_KEY, (w) => groupKey.encodeConsumerGroupMetadataKey(w, GROUP_KEY, { groupId: g })),
        value: c.epoch === null ? null : value((w) => groupValue.encodeConsumerGroupMetadataValue(w, VALUE_VERSION, { epoch: c.epoch! })) };
    case 'subscription-metadata':
      return { key: framed(PARTITION_METADATA_KEY, (w) => partitionKey.encodeConsumerGroupPartitionMetadataKey(w, PARTITION_METADATA_KEY, { groupId: g })),
        value: c.topics === null ? null : value((w) => partitionValue.encodeConsumerGroupPartitionMetadataValue(w, VALUE_VERSION, {
          topics: [...c.topics!].map(([topicName, t]) => ({ topicId: t.topicId, topicName, numPartitions: t.numPartitions, partitionMetadata: [] })),
        })) };
    case 'member':
      return { key: framed(MEMBER_KEY, (w) => memberKey.encodeConsumerGroupMemberMetadataKey(w, MEMBER_KEY, { groupId: g, memberId: c.memberId })),
        value: c.metadata === null ? null : value((w) => memberValue.encodeConsumerGroupMemberMetadataValue(w, VALUE_VERSION, {
          ...c.metadata!, subscribedTopicNames: [...c.metadata!.subscribedTopicNames], subscribedTopicRegex: null, classicMemberMetadata: null,
        })) };
    case 'target-epoch':
      return { key: framed(TARGET_METADATA_KEY, (w) => targetMetaKey.encodeConsumerGroupTargetAssignmentMetadataKey(w, TARGET_METADATA_KEY, { groupId: g })),
        value: c.epoch === null ? null : value((w) => targetMetaValue.encodeConsumerGroupTargetAssignmentMetadataValue(w, VALUE_VERSION, { assignmentEpoch: c.epoch! })) };
    case 'target-member':
      return { key: framed(TARGET_MEMBER_KEY, (w) => targetMemberKey.encodeConsumerGroupTargetAssignmentMemberKey(w, TARGET_MEMBER_KEY, { groupId: g, memberId: c.memberId })),
        value: c.partitions === null ? null : value((w) => targetMemberValue.encodeConsumerGroupTargetAssignmentMemberValue(w, VALUE_VERSION, { topicPartitions: toWire(c.partitions!) })) };
    case 'current-assignment':
      return { key: framed(CURRENT_ASSIGNMENT_KEY, (w) => currentKey.encodeConsumerGroupCurrentMemberAssignmentKey(w, CURRENT_ASSIGNMENT_KEY, { groupId: g, memberId: c.memberId })),
        value: c.assignment === null ? null : value((w) => currentValue.encodeConsumerGroupCurrentMemberAssignmentValue(w, VALUE_VERSION, {
          memberEpoch: c.assignment!.memberEpoch, previousMemberEpoch: c.assignment!.previousMemberEpoch, state: c.assignment!.state,
          assignedPartitions: toWire(c.assignment!.assignedPartitions), partitionsPendingRevocation: toWire(c.assignment!.partitionsPendingRevocation),
        })) };
  }
}

/** Decodes a consumer-group record (key version 3-8), or null for any other key version. */
export function changeFromRecord(key: Buffer, val: Buffer | null): ConsumerChange | null {
  const r = new Reader(key);
  const version = r.readInt16();
  const v = val === null ? null : new Reader(val);
  const vv = v === null ? 0 : v.readInt16();
  switch (version) {
    case GROUP_KEY: {
      const { groupId } = groupKey.decodeConsumerGroupMetadataKey(r, version);
      return { kind: 'group-epoch', groupId, epoch: v === null ? null : groupValue.decodeConsumerGroupMetadataValue(v, vv).epoch };
    }
    case PARTITION_METADATA_KEY: {
      const { groupId } = partitionKey.decodeConsumerGroupPartitionMetadataKey(r, version);
      const topics = v === null ? null : new Map(partitionValue.decodeConsumerGroupPartitionMetadataValue(v, vv).topics
        .map((t): [string, SubscribedTopic] => [t.topicName, { topicId: t.topicId, numPartitions: t.numPartitions }]));
      return { kind: 'subscription-metadata', groupId, topics };
    }
    case MEMBER_KEY: {
      const { groupId, memberId } = memberKey.decodeConsumerGroupMemberMetadataKey(r, version);
      if (v === null) return { kind: 'member', groupId, memberId, metadata: null };
      const m = memberValue.decodeConsumerGroupMemberMetadataValue(v, vv);
      return { kind: 'member', groupId, memberId, metadata: {
        memberId, instanceId: m.instanceId, rackId: m.rackId, clientId: m.clientId, clientHost: m.clientHost,
        subscribedTopicNames: m.subscribedTopicNames, rebalanceTimeoutMs: m.rebalanceTimeoutMs, serverAssignor: m.serverAssignor,
      } };
    }
    case TARGET_METADATA_KEY: {
      const { groupId } = targetMetaKey.decodeConsumerGroupTargetAssignmentMetadataKey(r, version);
      return { kind: 'target-epoch', groupId, epoch: v === null ? null : targetMetaValue.decodeConsumerGroupTargetAssignmentMetadataValue(v, vv).assignmentEpoch };
    }
    case TARGET_MEMBER_KEY: {
      const { groupId, memberId } = targetMemberKey.decodeConsumerGroupTargetAssignmentMemberKey(r, version);
      const partitions = v === null ? null : fromWire(targetMemberValue.decodeConsumerGroupTargetAssignmentMemberValue(v, vv).topicPartitions);
      return { kind: 'target-member', groupId, memberId, partitions };
    }
    case CURRENT_ASSIGNMENT_KEY: {
      const { groupId, memberId } = currentKey.decodeConsumerGroupCurrentMemberAssignmentKey(r, version);
      if (v === null) return { kind: 'current-assignment', groupId, memberId, assignment: null };
      const a = currentValue.decodeConsumerGroupCurrentMemberAssignmentValue(v, vv);
      return { kind: 'current-assignment', groupId, memberId, assignment: {
        memberEpoch: a.memberEpoch, previousMemberEpoch: a.previousMemberEpoch, state: a.state as MemberStateId,
        assignedPartitions: fromWire(a.assignedPartitions), partitionsPendingRevocation: fromWire(a.partitionsPendingRevocation),
      } };
    }
    default:
      return null;
  }
}
