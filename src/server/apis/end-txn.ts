/**
 * EndTxn (key 26), versions 0-4 (v5 is transaction version 2, KIP-890 part 2: not
 * advertised): commit or abort. The answer comes once PrepareCommit/PrepareAbort is
 * written; the markers and the Complete state follow in the background (requests in
 * between get CONCURRENT_TRANSACTIONS), as Kafka does.
 */
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { EndTxnRequest, EndTxnResponse } from '../../protocol/generated/end-txn.ts';
import type { ApiHandler } from '../api-handler.ts';
import { fencedForVersion, PRODUCER_FENCED_MIN_VERSION, type TxnServices } from './txn-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;

export function createEndTxnHandler(services: Pick<TxnServices, 'transactions'>): ApiHandler<EndTxnRequest, EndTxnResponse> {
  return {
    apiKey: ApiKey.EndTxn,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: async (r, ctx) => ({
      throttleTimeMs: 0,
      errorCode: fencedForVersion(await services.transactions.endTxn(r.transactionalId, r.producerId, r.producerEpoch, r.committed), ctx.apiVersion, PRODUCER_FENCED_MIN_VERSION.EndTxn),
      producerId: -1,
      producerEpoch: -1,
    }),
  };
}
