/**
 * States of a classic group and the legal transitions between them (Kafka's
 * ClassicGroupState). Each state, what happens in it, and where it may come from:
 *
 *   Empty               no members; offsets may still exist (and expire). Standalone
 *                       commits (generation -1) are accepted only here.
 *                       <- PreparingRebalance (join phase ended with nobody)
 *   PreparingRebalance  members (re)join; JoinGroup requests are parked until all
 *                       known members rejoined or the rebalance timeout fires.
 *                       Heartbeats answer REBALANCE_IN_PROGRESS.
 *                       <- Stable, CompletingRebalance, Empty
 *   CompletingRebalance a new generation exists; waiting for the leader's SyncGroup
 *                       with the assignment. Followers' SyncGroups are parked.
 *                       <- PreparingRebalance
 *   Stable              assignment persisted and handed out; heartbeats keep members.
 *                       <- CompletingRebalance
 *   Dead                removed (deleted, unloaded, or migrated); nothing is served.
 *                       <- any state
 */
export const ClassicGroupState = {
  EMPTY: 'Empty',
  PREPARING_REBALANCE: 'PreparingRebalance',
  COMPLETING_REBALANCE: 'CompletingRebalance',
  STABLE: 'Stable',
  DEAD: 'Dead',
} as const;

export type ClassicGroupStateName = (typeof ClassicGroupState)[keyof typeof ClassicGroupState];

const { EMPTY, PREPARING_REBALANCE, COMPLETING_REBALANCE, STABLE, DEAD } = ClassicGroupState;

/** target state -> states it may be entered from. */
export const VALID_PREVIOUS_STATES: Readonly<Record<ClassicGroupStateName, ReadonlySet<ClassicGroupStateName>>> = {
  [EMPTY]: new Set([PREPARING_REBALANCE]),
  [PREPARING_REBALANCE]: new Set([STABLE, COMPLETING_REBALANCE, EMPTY]),
  [COMPLETING_REBALANCE]: new Set([PREPARING_REBALANCE]),
  [STABLE]: new Set([COMPLETING_REBALANCE]),
  [DEAD]: new Set([STABLE, PREPARING_REBALANCE, COMPLETING_REBALANCE, EMPTY, DEAD]),
};

export function isValidTransition(from: ClassicGroupStateName, to: ClassicGroupStateName): boolean {
  return VALID_PREVIOUS_STATES[to].has(from);
}
