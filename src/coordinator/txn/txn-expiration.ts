/**
 * Removal of idle transactional ids (Kafka's TransactionStateManager
 * removeExpiredTransactionalIds): an id with no transaction running (Empty,
 * CompleteCommit, CompleteAbort) and no update for transactional.id.expiration.ms is
 * tombstoned in __transaction_state and forgotten; its next InitProducerId starts over
 * with a new producer id.
 */
import type { TxnShard } from './txn-shard.ts';
import { txnTombstone } from './txn-records.ts';
import { TxnState } from './txn-state.ts';

const IDLE_STATES: ReadonlySet<string> = new Set([TxnState.EMPTY, TxnState.COMPLETE_COMMIT, TxnState.COMPLETE_ABORT]);

/** Tombstones the expired ids of `shard`; resolves with how many were removed. */
export async function removeExpiredTransactionalIds(shard: TxnShard, expirationMs: number): Promise<number> {
  const now = shard.now();
  const expired = [...shard.txns.values()].filter((m) => m.pending === null && IDLE_STATES.has(m.state) && now - m.txnLastUpdateTimestampMs >= expirationMs);
  if (expired.length === 0 || !shard.ctx.isActive()) return 0;
  for (const m of expired) m.prepare({ state: TxnState.DEAD });
  const written = await shard.ctx.append(expired.map((m) => txnTombstone(m.transactionalId)));
  for (const m of expired) {
    if (written.ok) shard.remove(m.transactionalId);
    else m.abandon();
  }
  return written.ok ? expired.length : 0;
}
