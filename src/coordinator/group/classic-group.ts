/**
 * A classic-protocol group (Kafka's ClassicGroup): its state (see classic-group-state.ts),
 * generation, protocol type and selected protocol, leader, members (with the static
 * group.instance.id -> member id map), KIP-394 pending members (given an id, not yet
 * rejoined), members that still owe a SyncGroup, and the counters the rebalance logic
 * reads. It holds no timers and writes nothing: the operations in classic-*.ts do that.
 *
 * Owner: the GroupShard of the __consumer_offsets partition the group id maps to.
 */
import { randomUUID } from 'node:crypto';
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import type { JoinGroupResponseJoinGroupResponseMember } from '../../protocol/generated/join-group.ts';
import { ClassicGroupMember, type JoinResult, type MemberProtocol, type SyncResult } from './classic-group-member.ts';
import { ClassicGroupState, isValidTransition, type ClassicGroupStateName } from './classic-group-state.ts';
import { CONSUMER_PROTOCOL_TYPE, subscribedTopics } from './consumer-protocol.ts';

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, DEAD } = ClassicGroupState;

export class ClassicGroup {
  readonly groupId: string;
  #state: ClassicGroupStateName;
  #previousState: ClassicGroupStateName;
  /** When the state last changed (-1: unknown, e.g. loaded from a v0/v1 record). */
  currentStateTimestampMs: number;
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Topics the members subscribe to; null when unknown (not the consumer protocol). */
  subscribedTopics: ReadonlySet<string> | null = null;
  /** Set when a member joined during the initial (delayed) rebalance. */
  newMemberAdded = false;
  readonly #members = new Map<string, ClassicGroupMember>();
  readonly #staticMembers = new Map<string, string>();
  readonly #pendingJoinMembers = new Set<string>();
  readonly #pendingSyncMembers = new Set<string>();
  readonly #supportedProtocols = new Map<string, number>();
  #awaitingJoinCount = 0;

  constructor(groupId: string, state: ClassicGroupStateName, nowMs: number) {
    this.groupId = groupId;
    this.#state = state;
    this.#previousState = state;
    this.currentStateTimestampMs = nowMs;
  }

  get state(): ClassicGroupStateName {
    return this.#state;
  }
  get previousState(): ClassicGroupStateName {
    return this.#previousState;
  }
  is(state: ClassicGroupStateName): boolean {
    return this.#state === state;
  }

  transitionTo(state: ClassicGroupStateName, nowMs: number): void {
    if (!isValidTransition(this.#state, state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.#state} -> ${state}`);
    }
    this.#previousState = this.#state;
    this.#state = state;
    this.currentStateTimestampMs = nowMs;
  }

  /** A rebalance may start from here (PreparingRebalance's valid previous states). */
  canRebalance(): boolean {
    return isValidTransition(this.#state, PREPARING_REBALANCE);
  }

  // ---- members -------------------------------------------------------------------------

  get size(): number {
    return this.#members.size;
  }
  members(): ClassicGroupMember[] {
    return [...this.#members.values()];
  }
  member(memberId: string): ClassicGroupMember | undefined {
    return this.#members.get(memberId);
  }
  hasMember(memberId: string): boolean {
    return this.#members.has(memberId);
  }
  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }
  staticMemberId(groupInstanceId: string): string | undefined {
    return this.#staticMembers.get(groupInstanceId);
  }
  get awaitingJoinCount(): number {
    return this.#awaitingJoinCount;
  }

  add(member: ClassicGroupMember, onJoin: ((r: JoinResult) => void) | null): void {
    if (member.groupInstanceId !== null) {
      if (this.#staticMembers.has(member.groupInstanceId)) throw new Error(`static member ${member.groupInstanceId} is already in group ${this.groupId}`);
      this.#staticMembers.set(member.groupInstanceId, member.memberId);
    }
    if (this.#members.size === 0) this.protocolType = member.protocolType;
    this.leaderId ??= member.memberId;
    this.#members.set(member.memberId, member);
    this.#countProtocols(member.protocols, 1);
    this.#setAwaitingJoin(member, onJoin);
    this.#pendingJoinMembers.delete(member.memberId);
  }

  remove(memberId: string): void {
    const member = this.#members.get(memberId);
    if (member !== undefined) {
      this.#members.delete(memberId);
      this.#countProtocols(member.protocols, -1);
      if (member.isAwaitingJoin) this.#awaitingJoinCount--;
      if (member.groupInstanceId !== null) this.#staticMembers.delete(member.groupInstanceId);
    }
    if (this.leaderId === memberId) this.leaderId = this.#members.keys().next().value ?? null;
    this.#pendingJoinMembers.delete(memberId);
    this.#pendingSyncMembers.delete(memberId);
  }

  updateMember(member: ClassicGroupMember, protocols: readonly MemberProtocol[], rebalanceTimeoutMs: number, sessionTimeoutMs: number, onJoin: ((r: JoinResult) => void) | null): void {
    this.#countProtocols(member.protocols, -1);
    member.protocols = protocols;
    this.#countProtocols(protocols, 1);
    member.rebalanceTimeoutMs = rebalanceTimeoutMs;
    member.sessionTimeoutMs = sessionTimeoutMs;
    this.#setAwaitingJoin(member, onJoin);
  }

  /**
   * A static member rejoined with an unknown member id: the old member id is replaced by
   * `newMemberId` (keeping its assignment), and whoever still waits under the old id is
   * fenced with FENCED_INSTANCE_ID.
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string): ClassicGroupMember {
    const old = this.#members.get(oldMemberId);
    if (old === undefined) throw new Error(`cannot replace unknown member ${oldMemberId}`);
    this.#members.delete(oldMemberId);
    if (old.isAwaitingJoin) this.#awaitingJoinCount--;
    this.#resolveJoin(old, { ...joinError(ErrorCode.FENCED_INSTANCE_ID, oldMemberId), leader: '' });
    this.completeSync(old, syncError(ErrorCode.FENCED_INSTANCE_ID));
    const replacement = new ClassicGroupMember({ ...old, memberId: newMemberId, protocols: old.protocols, assignment: old.assignment });
    this.#members.set(newMemberId, replacement);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    this.#staticMembers.set(groupInstanceId, newMemberId);
    return replacement;
  }

  #setAwaitingJoin(member: ClassicGroupMember, onJoin: ((r: JoinResult) => void) | null): void {
    if (onJoin !== null && !member.isAwaitingJoin) this.#awaitingJoinCount++;
    else if (onJoin === null && member.isAwaitingJoin) this.#awaitingJoinCount--;
    member.awaitingJoin = onJoin;
  }

  #countProtocols(protocols: readonly MemberProtocol[], delta: number): void {
    for (const p of protocols) this.#supportedProtocols.set(p.name, (this.#supportedProtocols.get(p.name) ?? 0) + delta);
  }

  /** Answers a parked JoinGroup; false when the member was not waiting. */
  completeJoin(member: ClassicGroupMember, result: JoinResult): boolean {
    if (!member.isAwaitingJoin) return false;
    this.#awaitingJoinCount--;
    this.#resolveJoin(member, result);
    return true;
  }

  #resolveJoin(member: ClassicGroupMember, result: JoinResult): void {
    const resolve = member.awaitingJoin;
    member.awaitingJoin = null;
    resolve?.(result);
  }

  /** Answers a parked SyncGroup; false when the member was not waiting. */
  completeSync(member: ClassicGroupMember, result: SyncResult): boolean {
    const resolve = member.awaitingSync;
    if (resolve === null) return false;
    member.awaitingSync = null;
    resolve(result);
    return true;
  }

  // ---- pending members (KIP-394) and pending syncs -------------------------------------

  isPendingMember(memberId: string): boolean {
    return this.#pendingJoinMembers.has(memberId);
  }
  addPendingMember(memberId: string): void {
    this.#pendingJoinMembers.add(memberId);
  }
  get pendingJoinCount(): number {
    return this.#pendingJoinMembers.size;
  }
  addPendingSyncMember(memberId: string): void {
    this.#pendingSyncMembers.add(memberId);
  }
  removePendingSyncMember(memberId: string): void {
    this.#pendingSyncMembers.delete(memberId);
  }
  pendingSyncMembers(): string[] {
    return [...this.#pendingSyncMembers];
  }
  hasReceivedSyncFromAllMembers(): boolean {
    return this.#pendingSyncMembers.size === 0;
  }
  clearPendingSyncMembers(): void {
    this.#pendingSyncMembers.clear();
  }

  hasAllMembersJoined(): boolean {
    return this.#members.size === this.#awaitingJoinCount && this.#pendingJoinMembers.size === 0;
  }

  /** Members that did not rejoin in this rebalance. */
  notYetRejoinedMembers(): ClassicGroupMember[] {
    return this.members().filter((m) => !m.isAwaitingJoin);
  }

  /** Largest rebalance timeout of the members (the join phase's deadline). */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.#members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /**
   * Keeps the leader if it rejoined, else picks a member that did; false when nobody
   * rejoined (the join phase must wait longer).
   */
  maybeElectNewJoinedLeader(): boolean {
    if (this.leaderId === null) return false;
    if (this.#members.get(this.leaderId)?.isAwaitingJoin === true) return true;
    const joined = this.members().find((m) => m.isAwaitingJoin);
    if (joined === undefined) return false;
    this.leaderId = joined.memberId;
    return true;
  }

  // ---- member validation ---------------------------------------------------------------

  /** Kafka's validateMember: FENCED_INSTANCE_ID / UNKNOWN_MEMBER_ID / NONE. */
  validateMember(memberId: string, groupInstanceId: string | null): ErrorCodeValue {
    if (groupInstanceId !== null) {
      const existing = this.#staticMembers.get(groupInstanceId);
      if (existing === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (existing !== memberId) return ErrorCode.FENCED_INSTANCE_ID;
    }
    return this.#members.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  /** Kafka's generateMemberId: "<group.instance.id or client id>-<uuid>". */
  generateMemberId(clientId: string, groupInstanceId: string | null): string {
    return `${groupInstanceId ?? clientId}-${randomUUID()}`;
  }

  // ---- protocols -----------------------------------------------------------------------

  /** Whether a member with this protocol type and protocol names may join. */
  supportsProtocols(protocolType: string, protocolNames: readonly string[]): boolean {
    if (this.is(EMPTY)) return protocolType !== '' && protocolNames.length > 0;
    return this.protocolType === protocolType
      && protocolNames.some((name) => (this.#supportedProtocols.get(name) ?? 0) === this.#members.size);
  }

  /** The protocol every member supports that gets the most first-choice votes. */
  selectProtocol(): string {
    const candidates = new Set([...this.#supportedProtocols].filter(([, n]) => n === this.#members.size).map(([name]) => name));
    const votes = new Map<string, number>();
    for (const m of this.#members.values()) {
      const choice = m.vote(candidates);
      votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    for (const [name, count] of votes) if (best === null || count > votes.get(best)!) best = name;
    if (best === null) throw new Error(`cannot select a protocol for empty group ${this.groupId}`);
    return best;
  }

  /** Moves to the next generation: CompletingRebalance with members, Empty without. */
  initNextGeneration(nowMs: number): void {
    this.generationId++;
    if (this.#members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(COMPLETING_REBALANCE, nowMs);
    } else {
      this.protocolName = null;
      this.subscribedTopics = this.computeSubscribedTopics();
      this.transitionTo(EMPTY, nowMs);
    }
    this.clearPendingSyncMembers();
  }

  computeSubscribedTopics(): ReadonlySet<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE) return null;
    if (this.#members.size === 0) return new Set();
    if (this.protocolName === null) return null;
    const all = new Set<string>();
    for (const m of this.#members.values()) {
      const topics = subscribedTopics(m.metadata(this.protocolName));
      if (topics === null) return null;
      for (const t of topics) all.add(t);
    }
    return all;
  }

  /** Unknown subscriptions count as subscribed for consumer-protocol groups, as in Kafka. */
  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics?.has(topic) ?? this.usesConsumerProtocol();
  }

  usesConsumerProtocol(): boolean {
    return this.protocolType === CONSUMER_PROTOCOL_TYPE;
  }

  /** The member list the leader gets in its JoinGroup answer. */
  currentMemberMetadata(): JoinGroupResponseJoinGroupResponseMember[] {
    if (this.is(DEAD) || this.is(PREPARING_REBALANCE) || this.protocolName === null) {
      throw new Error(`group ${this.groupId}: no member metadata in state ${this.state}`);
    }
    const protocol = this.protocolName;
    return this.members().map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId, metadata: m.metadata(protocol) }));
  }

  /** The JoinGroup answer for `memberId` in the current generation. */
  joinResult(memberId: string, opts: { withMembers: boolean; skipAssignment?: boolean }): JoinResult {
    return {
      errorCode: ErrorCode.NONE,
      generationId: this.generationId,
      protocolType: this.protocolType,
      protocolName: this.protocolName,
      leader: this.leaderId ?? '',
      skipAssignment: opts.skipAssignment ?? false,
      memberId,
      members: opts.withMembers ? this.currentMemberMetadata() : [],
    };
  }
}

/** A JoinGroup error answer (Kafka leaves generation -1 and no protocol). */
export function joinError(errorCode: ErrorCodeValue, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId, members: [] };
}

/** A SyncGroup error answer: empty (non-null) assignment bytes. */
export function syncError(errorCode: ErrorCodeValue): SyncResult {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}
