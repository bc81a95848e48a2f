/**
 * Group views and deletion for the admin APIs (GroupAdminView in admin-view.ts; Kafka's
 * GroupMetadataManager.listGroups / describeGroups and GroupCoordinatorShard.deleteGroups),
 * per shard:
 *
 *  - listedGroups: every live group (classic type) with its protocol type and state;
 *  - classicGroupSnapshot: state, protocol, generation and members (each member's
 *    metadata for the chosen protocol, empty while none is chosen, and its assignment);
 *  - deleteGroups: only Empty groups (NON_EMPTY_GROUP otherwise, GROUP_ID_NOT_FOUND when
 *    unknown); writes tombstones for all its offsets and its metadata, then forgets it.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { CoordinatorRecord } from '../runtime/coordinator-record.ts';
import type { ClassicGroupSnapshot, ListedGroupSnapshot } from './admin-view.ts';
import { EMPTY_ASSIGNMENT } from './classic-group-member.ts';
import { ClassicGroupState } from './classic-group-state.ts';
import type { GroupShard } from './group-shard.ts';
import { groupMetadataTombstone, offsetCommitTombstone } from './records.ts';

const { EMPTY, DEAD } = ClassicGroupState;

export function listedGroups(shard: GroupShard): ListedGroupSnapshot[] {
  const out: ListedGroupSnapshot[] = [];
  for (const group of shard.groups.values()) {
    if (!group.is(DEAD)) out.push({ groupId: group.groupId, protocolType: group.protocolType ?? '', state: group.state, type: 'classic' });
  }
  return out;
}

export function classicGroupSnapshot(shard: GroupShard, groupId: string): ClassicGroupSnapshot | null {
  const group = shard.group(groupId);
  if (group === undefined) return null;
  const protocol = group.protocolName;
  return {
    groupId,
    state: group.state,
    protocolType: group.protocolType,
    protocolName: protocol,
    generationId: group.generationId,
    members: group.members().map((m) => ({
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, clientId: m.clientId, clientHost: m.clientHost,
      metadata: protocol === null ? EMPTY_ASSIGNMENT : m.metadata(protocol),
      assignment: m.assignment,
    })),
  };
}

/** Deletes the given groups of this shard; resolves with each group's error code. */
export async function deleteGroups(shard: GroupShard, groupIds: readonly string[]): Promise<Map<string, ErrorCodeValue>> {
  const results = new Map<string, ErrorCodeValue>();
  const records: CoordinatorRecord[] = [];
  const doomed: string[] = [];
  for (const groupId of groupIds) {
    const group = shard.group(groupId);
    if (group === undefined || group.is(DEAD)) results.set(groupId, ErrorCode.GROUP_ID_NOT_FOUND);
    else if (!group.is(EMPTY)) results.set(groupId, ErrorCode.NON_EMPTY_GROUP);
    else {
      for (const [topic, partition] of shard.offsets.entries(groupId)) records.push(offsetCommitTombstone(groupId, topic, partition));
      records.push(groupMetadataTombstone(groupId));
      doomed.push(groupId);
    }
  }
  if (doomed.length === 0) return results;
  const written = await shard.write(records);
  for (const groupId of doomed) {
    results.set(groupId, written.ok ? ErrorCode.NONE : written.error);
    if (!written.ok) continue;
    for (const [topic, partition] of shard.offsets.entries(groupId)) shard.offsets.remove(groupId, topic, partition);
    shard.removeGroup(groupId);
  }
  return results;
}
