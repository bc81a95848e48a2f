/**
 * DescribeTransactions (key 65), version 0: per transactional id, its state, producer id
 * and epoch, timeout, start time and partitions (Kafka's
 * TransactionCoordinator.handleDescribeTransactions). Unknown ids:
 * TRANSACTIONAL_ID_NOT_FOUND; ids coordinated elsewhere: NOT_COORDINATOR.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { DescribeTransactionsRequest, DescribeTransactionsResponse, DescribeTransactionsResponseTransactionState } from '../../protocol/generated/describe-transactions.ts';
import type { TxnView } from '../../coordinator/txn/txn-coordinator.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 0;

export function createDescribeTransactionsHandler(services: Pick<TxnServices, 'transactions'>): ApiHandler<DescribeTransactionsRequest, DescribeTransactionsResponse> {
  return {
    apiKey: ApiKey.DescribeTransactions,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({
      throttleTimeMs: 0,
      transactionStates: request.transactionalIds.map((id) => {
        const { errorCode, txn } = services.transactions.describe(id);
        return txn === null ? emptyState(id, errorCode) : describedState(txn);
      }),
    }),
  };
}

function emptyState(transactionalId: string, errorCode: number): DescribeTransactionsResponseTransactionState {
  return { errorCode, transactionalId, transactionState: '', transactionTimeoutMs: 0, transactionStartTimeMs: -1, producerId: -1, producerEpoch: -1, topics: [] };
}

function describedState(txn: TxnView): DescribeTransactionsResponseTransactionState {
  const byTopic = new Map<string, number[]>();
  for (const p of txn.partitions) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  return {
    errorCode: ErrorCode.NONE, transactionalId: txn.transactionalId, transactionState: txn.state,
    transactionTimeoutMs: txn.timeoutMs, transactionStartTimeMs: txn.txnStartTimestampMs,
    producerId: txn.producerId, producerEpoch: txn.producerEpoch,
    topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
  };
}
