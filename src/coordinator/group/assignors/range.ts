/**
 * The `range` server assignor (Kafka's RangeAssignor, KIP-848 flavour): per topic, the
 * members subscribed to it, ordered by member id, each get a contiguous range of
 * partitions; the first `partitions % members` members get one more. Members subscribed
 * to the same topics therefore get the same partition numbers of co-partitioned topics.
 */
import { addPartition, type AssignmentMember, type PartitionAssignor } from './assignor.ts';

export const rangeAssignor: PartitionAssignor = {
  name: 'range',
  assign(members, partitionCount) {
    const result = new Map<string, Map<string, Set<number>>>(members.map((m) => [m.memberId, new Map()]));
    const byTopic = new Map<string, AssignmentMember[]>();
    for (const m of members) for (const t of m.subscribedTopicIds) byTopic.set(t, [...(byTopic.get(t) ?? []), m]);
    for (const [topicId, subscribers] of byTopic) {
      const count = partitionCount(topicId);
      const sorted = [...subscribers].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
      const base = Math.floor(count / sorted.length);
      const extra = count % sorted.length;
      let next = 0;
      sorted.forEach((m, i) => {
        const size = base + (i < extra ? 1 : 0);
        for (let p = next; p < next + size; p++) addPartition(result.get(m.memberId)!, topicId, p);
        next += size;
      });
    }
    return result;
  },
};
