/**
 * What the group admin APIs (DescribeGroups, ListGroups, DeleteGroups in src/server/apis/)
 * need from the group coordinator: read-only snapshots of the groups this broker
 * coordinates, and the deletion of empty groups (offsets and group metadata tombstoned in
 * __consumer_offsets, as Kafka's GroupMetadataManager.deleteGroups). The coordinator owns
 * the state; this is the narrow surface the handlers see, so they can be tested with a
 * fake.
 */
import type { ErrorCodeValue } from '../../protocol/errors.ts';

/** Kafka's classic group states, as their names appear on the wire. */
export type ClassicGroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

/** Group types of ListGroups v5+ (Kafka's Group.GroupType, lower case on the wire). */
export type GroupType = 'classic' | 'consumer';

export interface ClassicMemberSnapshot {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  /** The member's subscription metadata for the group's chosen protocol (empty when none). */
  readonly metadata: Buffer;
  /** The assignment the leader gave it in the current generation (empty when none yet). */
  readonly assignment: Buffer;
}

export interface ClassicGroupSnapshot {
  readonly groupId: string;
  readonly state: ClassicGroupState;
  /** null for a group made by offset commits alone (standalone consumers). */
  readonly protocolType: string | null;
  /** The protocol chosen for the current generation; null while none is. */
  readonly protocolName: string | null;
  readonly generationId: number;
  readonly members: readonly ClassicMemberSnapshot[];
}

export interface ListedGroupSnapshot {
  readonly groupId: string;
  /** "" when the group has none. */
  readonly protocolType: string;
  /** The state as Kafka names it ("Stable", "Empty", ...; consumer groups: "Assigning", ...). */
  readonly state: string;
  readonly type: GroupType;
}

export interface GroupAdminView {
  /**
   * NONE when this broker coordinates `groupId` and has loaded its partition; otherwise
   * the error the client gets (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS,
   * COORDINATOR_NOT_AVAILABLE).
   */
  coordinatorError(groupId: string): ErrorCodeValue;
  /** The classic group, or null when there is none (unknown, deleted, or not classic). */
  classicGroup(groupId: string): ClassicGroupSnapshot | null;
  /**
   * Every group of every partition this broker coordinates. `error` is not NONE when
   * some partition is still loading (Kafka then answers that error and no groups).
   */
  listGroups(): { error: ErrorCodeValue; groups: ListedGroupSnapshot[] };
  /**
   * Deletes each group that exists and has no members (tombstones for its offsets and
   * group metadata, committed before the answer): NONE, GROUP_ID_NOT_FOUND,
   * NON_EMPTY_GROUP, or a coordinator error, by group id.
   */
  deleteGroups(groupIds: readonly string[]): Promise<Map<string, ErrorCodeValue>>;
}
