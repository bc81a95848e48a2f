/**
 * Leader hints for NOT_LEADER_OR_FOLLOWER / FENCED_LEADER_EPOCH answers (KIP-951):
 * Produce v10+ and Fetch v12+ tell the client who leads the partition now (CurrentLeader)
 * and, in NodeEndpoints, how to reach that broker on the listener the request came in on,
 * so the client can redirect without a Metadata round trip.
 */
import type { MetadataImage } from '../cluster/metadata-image.ts';

export interface LeaderHint {
  readonly leaderId: number;
  readonly leaderEpoch: number;
}

export interface NodeEndpoint {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

export const NO_LEADER_HINT: LeaderHint = { leaderId: -1, leaderEpoch: -1 };

export function leaderHint(image: MetadataImage, topic: string, partition: number): LeaderHint {
  const state = image.topic(topic)?.partitions[partition];
  return state === undefined ? NO_LEADER_HINT : { leaderId: state.leader, leaderEpoch: state.leaderEpoch };
}

/** The endpoint of `nodeId` on `listenerName` (or its first one), or null. */
export function nodeEndpoint(image: MetadataImage, nodeId: number, listenerName: string): NodeEndpoint | null {
  const broker = image.broker(nodeId);
  if (broker === undefined) return null;
  const endpoint = broker.endpoints.find((e) => e.listenerName === listenerName);
  return { nodeId, host: endpoint?.host ?? broker.host, port: endpoint?.port ?? broker.port, rack: broker.rack };
}

/** Collects the endpoints of the leaders named in `hints`, once each. */
export function endpointsFor(image: MetadataImage, hints: readonly LeaderHint[], listenerName: string): NodeEndpoint[] {
  const ids = [...new Set(hints.map((h) => h.leaderId).filter((id) => id >= 0))];
  return ids.flatMap((id) => nodeEndpoint(image, id, listenerName) ?? []);
}
