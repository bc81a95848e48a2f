/**
 * Transaction states and the transitions between them (Kafka's TransactionState and
 * TransactionMetadata.validPreviousStates). The numeric ids are what
 * TransactionLogValue.transactionStatus holds in __transaction_state.
 *
 *   Empty ──AddPartitions──> Ongoing ──EndTxn(commit)──> PrepareCommit ──markers──> CompleteCommit
 *     ^                        │  └──EndTxn(abort) / timeout──> PrepareAbort ──markers──> CompleteAbort
 *     │                        └──InitProducerId of a new instance──> PrepareEpochFence ──> PrepareAbort
 *     └──── InitProducerId (epoch bump) from Empty / CompleteCommit / CompleteAbort
 *
 * PrepareEpochFence is never written: it is the in-memory state of a transaction whose
 * producer was fenced, until its PrepareAbort is written with the bumped epoch.
 */

export const TxnState = {
  EMPTY: 'Empty',
  ONGOING: 'Ongoing',
  PREPARE_COMMIT: 'PrepareCommit',
  PREPARE_ABORT: 'PrepareAbort',
  COMPLETE_COMMIT: 'CompleteCommit',
  COMPLETE_ABORT: 'CompleteAbort',
  DEAD: 'Dead',
  PREPARE_EPOCH_FENCE: 'PrepareEpochFence',
} as const;

export type TxnStateName = (typeof TxnState)[keyof typeof TxnState];

const { EMPTY, ONGOING, PREPARE_COMMIT, PREPARE_ABORT, COMPLETE_COMMIT, COMPLETE_ABORT, DEAD, PREPARE_EPOCH_FENCE } = TxnState;

/** Kafka's TransactionState ids, as stored in TransactionLogValue.transactionStatus. */
const STATE_IDS: Readonly<Record<TxnStateName, number>> = {
  [EMPTY]: 0, [ONGOING]: 1, [PREPARE_COMMIT]: 2, [PREPARE_ABORT]: 3,
  [COMPLETE_COMMIT]: 4, [COMPLETE_ABORT]: 5, [DEAD]: 6, [PREPARE_EPOCH_FENCE]: 7,
};

/** For each state, the states it may be entered from. */
export const VALID_PREVIOUS_STATES: Readonly<Record<TxnStateName, readonly TxnStateName[]>> = {
  [EMPTY]: [EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT],
  [ONGOING]: [ONGOING, EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT],
  [PREPARE_COMMIT]: [ONGOING],
  [PREPARE_ABORT]: [ONGOING, PREPARE_EPOCH_FENCE],
  [COMPLETE_COMMIT]: [PREPARE_COMMIT],
  [COMPLETE_ABORT]: [PREPARE_ABORT],
  [DEAD]: [EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT],
  [PREPARE_EPOCH_FENCE]: [ONGOING],
};

export function canTransition(from: TxnStateName, to: TxnStateName): boolean {
  return VALID_PREVIOUS_STATES[to].includes(from);
}

export function stateId(state: TxnStateName): number {
  return STATE_IDS[state];
}

export function stateFromId(id: number): TxnStateName {
  const found = (Object.keys(STATE_IDS) as TxnStateName[]).find((s) => STATE_IDS[s] === id);
  if (found === undefined) throw new RangeError(`unknown transaction state id ${id}`);
  return found;
}

/** Names accepted by ListTransactions' state filter (Kafka's TransactionState.name). */
export const ALL_STATES: readonly TxnStateName[] = Object.values(TxnState);

/** Markers are pending: the state the transaction completes into, or null. */
export function completionOf(state: TxnStateName): TxnStateName | null {
  if (state === PREPARE_COMMIT) return COMPLETE_COMMIT;
  if (state === PREPARE_ABORT) return COMPLETE_ABORT;
  return null;
}
