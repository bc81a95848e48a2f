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
 *  - transactional ids: an empty id is INVALID_REQUEST; any other is
 *    COORDINATOR_NOT_AVAILABLE while this broker has no transaction coordinator (the
 *    client retries; nothing is faked).
 */
import { ErrorCode, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { InitProducerIdRequest, InitProducerIdResponse } from '../../protocol/generated/init-producer-id.ts';
import type { ApiHandler } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 5;
/** Kafka's RecordBatch.NO_PRODUCER_ID / NO_PRODUCER_EPOCH. */
const NO_PRODUCER_ID = -1;
const NO_PRODUCER_EPOCH = -1;

type Services = Pick<BrokerServices, 'producerIds' | 'logger'>;

export function createInitProducerIdHandler(services: Services): ApiHandler<InitProducerIdRequest, InitProducerIdResponse> {
  return {
    apiKey: ApiKey.InitProducerId,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => initProducerId(services, request),
  };
}

async function initProducerId(s: Services, request: InitProducerIdRequest): Promise<InitProducerIdResponse> {
  const noId = request.producerId === NO_PRODUCER_ID;
  const noEpoch = request.producerEpoch === NO_PRODUCER_EPOCH;
  if (noId !== noEpoch) return errorResponse(ErrorCode.INVALID_REQUEST);
  if (request.transactionalId !== null) {
    return errorResponse(request.transactionalId === '' ? ErrorCode.INVALID_REQUEST : ErrorCode.COORDINATOR_NOT_AVAILABLE);
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
