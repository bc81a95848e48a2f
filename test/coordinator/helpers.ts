/**
 * Group coordinator test fixture: a ReplicaManager on a temp dir (test/replication's
 * Fixture), a hand-driven ManualScheduler as the clock, a metadata stand-in that creates
 * __consumer_offsets by applying it to the fixture's image, and a GroupCoordinator on
 * top, already started and loaded. Helpers build classic JoinGroup/SyncGroup requests
 * with consumer-protocol subscriptions.
 */
import { ManualScheduler } from '../../src/coordinator/runtime/timer.ts';
import { GroupCoordinator } from '../../src/coordinator/group/group-coordinator.ts';
import type { CreateTopicSpec, MetadataListener } from '../../src/cluster/metadata-store.ts';
import type { TopicInfo } from '../../src/cluster/metadata-image.ts';
import { silentLogger } from '../../src/logger.ts';
import type { JoinGroupRequest } from '../../src/protocol/generated/join-group.ts';
import type { SyncGroupRequest } from '../../src/protocol/generated/sync-group.ts';
import type { OffsetCommitRequest } from '../../src/protocol/generated/offset-commit.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { Fixture } from '../replication/helpers.ts';

export const GROUP_DEFAULTS: Record<string, string> = {
  'offsets.topic.num.partitions': '3',
  'group.initial.rebalance.delay.ms': '0',
  'group.min.session.timeout.ms': '1000',
};

export interface GroupFixture {
  readonly f: Fixture;
  readonly scheduler: ManualScheduler;
  readonly groups: GroupCoordinator;
  /** Creates a topic in the image (no coordinator involvement). */
  createTopic(name: string, partitions: number): Promise<void>;
  /** Deletes a topic from the image and tells the metadata listeners. */
  deleteTopic(name: string): Promise<void>;
  /** Closes the coordinator and opens a new one on the same logs (a reload). */
  reload(): Promise<GroupCoordinator>;
  close(): Promise<void>;
}

export async function groupFixture(props: Record<string, string> = {}, opts: { dir?: string } = {}): Promise<GroupFixture> {
  const scheduler = new ManualScheduler();
  const f = await Fixture.open({ clock: scheduler, props: { ...GROUP_DEFAULTS, ...props }, dir: opts.dir });
  const listeners = new Set<MetadataListener>();
  const metadata = {
    image: () => f.image,
    onChange: (l: MetadataListener) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    createTopic: async (spec: CreateTopicSpec): Promise<TopicInfo> => {
      const [info] = await f.setTopics({ name: spec.name, partitions: spec.numPartitions, configs: { ...spec.configs }, isInternal: true });
      return info;
    },
  };
  const open = async (): Promise<GroupCoordinator> => {
    const g = new GroupCoordinator({ config: f.config, metadata, metadataApplied: async () => {}, replicas: f.replicas, clock: scheduler, logger: silentLogger });
    await g.start();
    await g.findCoordinator('any');
    await g.runtime.whenLoaded();
    return g;
  };
  let groups = await open();
  return {
    f, scheduler,
    get groups() { return groups; },
    async createTopic(name, partitions) {
      await f.setTopics({ name, partitions });
    },
    async deleteTopic(name) {
      const topic = f.image.topic(name)!;
      await f.apply(f.image.withoutTopic(topic.topicId));
      for (const l of listeners) l(f.image, { kind: 'topic-deleted', topic });
    },
    async reload() {
      await groups.close();
      groups = await open();
      return groups;
    },
    async close() {
      await groups.close();
      await f.close();
    },
  };
}

/** ConsumerProtocolSubscription v0: version, topics, null user data. */
export function subscription(topics: readonly string[]): Buffer {
  const w = new Writer();
  w.writeInt16(0);
  w.writeInt32(topics.length);
  for (const t of topics) w.writeString(t);
  w.writeInt32(-1);
  return w.toBuffer();
}

export function joinRequest(groupId: string, memberId = '', over: Partial<JoinGroupRequest> = {}): JoinGroupRequest {
  return {
    groupId, memberId, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 30_000, groupInstanceId: null,
    protocolType: 'consumer', protocols: [{ name: 'range', metadata: subscription(['t']) }], reason: null, ...over,
  };
}

export function syncRequest(groupId: string, memberId: string, generationId: number, over: Partial<SyncGroupRequest> = {}): SyncGroupRequest {
  return { groupId, memberId, generationId, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [], ...over };
}

export function commitRequest(groupId: string, generation: number, memberId: string, offsets: Record<string, number>, over: Partial<OffsetCommitRequest> = {}): OffsetCommitRequest {
  const byTopic = new Map<string, { partitionIndex: number; committedOffset: number }[]>();
  for (const [tp, offset] of Object.entries(offsets)) {
    const [topic, p] = tp.split(':');
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), { partitionIndex: Number(p), committedOffset: offset }]);
  }
  return {
    groupId, generationIdOrMemberEpoch: generation, memberId, groupInstanceId: null, retentionTimeMs: -1,
    topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((p) => ({ ...p, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: '' })) })),
    ...over,
  };
}

export const CTX = { apiVersion: 9, clientId: 'test-client', clientHost: '/127.0.0.1' };

/** Lets a parked operation reach its next await (no writes involved). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
}
