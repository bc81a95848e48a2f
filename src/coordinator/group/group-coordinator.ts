/**
 * GroupCoordinator: the broker's group coordinator (Kafka's GroupCoordinatorService).
 * Routes each request to the GroupShard of the group's __consumer_offsets partition
 * (`abs(hash(groupId)) % offsets.topic.num.partitions`, see runtime/partition-for.ts),
 * answering COORDINATOR_LOAD_IN_PROGRESS / NOT_COORDINATOR / COORDINATOR_NOT_AVAILABLE
 * when that shard is not here, and performs the checks Kafka makes before routing
 * (INVALID_GROUP_ID, INVALID_SESSION_TIMEOUT).
 *
 * Public API used by the request handlers: findCoordinator, joinGroup, syncGroup,
 * heartbeat, leaveGroup, commitOffsets, fetchOffsets, deleteOffsets; and GroupAdminView
 * (admin-view.ts) for DescribeGroups/ListGroups/DeleteGroups: coordinatorError,
 * classicGroup, listGroups, deleteGroups; consumerGroupHeartbeat and consumerGroupDescribe
 * for consumer-protocol (KIP-848) groups (consumer/). Classic requests for a consumer group
 * are refused as Kafka refuses them without online migration: JoinGroup
 * INCONSISTENT_GROUP_PROTOCOL, SyncGroup/Heartbeat/LeaveGroup UNKNOWN_MEMBER_ID.
 */
import { consumerOffsetsTopicSpec } from '../../cluster/internal-topics.ts';
import { CONSUMER_OFFSETS_TOPIC } from '../../cluster/topic-names.ts';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { HeartbeatRequest } from '../../protocol/generated/heartbeat.ts';
import type { JoinGroupRequest } from '../../protocol/generated/join-group.ts';
import type { OffsetCommitRequest } from '../../protocol/generated/offset-commit.ts';
import type { OffsetDeleteRequestOffsetDeleteRequestTopic } from '../../protocol/generated/offset-delete.ts';
import type { SyncGroupRequest } from '../../protocol/generated/sync-group.ts';
import type { CompressionCodecId } from '../../protocol/records/batch-layout.ts';
import { CoordinatorRuntime } from '../runtime/coordinator-runtime.ts';
import { schedulerFor, type Scheduler } from '../runtime/timer.ts';
import { joinError, syncError } from './classic-group.ts';
import type { JoinResult, SyncResult } from './classic-group-member.ts';
import { joinGroup, type JoinContext } from './classic-join.ts';
import { heartbeat, leaveGroup, type LeaveResult, type LeavingMember } from './classic-membership.ts';
import { syncGroup } from './classic-sync.ts';
import type { ClassicGroupSnapshot, GroupAdminView, ListedGroupSnapshot } from './admin-view.ts';
import { classicGroupSnapshot, deleteGroups, listedGroups } from './group-admin.ts';
import { groupConfigFrom, type GroupConfig } from './group-config.ts';
import { GroupShard } from './group-shard.ts';
import { commitOffsets, type CommitResult } from './offset-commit.ts';
import { deleteOffsets, deleteOffsetsOfTopic, type DeleteResult } from './offset-delete.ts';
import { fetchOffsets, type FetchResult, type FetchTopic } from './offset-fetch.ts';
import type { ConsumerGroupHeartbeatRequest } from '../../protocol/generated/consumer-group-heartbeat.ts';
import { consumerGroupConfigFrom, type ConsumerGroupConfig } from './consumer/consumer-config.ts';
import { deleteConsumerGroups } from './consumer/delete.ts';
import { describeConsumerGroup, listedConsumerGroups, type DescribedConsumerGroup } from './consumer/describe.ts';
import { consumerGroupHeartbeat, heartbeatError, validateRequest, type HeartbeatResult } from './consumer/heartbeat.ts';
import type { SubscribedTopic } from './consumer/consumer-group.ts';
import type { CoordinatorDeps } from '../runtime/coordinator-deps.ts';

export type GroupCoordinatorOptions = CoordinatorDeps;

export type CoordinatorAnswer =
  | { readonly errorCode: typeof ErrorCode.NONE; readonly nodeId: number }
  | { readonly errorCode: ErrorCodeValue; readonly nodeId: -1 };

export class GroupCoordinator implements GroupAdminView {
  readonly runtime: CoordinatorRuntime<GroupShard>;
  readonly groupConfig: GroupConfig;
  readonly consumerConfig: ConsumerGroupConfig;
  readonly #scheduler: Scheduler;
  readonly #metadata: GroupCoordinatorOptions['metadata'];
  #unsubscribe: (() => void) | null = null;

  constructor(opts: GroupCoordinatorOptions) {
    this.groupConfig = groupConfigFrom(opts.config);
    this.#scheduler = schedulerFor(opts.clock);
    this.#metadata = opts.metadata;
    const consumerConfig = (this.consumerConfig = consumerGroupConfigFrom(opts.config));
    this.runtime = new CoordinatorRuntime<GroupShard>({
      topic: CONSUMER_OFFSETS_TOPIC,
      configuredPartitions: opts.config.offsetsTopicNumPartitions,
      replicas: opts.replicas,
      metadata: opts.metadata,
      metadataApplied: opts.metadataApplied,
      topicSpec: () => consumerOffsetsTopicSpec(opts.config, Math.max(1, opts.metadata.image().brokerIds().length)),
      scheduler: this.#scheduler,
      logger: opts.logger,
      appendTimeoutMs: opts.config.getNumber('offsets.commit.timeout.ms'),
      loadBufferBytes: opts.config.getNumber('offsets.load.buffer.size'),
      compression: opts.config.getNumber('offsets.topic.compression.codec') as CompressionCodecId,
      createShard: (ctx) => new GroupShard(ctx, this.groupConfig, { config: consumerConfig, topics: (name) => this.#subscribedTopic(name) }),
    });
  }

  #subscribedTopic(name: string): SubscribedTopic | undefined {
    const topic = this.#metadata.image().topic(name);
    return topic === undefined ? undefined : { topicId: topic.topicId, numPartitions: topic.partitions.length };
  }

  /** True when `groupId` is a consumer-protocol group of a loaded shard here. */
  #isConsumerGroup(groupId: string): boolean {
    const found = this.runtime.shardFor(groupId);
    return found.ok && found.shard.consumerGroup(groupId) !== undefined;
  }

  /** Loads the partitions this broker leads; from now on, offsets of deleted topics are deleted too. */
  start(): Promise<void> {
    this.#unsubscribe = this.#metadata.onChange((_image, change) => {
      if (change.kind !== 'topic-deleted') return;
      for (const shard of this.runtime.activeShards()) void deleteOffsetsOfTopic(shard, change.topic.name);
    });
    return this.runtime.start();
  }

  close(): Promise<void> {
    this.#unsubscribe?.();
    return this.runtime.close();
  }

  /** Resolves when every internal-topic write started so far is done and applied (tests, shutdown). */
  async whenIdle(): Promise<void> {
    await Promise.all(this.runtime.activeShards().map((s) => s.whenIdle()));
  }

  /**
   * The broker coordinating `groupId`: the leader of its __consumer_offsets partition.
   * Creates the topic on first use; COORDINATOR_NOT_AVAILABLE while it has no leader.
   */
  async findCoordinator(groupId: string): Promise<CoordinatorAnswer> {
    const created = await this.runtime.ensureTopic();
    if (created !== ErrorCode.NONE) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 };
    const found = this.runtime.leaderFor(groupId);
    return found === null ? { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, nodeId: -1 } : { errorCode: ErrorCode.NONE, nodeId: found.leader };
  }

  joinGroup(request: JoinGroupRequest, ctx: JoinContext): Promise<JoinResult> {
    if (request.groupId === '') return Promise.resolve(joinError(ErrorCode.INVALID_GROUP_ID, request.memberId));
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.groupConfig;
    if (request.sessionTimeoutMs < minSessionTimeoutMs || request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return Promise.resolve(joinError(ErrorCode.INVALID_SESSION_TIMEOUT, request.memberId));
    }
    const found = this.runtime.shardFor(request.groupId);
    if (!found.ok) return Promise.resolve(joinError(found.error, request.memberId));
    if (this.#isConsumerGroup(request.groupId)) return Promise.resolve(joinError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, request.memberId));
    return joinGroup(found.shard, request, ctx);
  }

  syncGroup(request: SyncGroupRequest): Promise<SyncResult> {
    if (request.groupId === '') return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const found = this.runtime.shardFor(request.groupId);
    if (!found.ok) return Promise.resolve(syncError(found.error));
    if (this.#isConsumerGroup(request.groupId)) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    return syncGroup(found.shard, request);
  }

  heartbeat(request: HeartbeatRequest): ErrorCodeValue {
    if (request.groupId === '') return ErrorCode.INVALID_GROUP_ID;
    const found = this.runtime.shardFor(request.groupId);
    // Kafka answers a heartbeat NONE while the group is loading.
    if (!found.ok) return found.error === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS ? ErrorCode.NONE : found.error;
    if (this.#isConsumerGroup(request.groupId)) return ErrorCode.UNKNOWN_MEMBER_ID;
    return heartbeat(found.shard, request);
  }

  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveResult {
    if (groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const found = this.runtime.shardFor(groupId);
    if (!found.ok) return { errorCode: found.error, members: [] };
    if (this.#isConsumerGroup(groupId)) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: [] };
    return leaveGroup(found.shard, groupId, members);
  }

  /** Per-partition errors; the empty group id is allowed, as Kafka does for old clients. */
  async commitOffsets(request: OffsetCommitRequest, apiVersion: number): Promise<CommitResult> {
    const found = this.runtime.shardFor(request.groupId);
    if (!found.ok) {
      return request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: found.error })) }));
    }
    return commitOffsets(found.shard, request, apiVersion);
  }

  /** `topics` null: every committed offset of the group. */
  fetchOffsets(groupId: string, topics: readonly FetchTopic[] | null): { errorCode: ErrorCodeValue; topics: FetchResult } {
    const found = this.runtime.shardFor(groupId);
    if (!found.ok) return { errorCode: found.error, topics: [] };
    return { errorCode: ErrorCode.NONE, topics: fetchOffsets(found.shard, groupId, topics) };
  }

  deleteOffsets(groupId: string, topics: readonly OffsetDeleteRequestOffsetDeleteRequestTopic[]): Promise<DeleteResult> {
    if (groupId === '') return Promise.resolve({ errorCode: ErrorCode.INVALID_GROUP_ID, topics: [] });
    const found = this.runtime.shardFor(groupId);
    if (!found.ok) return Promise.resolve({ errorCode: found.error, topics: [] });
    return deleteOffsets(found.shard, groupId, topics);
  }

  // ---- consumer protocol (KIP-848) ----------------------------------------------------

  consumerGroupHeartbeat(request: ConsumerGroupHeartbeatRequest, ctx: { apiVersion: number; clientId: string; clientHost: string }): Promise<HeartbeatResult> {
    const invalid = validateRequest(request, ctx.apiVersion, this.consumerConfig.assignors);
    if (invalid !== null) return Promise.resolve(invalid);
    const found = this.runtime.shardFor(request.groupId);
    if (!found.ok) return Promise.resolve(heartbeatError(found.error));
    return consumerGroupHeartbeat(found.shard, request, { ...ctx, topics: (name) => this.#subscribedTopic(name) });
  }

  consumerGroupDescribe(groupId: string): DescribedConsumerGroup {
    const found = this.runtime.shardFor(groupId);
    if (!found.ok) {
      return { errorCode: found.error, errorMessage: null, groupId, groupState: '', groupEpoch: -1, assignmentEpoch: -1, assignorName: '', members: [] };
    }
    return describeConsumerGroup(found.shard, groupId, (topicId) => this.#metadata.image().topicById(topicId)?.name ?? '');
  }

  // ---- GroupAdminView (DescribeGroups, ListGroups, DeleteGroups) ----------------------

  coordinatorError(groupId: string): ErrorCodeValue {
    const found = this.runtime.shardFor(groupId);
    return found.ok ? ErrorCode.NONE : found.error;
  }

  classicGroup(groupId: string): ClassicGroupSnapshot | null {
    const found = this.runtime.shardFor(groupId);
    return found.ok ? classicGroupSnapshot(found.shard, groupId) : null;
  }

  /** COORDINATOR_LOAD_IN_PROGRESS while any partition this broker leads is loading, as Kafka. */
  listGroups(): { error: ErrorCodeValue; groups: ListedGroupSnapshot[] } {
    if (this.runtime.loadingPartitions().length > 0) return { error: ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, groups: [] };
    return { error: ErrorCode.NONE, groups: this.runtime.activeShards().flatMap((s) => [...listedGroups(s), ...listedConsumerGroups(s)]) };
  }

  /** Deletes Empty groups with their offsets; resolves with each group's error code. */
  async deleteGroups(groupIds: readonly string[]): Promise<Map<string, ErrorCodeValue>> {
    const results = new Map<string, ErrorCodeValue>();
    const byShard = new Map<GroupShard, string[]>();
    for (const groupId of groupIds) {
      const found = this.runtime.shardFor(groupId);
      if (!found.ok) results.set(groupId, found.error);
      else byShard.set(found.shard, [...(byShard.get(found.shard) ?? []), groupId]);
    }
    const perShard = await Promise.all([...byShard].flatMap(([shard, ids]) => {
      const consumer = ids.filter((id) => shard.consumerGroup(id) !== undefined);
      return [deleteGroups(shard, ids.filter((id) => !consumer.includes(id))), deleteConsumerGroups(shard, consumer)];
    }));
    for (const m of perShard) for (const [groupId, code] of m) results.set(groupId, code);
    return results;
  }
}
