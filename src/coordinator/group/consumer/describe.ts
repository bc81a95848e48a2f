/**
 * ConsumerGroupDescribe and ListGroups views of consumer-protocol groups (Kafka's
 * ConsumerGroup.asDescribedGroup / asListedGroup): state, group epoch, assignment epoch,
 * the assignor in use, and every member with its current and target assignment (topic
 * names from the group's subscription metadata, else from the current metadata).
 */
import { ErrorCode } from '../../../protocol/errors.ts';
import type {
  ConsumerGroupDescribeResponseAssignment, ConsumerGroupDescribeResponseDescribedGroup,
} from '../../../protocol/generated/consumer-group-describe.ts';
import type { TopicPartitions } from '../assignors/assignor.ts';
import type { ListedGroupSnapshot } from '../admin-view.ts';
import type { GroupShard } from '../group-shard.ts';
import { EMPTY_PARTITIONS, type ConsumerGroup } from './consumer-group.ts';
import { preferredAssignor } from './target-assignment.ts';

export type DescribedConsumerGroup = Omit<ConsumerGroupDescribeResponseDescribedGroup, 'authorizedOperations'>;

/** Kafka's ConsumerGroup.PROTOCOL_TYPE. */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';

export function describeConsumerGroup(shard: GroupShard, groupId: string, topicName: (topicId: string) => string): DescribedConsumerGroup {
  const group = shard.consumerGroup(groupId);
  if (group === undefined) {
    const message = shard.group(groupId) === undefined ? `Group ${groupId} not found.` : `Group ${groupId} is not a consumer group.`;
    return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, errorMessage: message, groupId, groupState: 'Dead', groupEpoch: -1, assignmentEpoch: -1, assignorName: '', members: [] };
  }
  const names = new Map([...group.subscriptionMetadata].map(([name, t]) => [t.topicId, name]));
  const assignment = (tp: TopicPartitions): ConsumerGroupDescribeResponseAssignment => ({
    topicPartitions: [...tp].map(([topicId, ps]) => ({ topicId, topicName: names.get(topicId) ?? topicName(topicId), partitions: [...ps].sort((a, b) => a - b) })),
  });
  return {
    errorCode: ErrorCode.NONE, errorMessage: null, groupId,
    groupState: group.state(), groupEpoch: group.groupEpoch, assignmentEpoch: group.assignmentEpoch,
    assignorName: preferredAssignor(group, shard.consumerConfig.assignors[0] ?? 'uniform'),
    members: [...group.members.values()].map((m) => ({
      memberId: m.memberId, instanceId: m.instanceId, rackId: m.rackId, memberEpoch: m.memberEpoch,
      clientId: m.clientId, clientHost: m.clientHost, subscribedTopicNames: [...m.subscribedTopicNames], subscribedTopicRegex: null,
      assignment: assignment(m.assignedPartitions),
      targetAssignment: assignment(group.targetAssignment.get(m.memberId) ?? EMPTY_PARTITIONS),
    })),
  };
}

export function listedConsumerGroups(shard: GroupShard): ListedGroupSnapshot[] {
  return [...shard.consumerGroups.values()].map((g: ConsumerGroup) => ({ groupId: g.groupId, protocolType: CONSUMER_PROTOCOL_TYPE, state: g.state(), type: 'consumer' }));
}
