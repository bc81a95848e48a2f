/**
 * AddOffsetsToTxn (key 25), versions 0-4: adds the group's __consumer_offsets partition
 * to the transaction, so TxnOffsetCommit may write there and the marker reaches it
 * (Kafka's TransactionCoordinator.handleAddPartitionsToTransaction with that partition).
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { AddOffsetsToTxnRequest, AddOffsetsToTxnResponse } from '../../protocol/generated/add-offsets-to-txn.ts';
import type { ApiHandler } from '../api-handler.ts';
import { fencedForVersion, PRODUCER_FENCED_MIN_VERSION, type TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

export function createAddOffsetsToTxnHandler(services: Pick<TxnServices, 'transactions'>): ApiHandler<AddOffsetsToTxnRequest, AddOffsetsToTxnResponse> {
  return {
    apiKey: ApiKey.AddOffsetsToTxn,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (r, ctx) => ({
      throttleTimeMs: 0,
      errorCode: fencedForVersion(await services.transactions.addOffsets(r.transactionalId, r.producerId, r.producerEpoch, r.groupId), ctx.apiVersion, PRODUCER_FENCED_MIN_VERSION.AddOffsetsToTxn),
    }),
  };
}
