/**
 * Periodic clean-up, every offsets.retention.check.interval.ms (Kafka's
 * GroupCoordinatorShard.cleanupGroupMetadata, Kafka 2.1+ semantics, KIP-211):
 *
 *  - an offset with an explicit expire timestamp (OffsetCommit v2-4 retentionTimeMs)
 *    expires at that time;
 *  - otherwise it expires offsets.retention.minutes after a base time: for a group with a
 *    protocol that is Empty, when it became Empty; for a Stable consumer-protocol group
 *    with known subscriptions, the commit time (topics it still subscribes to never
 *    expire); for a "simple" group (standalone commits, no protocol), the commit time;
 *    other groups keep their offsets;
 *  - an Empty group whose offsets are all gone is deleted (GroupMetadata tombstone);
 *  - consumer-protocol (KIP-848) groups: consumer/offset-expiration.ts.
 * Tombstones are written first; memory changes once they are committed.
 */
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';
import type { ClassicGroup } from './classic-group.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import type { GroupShard } from './group-shard.ts';
import { expiredConsumerOffsets, removeExpiredConsumerGroups } from './consumer/offset-expiration.ts';
import { groupMetadataTombstone, offsetCommitTombstone, type OffsetAndMetadata } from './records.ts';

const { EMPTY, STABLE } = ClassicGroupState;
const EXPIRATION_KEY = 'expire-group-metadata';

export function scheduleOffsetExpiration(shard: GroupShard): void {
  shard.timer.schedule(EXPIRATION_KEY, shard.config.offsetsRetentionCheckIntervalMs, () => {
    scheduleOffsetExpiration(shard);
    // A pass still writing its tombstones is not overlapped.
    if (!shard.expirationWriting) cleanupGroupMetadata(shard);
  });
}

/** One clean-up pass: finds what expired now and writes its tombstones. */
export function cleanupGroupMetadata(shard: GroupShard): void {
  const now = shard.now();
  const records: CoordinatorRecord[] = [];
  const expired: [string, string, number][] = [];
  const doomedGroups: ClassicGroup[] = [];
  for (const group of shard.groups.values()) {
    const offsets = expiredOffsets(shard, group, now);
    for (const [topic, partition] of offsets.expired) {
      records.push(offsetCommitTombstone(group.groupId, topic, partition));
      expired.push([group.groupId, topic, partition]);
    }
    if (offsets.allExpired && group.is(EMPTY)) {
      records.push(groupMetadataTombstone(group.groupId));
      doomedGroups.push(group);
    }
  }
  const consumer = expiredConsumerOffsets(shard, (o, baseMs) => isExpired(o, baseMs, now, shard.config.offsetsRetentionMs));
  records.push(...consumer.records);
  expired.push(...consumer.expired);
  if (records.length === 0) return;
  shard.expirationWriting = true;
  void shard.write(records).then((result) => {
    shard.expirationWriting = false;
    if (!result.ok) {
      shard.logger.warn({ error: result.error }, 'writing expired group metadata tombstones failed');
      return;
    }
    for (const [groupId, topic, partition] of expired) shard.offsets.remove(groupId, topic, partition);
    for (const group of doomedGroups) {
      // Only if nothing happened to it meanwhile.
      if (shard.group(group.groupId) === group && group.is(EMPTY) && !shard.offsets.hasOffsets(group.groupId)) shard.removeGroup(group.groupId);
    }
    removeExpiredConsumerGroups(shard, consumer.doomedGroups);
    shard.logger.info({ offsets: expired.length, groups: doomedGroups.length + consumer.doomedGroups.length }, 'expired group metadata removed');
  });
}

function expiredOffsets(shard: GroupShard, group: ClassicGroup, now: number): { expired: [string, number][]; allExpired: boolean } {
  const entries = shard.offsets.entries(group.groupId);
  if (entries.length === 0) return { expired: [], allExpired: true };
  const baseTime = expirationBase(group);
  if (baseTime === null) return { expired: [], allExpired: false };
  const expired: [string, number][] = [];
  for (const [topic, partition, value] of entries) {
    if (!group.isSubscribedToTopic(topic) && isExpired(value, baseTime(value), now, shard.config.offsetsRetentionMs)) expired.push([topic, partition]);
  }
  return { expired, allExpired: expired.length === entries.length };
}

/** Kafka's ClassicGroup.offsetExpirationCondition: the base time of an offset, or null (never). */
function expirationBase(group: ClassicGroup): ((o: OffsetAndMetadata) => number) | null {
  if (group.protocolType === null) return (o) => o.commitTimestampMs;
  if (group.is(EMPTY)) return (o) => (group.currentStateTimestampMs >= 0 ? group.currentStateTimestampMs : o.commitTimestampMs);
  if (group.usesConsumerProtocol() && group.subscribedTopics !== null && group.is(STABLE)) return (o) => o.commitTimestampMs;
  return null;
}

function isExpired(value: OffsetAndMetadata, baseMs: number, now: number, retentionMs: number): boolean {
  if (value.expireTimestampMs >= 0) return now >= value.expireTimestampMs;
  return now - baseMs >= retentionMs;
}
