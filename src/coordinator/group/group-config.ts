/**
 * The group coordinator's settings, read once from the broker config (Kafka's
 * GroupCoordinatorConfig, classic-protocol and offset parts).
 */
import type { BrokerConfig } from '../../config/broker-config.ts';

/** Kafka's CLASSIC_GROUP_NEW_MEMBER_JOIN_TIMEOUT_MS: a new member's parked JoinGroup expires after this. */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface GroupConfig {
  readonly initialRebalanceDelayMs: number;
  readonly minSessionTimeoutMs: number;
  readonly maxSessionTimeoutMs: number;
  readonly maxSize: number;
  readonly newMemberJoinTimeoutMs: number;
  readonly offsetMetadataMaxBytes: number;
  readonly offsetsRetentionMs: number;
  readonly offsetsRetentionCheckIntervalMs: number;
}

export function groupConfigFrom(config: BrokerConfig): GroupConfig {
  return {
    initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
    minSessionTimeoutMs: config.groupMinSessionTimeoutMs,
    maxSessionTimeoutMs: config.groupMaxSessionTimeoutMs,
    maxSize: config.groupMaxSize,
    newMemberJoinTimeoutMs: NEW_MEMBER_JOIN_TIMEOUT_MS,
    offsetMetadataMaxBytes: config.getNumber('offset.metadata.max.bytes'),
    offsetsRetentionMs: config.offsetsRetentionMs,
    offsetsRetentionCheckIntervalMs: config.getNumber('offsets.retention.check.interval.ms'),
  };
}
