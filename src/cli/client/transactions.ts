/**
 * Transaction admin calls, as Kafka's AdminClient makes them: ListTransactions goes to
 * every broker (each lists the transactional ids it coordinates); DescribeTransactions
 * goes to the id's coordinator (FindCoordinator key type 1), looked up again after a
 * short pause while it is loading or not up yet, a bounded number of times.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../protocol/errors.ts';
import type { DescribeTransactionsResponseTransactionState } from '../../protocol/generated/describe-transactions.ts';
import type { ListTransactionsResponseTransactionState } from '../../protocol/generated/list-transactions.ts';
import { DescribeTransactionsCall, FindCoordinatorCall, ListTransactionsCall } from './api-calls.ts';
import { KafkaResponseError, throwIfError } from './kafka-error.ts';
import type { KafkaClient } from './kafka-client.ts';

/** FindCoordinator key type of transactional ids. */
const KEY_TYPE_TRANSACTION = 1;
const COORDINATOR_ATTEMPTS_MAX = 20;
const COORDINATOR_RETRY_BACKOFF_MS = 250;
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([
  ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, ErrorCode.COORDINATOR_NOT_AVAILABLE,
]);

export interface ListedTransaction extends ListTransactionsResponseTransactionState {
  /** The broker coordinating it. */
  readonly coordinator: number;
}

export interface DescribedTransaction extends DescribeTransactionsResponseTransactionState {
  readonly coordinator: number;
}

/** Every transactional id of the cluster, sorted by id. */
export async function listTransactions(client: KafkaClient): Promise<ListedTransaction[]> {
  const metadata = await client.metadata([]);
  const listed: ListedTransaction[] = [];
  for (const nodeId of metadata.brokers.keys()) {
    const res = await client.send(ListTransactionsCall, () => ({ stateFilters: [], producerIdFilters: [], durationFilter: -1 }), { nodeId });
    throwIfError(res.errorCode, `list transactions on broker ${nodeId}`);
    listed.push(...res.transactionStates.map((t) => ({ ...t, coordinator: nodeId })));
  }
  return listed.sort((a, b) => a.transactionalId.localeCompare(b.transactionalId));
}

/** The transactional id's state at its coordinator (TRANSACTIONAL_ID_NOT_FOUND if unknown). */
export async function describeTransaction(client: KafkaClient, transactionalId: string): Promise<DescribedTransaction> {
  for (let attempt = 1; ; attempt++) {
    try {
      const coordinator = await findTransactionCoordinator(client, transactionalId);
      const res = await client.send(DescribeTransactionsCall, () => ({ transactionalIds: [transactionalId] }), { nodeId: coordinator });
      const [state] = res.transactionStates;
      if (state === undefined) throw new Error(`DescribeTransactions response has no result for '${transactionalId}'`);
      throwIfError(state.errorCode, `describe transactional id '${transactionalId}'`);
      return { ...state, coordinator };
    } catch (err) {
      const retry = err instanceof KafkaResponseError && COORDINATOR_ERRORS.has(err.code);
      if (!retry || attempt >= COORDINATOR_ATTEMPTS_MAX) throw err;
      await sleep(COORDINATOR_RETRY_BACKOFF_MS);
    }
  }
}

async function findTransactionCoordinator(client: KafkaClient, transactionalId: string): Promise<number> {
  await client.metadata([]);
  const res = await client.send(FindCoordinatorCall, () => ({ key: transactionalId, keyType: KEY_TYPE_TRANSACTION }));
  throwIfError(res.errorCode, `find the coordinator of transactional id '${transactionalId}'`, res.errorMessage);
  return res.nodeId;
}
