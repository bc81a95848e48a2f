/**
 * InitProducerId (key 22), versions 0-5 (Kafka's KafkaApis.handleInitProducerIdRequest +
 * TransactionCoordinator.handleInitProducerId):
 *
 *  - producerId and producerEpoch (v3+) must both be -1 or both be set, else
 *    INVALID_REQUEST;
 *  - idempotent producers (transactionalId null): always a fresh producer id with epoch 0,
 *    also when the request names its current id/epoch (v3+, KIP-360) — Kafka "blindly
 *    accepts" these: an idempotent producer that lost its sequence state bumps its epoch
 *    itself, and one that asks the broker gets a new id. Ids come from durable blocks
 *    (coordinator/producer-id/), so they never repeat across restarts; if no block can
 *    be had the answer is COORDINATOR_LOAD_IN_PROGRESS (retriable), as Kafka's broker
 *    answers while waiting for a block;
 *  - transactional ids go to the transaction coordinator (coordinator/txn/): the same
 *    producer id with its epoch bumped, a previous instance fenced and its ongoing
 *    transaction aborted first (CONCURRENT_TRANSACTIONS meanwhile), the timeout checked
 *    against transaction.max.timeout.ms (INVALID_TRANSACTION_TIMEOUT), a new producer id
 *    once the epoch is exhausted. An empty id is INVALID_REQUEST; without a transaction
 *    coordinator (handler tests) the answer is COORDINATOR_NOT_AVAILABLE.
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/generated/init-producer-id.ts';
import type { TransactionCoordinator } from '../../coordinator/txn/txn-coordinator.ts';
import type { ApiHandler } from '../api-handler.ts';
import { fencedForVersion, PRODUCER_FENCED_MIN_VERSION } from './txn-services.ts';
import type { BrokerServices } from '../broker-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;
/** Kafka's RecordBatch.NO_PRODUCER_ID / NO_PRODUCER_EPOCH. */
const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;

type Services = Pick<BrokerServices, 'producerIds' | 'logger'> & { readonly transactions?: TransactionCoordinator };

export function createInitProducerIdHandler(services: Services): ApiHandler<InitProducerIdRequest, InitProducerIdResponse> {
  return {
    apiKey: ApiKey.InitProducerId,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => initProducerId(services, request, ctx.apiVersion),
  };
}

async function initProducerId(s: Services, request: InitProducerIdRequest, version: number): Promise<InitProducerIdResponse> {
  const noId = request.producerId === NO_PRODUCER_ID;
  const noEpoch = request.producerEpoch === NO_PRODUCER_EPOCH;
  if (noId !== noEpoch) return errorResponse(ErrorCode.INVALID_REQUEST);
  if (request.transactionalId !== null) {
    if (request.transactionalId === '') return errorResponse(ErrorCode.INVALID_REQUEST);
    if (s.transactions === undefined) return errorResponse(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    const expected = noId ? null : { producerId: request.producerId, producerEpoch: request.producerEpoch };
    const result = await s.transactions.initProducerId(request.transactionalId, request.transactionTimeoutMs, expected);
    return { throttleTimeMs: 0, ...result, errorCode: fencedForVersion(result.errorCode, version, PRODUCER_FENCED_MIN_VERSION.InitProducerId) };
  }
  try {
    const producerId = await s.producerIds.generateProducerId();
    return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, producerId, producerEpoch: 0 };
  } catch (err) {
    s.logger.error({ err }, 'could not allocate a producer id block');
    return errorResponse(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  }
}

function errorResponse(errorCode: ErrorCodeValue): InitProducerIdResponse {
  return { throttleTimeMs: 0, errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH };
}
