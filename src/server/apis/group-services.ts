/**
 * What the group handlers (FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup,
 * OffsetCommit, OffsetFetch, OffsetDelete) need: the group coordinator and the metadata
 * image (for the coordinator's endpoint). BrokerServices is a structural superset.
 */
import type { MetadataStore } from '../../cluster/metadata-store.ts';
import type { GroupCoordinator } from '../../coordinator/group/group-coordinator.ts';

export interface GroupServices {
  readonly groups: GroupCoordinator;
  readonly metadata: Pick<MetadataStore, 'image'>;
}
