/**
 * EndTxn (key 26), versions 0-4 (v5 is transaction version 2, KIP-890 part 2: not
 * advertised): commit or abort. The answer comes once PrepareCommit/PrepareAbort is
 * written; the markers and the Complete state follow in the background (requests in
 * between get CONCURRENT_TRANSACTIONS), as Kafka does.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { EndTxnRequest, EndTxnResponse } from '../../protocol/generated/end-txn.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

export function createEndTxnHandler(services: Pick<TxnServices, 'transactions'>): ApiHandler<EndTxnRequest, EndTxnResponse> {
  return {
    apiKey: ApiKey.EndTxn,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (r) => ({
      throttleTimeMs: 0,
      errorCode: await services.transactions.endTxn(r.transactionalId, r.producerId, r.producerEpoch, r.committed),
      producerId: -1,
      producerEpoch: -1,
    }),
  };
}
