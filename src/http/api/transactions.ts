/**
 * /api/transactions and /api/producers: the transactional ids this broker's transaction
 * coordinator holds (what ListTransactions / DescribeTransactions answer), and the
 * producers with state on the partitions it leads (what DescribeProducers answers), read
 * from the coordinator and the partition logs at request time.
 */
import { ErrorCode, errorName } from '../../protocol/errors.ts';
import type { TxnView } from '../../coordinator/txn/txn-coordinator.ts';
import { NO_OFFSET } from '../../storage/producer-state/producer-state-entry.ts';
import { HttpError, notFound } from '../http-error.ts';
import type { Route } from '../router.ts';
import type { ApiContext } from './context.ts';
import type { PartitionProducer, ProducersResponse, TransactionSummary, TransactionsResponse } from './types.ts';

/** At most this many producers in one /api/producers answer (a broker can hold millions). */
export const PRODUCERS_LIMIT_MAX = 1000;

export function transactionRoutes(ctx: ApiContext): Route[] {
  return [
    { method: 'GET', pattern: '/api/transactions', handler: () => ({ json: listTransactions(ctx) }) },
    { method: 'GET', pattern: '/api/transactions/:id', handler: (req) => ({ json: describeTransaction(ctx, req.params.id) }) },
    { method: 'GET', pattern: '/api/producers', handler: () => ({ json: listProducers(ctx) }) },
  ];
}

function listTransactions(ctx: ApiContext): TransactionsResponse {
  const { errorCode, txns } = ctx.services.transactions.list();
  throwIfCoordinatorError(errorCode);
  const transactions = txns.map(summary).sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
  return { transactions, now: ctx.services.clock.now() };
}

function describeTransaction(ctx: ApiContext, transactionalId: string): TransactionSummary {
  const { errorCode, txn } = ctx.services.transactions.describe(transactionalId);
  if (errorCode === ErrorCode.TRANSACTIONAL_ID_NOT_FOUND) throw notFound(`transactional id '${transactionalId}' does not exist`);
  throwIfCoordinatorError(errorCode);
  return summary(txn as TxnView);
}

function summary(t: TxnView): TransactionSummary {
  return {
    transactionalId: t.transactionalId,
    state: t.state,
    producerId: t.producerId,
    producerEpoch: t.producerEpoch,
    timeoutMs: t.timeoutMs,
    startedAtMs: t.txnStartTimestampMs >= 0 && t.partitions.length > 0 ? t.txnStartTimestampMs : null,
    partitions: t.partitions.map(({ topic, partition }) => ({ topic, partition })),
  };
}

function listProducers(ctx: ApiContext): ProducersResponse {
  const producers: PartitionProducer[] = [];
  let truncated = false;
  for (const p of ctx.services.replicas.partitions()) {
    if (truncated) break;
    if (!p.isLeader) continue;
    for (const e of p.log.producerState.activeProducers().values()) {
      if (producers.length === PRODUCERS_LIMIT_MAX) {
        truncated = true;
        break;
      }
      producers.push({
        topic: p.topic, partition: p.partition, producerId: e.producerId, producerEpoch: e.producerEpoch,
        lastSequence: e.lastSeq, lastTimestamp: e.lastTimestamp,
        currentTxnStartOffset: e.currentTxnFirstOffset === NO_OFFSET ? null : e.currentTxnFirstOffset,
      });
    }
  }
  producers.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.producerId - b.producerId);
  return { producers, truncated };
}

function throwIfCoordinatorError(code: number): void {
  if (code === ErrorCode.NONE) return;
  const status = code === ErrorCode.NOT_COORDINATOR ? 421 : 503;
  throw new HttpError(status, errorName(code), `transaction coordinator: ${errorName(code)}; retry shortly`);
}
