/**
 * GroupShard: the group coordinator's state for one __consumer_offsets partition (Kafka's
 * GroupCoordinatorShard: GroupMetadataManager + OffsetMetadataManager): the classic
 * groups whose id maps to this partition and their committed offsets.
 *
 * State is built by `replay` while loading (GroupMetadata records rebuild groups as
 * Empty or Stable, tombstones delete; OffsetCommit records set or delete offsets, and a
 * commit for an unknown group creates a "simple" Empty group), then kept current by the
 * operations in classic-*.ts and offset-*.ts, which apply a change after its records are
 * committed. `onLoaded` restarts every member's session timer and the periodic offset
 * expiry; `onUnloaded` marks every group Dead and answers parked requests NOT_COORDINATOR.
 *
 * Consumer-protocol (KIP-848) groups live in `consumerGroups` (consumer/); their records
 * (key versions 3-8) are replayed through consumer/consumer-changes.ts, and a consumer
 * group's first record replaces a "simple" classic group made by offset commits alone.
 */
import type { Logger } from '../../logger.ts';
import { ErrorCode } from '../../protocol/errors.ts';
import type { GroupMetadataValue } from '../../protocol/generated/records/group-metadata-value.ts';
import type { CoordinatorShard, ShardContext } from '../runtime/coordinator-runtime.ts';
import type { CoordinatorRecord, LoadedRecord } from '../runtime/coordinator-record.ts';
import type { AppendResult } from '../runtime/partition-writer.ts';
import type { KeyedTimer } from '../runtime/timer.ts';
import { ClassicGroup, joinError, syncError } from './classic-group.ts';
import { ClassicGroupMember } from './classic-group-member.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import { rescheduleHeartbeat, prepareRebalance } from './classic-rebalance.ts';
import type { GroupConfig } from './group-config.ts';
import { scheduleOffsetExpiration } from './offset-expiration.ts';
import { OffsetStore } from './offset-store.ts';
import { decodeGroupValue, decodeKey, decodeOffsetValue } from './records.ts';
import { replayTransactional } from './txn-offsets.ts';
import { applyChange, changeFromRecord, type ConsumerGroupStore } from './consumer/consumer-changes.ts';
import { DEFAULT_CONSUMER_GROUP_CONFIG, type ConsumerGroupConfig } from './consumer/consumer-config.ts';
import { ConsumerGroup } from './consumer/consumer-group.ts';
import { cancelTimers, scheduleSessionTimeout, type TopicLookup } from './consumer/membership.ts';

/** What consumer-protocol groups need besides the classic settings. */
export interface ConsumerShardOptions {
  readonly config: ConsumerGroupConfig;
  /** The current metadata's id and partition count of a topic. */
  readonly topics: TopicLookup;
}

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

export class GroupShard implements CoordinatorShard, ConsumerGroupStore {
  readonly ctx: ShardContext;
  readonly config: GroupConfig;
  readonly consumerConfig: ConsumerGroupConfig;
  readonly topics: TopicLookup;
  readonly groups = new Map<string, ClassicGroup>();
  readonly consumerGroups = new Map<string, ConsumerGroup>();
  readonly offsets = new OffsetStore();
  readonly #inflight = new Set<Promise<AppendResult>>();
  /** An offset-expiration pass is writing its tombstones (offset-expiration.ts). */
  expirationWriting = false;

  constructor(ctx: ShardContext, config: GroupConfig, consumer: ConsumerShardOptions = { config: DEFAULT_CONSUMER_GROUP_CONFIG, topics: () => undefined }) {
    this.ctx = ctx;
    this.config = config;
    this.consumerConfig = consumer.config;
    this.topics = consumer.topics;
  }

  get timer(): KeyedTimer {
    return this.ctx.timer;
  }
  get logger(): Logger {
    return this.ctx.logger;
  }
  now(): number {
    return this.ctx.scheduler.now();
  }

  /** Appends and resolves once committed (see ShardContext.append). */
  write(records: readonly CoordinatorRecord[]): Promise<AppendResult> {
    if (!this.ctx.isActive()) return Promise.resolve({ ok: false, error: ErrorCode.NOT_COORDINATOR });
    const written = this.ctx.append(records);
    this.#inflight.add(written);
    void written.finally(() => this.#inflight.delete(written));
    return written;
  }

  /** Resolves when the writes started so far have completed and their effects are applied. */
  async whenIdle(): Promise<void> {
    while (this.#inflight.size > 0) {
      await Promise.allSettled([...this.#inflight]);
      // Let the continuations that apply a write's result run.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  group(groupId: string): ClassicGroup | undefined {
    return this.groups.get(groupId);
  }

  getOrCreateGroup(groupId: string): ClassicGroup {
    let group = this.groups.get(groupId);
    if (group === undefined) this.groups.set(groupId, (group = new ClassicGroup(groupId, EMPTY, this.now())));
    return group;
  }

  consumerGroup(groupId: string): ConsumerGroup | undefined {
    return this.consumerGroups.get(groupId);
  }

  /** A new consumer group replaces a simple classic group (one made by offset commits alone). */
  getOrCreateConsumerGroup(groupId: string): ConsumerGroup {
    let group = this.consumerGroups.get(groupId);
    if (group !== undefined) return group;
    const classic = this.groups.get(groupId);
    if (classic !== undefined && classic.size === 0) this.removeGroup(groupId);
    this.consumerGroups.set(groupId, (group = new ConsumerGroup(groupId)));
    return group;
  }

  removeConsumerGroup(groupId: string): void {
    const group = this.consumerGroups.get(groupId);
    if (group === undefined) return;
    for (const memberId of group.members.keys()) cancelTimers(this, groupId, memberId);
    this.consumerGroups.delete(groupId);
  }

  /** Drops a group and its offsets from memory (after its tombstones are committed). */
  removeGroup(groupId: string): void {
    const group = this.groups.get(groupId);
    if (group === undefined) return;
    group.transitionTo(DEAD, this.now());
    this.groups.delete(groupId);
  }

  // ---- loading -------------------------------------------------------------------------

  replay(record: LoadedRecord): void {
    // Transactional offsets stay pending until their marker (txn-offsets.ts).
    if (replayTransactional(this, record)) return;
    const key = decodeKey(record.key);
    if (key.type === 'offset') {
      if (record.value === null) {
        this.offsets.remove(key.group, key.topic, key.partition);
        return;
      }
      if (!this.consumerGroups.has(key.group)) this.getOrCreateGroup(key.group);
      this.offsets.put(key.group, key.topic, key.partition, decodeOffsetValue(record.value));
    } else if (key.type === 'group') {
      if (record.value === null) this.groups.delete(key.group);
      else this.groups.set(key.group, groupFromRecord(key.group, decodeGroupValue(record.value)));
    } else {
      const change = changeFromRecord(record.key, record.value);
      if (change !== null) applyChange(this, change);
    }
  }

  onLoaded(): void {
    for (const group of this.groups.values()) {
      for (const member of group.members()) rescheduleHeartbeat(this, group, member);
      if (group.size > this.config.maxSize) prepareRebalance(this, group, `loaded group is over capacity ${this.config.maxSize}`);
    }
    for (const group of this.consumerGroups.values()) {
      for (const memberId of group.members.keys()) scheduleSessionTimeout(this, group, memberId, this.topics);
    }
    scheduleOffsetExpiration(this);
    if (this.groups.size > 0) this.logger.info({ partition: this.ctx.partitionIndex, groups: this.groups.size }, 'loaded groups');
  }

  onUnloaded(): void {
    for (const group of this.groups.values()) {
      const previous = group.state;
      group.transitionTo(DEAD, this.now());
      for (const member of group.members()) {
        if (previous === PREPARING_REBALANCE) group.completeJoin(member, joinError(ErrorCode.NOT_COORDINATOR, member.memberId));
        if (previous === COMPLETING_REBALANCE || previous === STABLE) group.completeSync(member, syncError(ErrorCode.NOT_COORDINATOR));
      }
    }
    this.groups.clear();
    this.consumerGroups.clear();
  }
}

/** Rebuilds a group from its GroupMetadataValue (Kafka's GroupMetadataManager.replay). */
function groupFromRecord(groupId: string, value: GroupMetadataValue): ClassicGroup {
  const group = new ClassicGroup(groupId, value.members.length === 0 ? EMPTY : STABLE, value.currentStateTimestamp);
  group.generationId = value.generation;
  group.protocolType = value.protocolType === '' ? null : value.protocolType;
  group.protocolName = value.protocol;
  for (const m of value.members) {
    const member = new ClassicGroupMember({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      rebalanceTimeoutMs: m.rebalanceTimeout === -1 ? m.sessionTimeout : m.rebalanceTimeout,
      sessionTimeoutMs: m.sessionTimeout, protocolType: value.protocolType,
      protocols: [{ name: value.protocol ?? '', metadata: Buffer.from(m.subscription) }],
      assignment: Buffer.from(m.assignment),
    });
    group.add(member, null);
  }
  group.leaderId = value.leader;
  group.subscribedTopics = group.computeSubscribedTopics();
  return group;
}
