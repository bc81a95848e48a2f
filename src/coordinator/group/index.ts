/** The group coordinator (classic protocol, offsets in __consumer_offsets). */
export { GroupCoordinator } from './group-coordinator.ts';
export type { CoordinatorAnswer, GroupCoordinatorOptions } from './group-coordinator.ts';
export type { JoinResult, SyncResult } from './classic-group-member.ts';
export type { JoinContext } from './classic-join.ts';
export type { LeaveResult, LeavingMember } from './classic-membership.ts';
export type { ClassicGroupSnapshot, GroupAdminView, ListedGroupSnapshot } from './admin-view.ts';
export { ClassicGroupState, VALID_PREVIOUS_STATES } from './classic-group-state.ts';
export type { ClassicGroupStateName } from './classic-group-state.ts';
export { GroupShard } from './group-shard.ts';
export * as groupRecords from './records.ts';
