/**
 * Offset commits to a consumer-protocol group (Kafka's ConsumerGroup.validateOffsetCommit):
 * a commit with a negative epoch is accepted only while the group has no members (admin
 * tools); otherwise the member must exist (UNKNOWN_MEMBER_ID), use OffsetCommit v9+
 * (UNSUPPORTED_VERSION), and commit at its current member epoch (STALE_MEMBER_EPOCH).
 */
import { ErrorCode, type ErrorCodeValue } from '../../../protocol/errors.ts';
import type { ConsumerGroup } from './consumer-group.ts';

/** First OffsetCommit version a consumer-protocol member may use. */
const CONSUMER_PROTOCOL_MIN_VERSION = 9;

export function validateConsumerCommit(group: ConsumerGroup, memberId: string, memberEpoch: number, apiVersion: number): ErrorCodeValue {
  if (memberEpoch < 0 && group.members.size === 0) return ErrorCode.NONE;
  const member = group.member(memberId);
  if (member === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
  if (apiVersion < CONSUMER_PROTOCOL_MIN_VERSION) return ErrorCode.UNSUPPORTED_VERSION;
  return memberEpoch === member.memberEpoch ? ErrorCode.NONE : ErrorCode.STALE_MEMBER_EPOCH;
}
