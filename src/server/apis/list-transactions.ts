/**
 * ListTransactions (key 66), versions 0-1 (Kafka's TransactionStateManager.listTransactionStates):
 * the transactional ids this broker coordinates, filtered by state names (unknown names
 * are echoed in unknownStateFilters and match nothing), by producer ids, and (v1) by a
 * duration: only transactions running at least that many ms (-1: no filter).
 * COORDINATOR_LOAD_IN_PROGRESS while a __transaction_state partition is loading.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ListTransactionsRequest, ListTransactionsResponse } from '../../protocol/generated/list-transactions.ts';
import { ALL_STATES } from '../../coordinator/txn/txn-state.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;

export function createListTransactionsHandler(services: Pick<TxnServices, 'transactions'>): ApiHandler<ListTransactionsRequest, ListTransactionsResponse> {
  return {
    apiKey: ApiKey.ListTransactions,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => {
      const known = new Set<string>(ALL_STATES);
      const unknownStateFilters = request.stateFilters.filter((s) => !known.has(s));
      const states = new Set(request.stateFilters);
      const producerIds = new Set(request.producerIdFilters);
      const { errorCode, txns } = services.transactions.list();
      const now = services.transactions.now();
      const matching = errorCode !== ErrorCode.NONE ? [] : txns.filter((t) => (states.size === 0 || states.has(t.state))
        && (producerIds.size === 0 || producerIds.has(t.producerId))
        && (request.durationFilter < 0 || now - t.txnStartTimestampMs >= request.durationFilter));
      return {
        throttleTimeMs: 0, errorCode, unknownStateFilters,
        transactionStates: matching.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state })),
      };
    },
  };
}
