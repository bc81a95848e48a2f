/**
 * One member of a classic group (Kafka's ClassicGroupMember): identity, timeouts, the
 * protocols it supports (in preference order, with their metadata), its assignment, and
 * the parked JoinGroup/SyncGroup answer callbacks while it waits in a rebalance.
 */
import type { JoinGroupResponse } from '../../protocol/generated/join-group.ts';
import type { SyncGroupResponse } from '../../protocol/generated/sync-group.ts';

export interface MemberProtocol {
  readonly name: string;
  readonly metadata: Buffer;
}

/** A JoinGroup answer without throttleTimeMs (the handler adds it). */
export type JoinResult = Omit<JoinGroupResponse, 'throttleTimeMs'>;
/** A SyncGroup answer without throttleTimeMs. */
export type SyncResult = Omit<SyncGroupResponse, 'throttleTimeMs'>;

export const EMPTY_ASSIGNMENT: Buffer = Buffer.alloc(0);

export interface MemberInit {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocolType: string;
  readonly protocols: readonly MemberProtocol[];
  readonly assignment?: Buffer;
}

export class ClassicGroupMember {
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly protocolType: string;
  rebalanceTimeoutMs: number;
  sessionTimeoutMs: number;
  protocols: readonly MemberProtocol[];
  assignment: Buffer;
  /** Set while its JoinGroup is parked. */
  awaitingJoin: ((result: JoinResult) => void) | null = null;
  /** Set while its SyncGroup is parked. */
  awaitingSync: ((result: SyncResult) => void) | null = null;
  /** Joined in the current rebalance and not yet given a generation (KIP-394 expiry). */
  isNew = false;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
    this.assignment = init.assignment ?? EMPTY_ASSIGNMENT;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.awaitingJoin !== null;
  }

  get isAwaitingSync(): boolean {
    return this.awaitingSync !== null;
  }

  /** Members parked in a rebalance count as alive; new members do not (they may vanish). */
  hasSatisfiedHeartbeat(): boolean {
    return !this.isNew && (this.isAwaitingJoin || this.isAwaitingSync);
  }

  /** Same protocols, order and metadata as `protocols`. */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return protocols.length === this.protocols.length
      && protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata));
  }

  /** Its most preferred protocol among `candidates`. */
  vote(candidates: ReadonlySet<string>): string {
    const choice = this.protocols.find((p) => candidates.has(p.name));
    if (choice === undefined) throw new Error(`member ${this.memberId} supports none of the candidate protocols`);
    return choice.name;
  }

  metadata(protocolName: string): Buffer {
    const found = this.protocols.find((p) => p.name === protocolName);
    if (found === undefined) throw new Error(`member ${this.memberId} does not support protocol ${protocolName}`);
    return found.metadata;
  }
}
