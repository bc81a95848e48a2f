/**
 * The `uniform` server assignor (Kafka's UniformAssignor, the default): spreads all
 * subscribed partitions as evenly as possible over the members while keeping each
 * member's current target where that stays balanced (sticky), so a membership change
 * moves as few partitions as possible.
 *
 * Steps: (1) every member keeps the partitions of its current target that still exist
 * and it is still subscribed to, up to its quota (floor(total / members), plus one for as
 * many members as the remainder allows, those already holding more first); (2) every
 * partition left over goes to the subscribed member holding the fewest partitions (ties:
 * member id order). With different subscriptions the result is balanced per topic
 * subscription as far as step 2 allows, as Kafka's general uniform assignor aims for.
 */
import { addPartition, type AssignmentMember, type PartitionAssignor } from './assignor.ts';

interface Slot {
  readonly member: AssignmentMember;
  readonly subscribed: ReadonlySet<string>;
  readonly assigned: Map<string, Set<number>>;
  count: number;
}

export const uniformAssignor: PartitionAssignor = {
  name: 'uniform',
  assign(members, partitionCount) {
    const slots = [...members]
      .sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0))
      .map((member): Slot => ({ member, subscribed: new Set(member.subscribedTopicIds), assigned: new Map(), count: 0 }));
    const all = allPartitions(members, partitionCount);
    const taken = new Set<string>();
    keepSticky(slots, all.length, partitionCount, taken);
    for (const [topicId, partition] of all) {
      if (taken.has(`${topicId}:${partition}`)) continue;
      let best: Slot | undefined;
      for (const s of slots) if (s.subscribed.has(topicId) && (best === undefined || s.count < best.count)) best = s;
      if (best === undefined) continue;
      addPartition(best.assigned, topicId, partition);
      best.count++;
    }
    return new Map(slots.map((s) => [s.member.memberId, s.assigned]));
  },
};

function allPartitions(members: readonly AssignmentMember[], partitionCount: (topicId: string) => number): [string, number][] {
  const topics = [...new Set(members.flatMap((m) => m.subscribedTopicIds))].sort();
  return topics.flatMap((t) => Array.from({ length: partitionCount(t) }, (_, p): [string, number] => [t, p]));
}

function keepSticky(slots: Slot[], total: number, partitionCount: (topicId: string) => number, taken: Set<string>): void {
  if (slots.length === 0) return;
  const quota = Math.floor(total / slots.length);
  let extras = total % slots.length;
  const kept = slots.map((s) => [...s.member.target]
    .filter(([topicId]) => s.subscribed.has(topicId))
    .flatMap(([topicId, ps]) => [...ps].filter((p) => p < partitionCount(topicId)).sort((a, b) => a - b).map((p): [string, number] => [topicId, p])));
  // Members that already hold more than the quota keep the extra ones first.
  const order = slots.map((_, i) => i).sort((a, b) => kept[b]!.length - kept[a]!.length);
  for (const i of order) {
    const slot = slots[i]!;
    let limit = quota;
    if (extras > 0 && kept[i]!.length > quota) {
      limit++;
      extras--;
    }
    for (const [topicId, p] of kept[i]!.slice(0, limit)) {
      const key = `${topicId}:${p}`;
      if (taken.has(key)) continue;
      taken.add(key);
      addPartition(slot.assigned, topicId, p);
      slot.count++;
    }
  }
}
