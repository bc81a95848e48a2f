/**
 * FindCoordinator (key 10), versions 0-6 (Kafka's handleFindCoordinatorRequest): where
 * the coordinator of a key lives, as the host/port of the request's listener.
 *
 *  - key type 0 (group): the leader of the group's __consumer_offsets partition; the
 *    topic is created on first use (Kafka answers COORDINATOR_NOT_AVAILABLE and creates
 *    it in the background; Gregor creates it first and answers with the leader);
 *  - key type 1 (transaction): the leader of the transactional id's __transaction_state
 *    partition, the topic created on first use the same way; other key types (2 =
 *    share, not served): INVALID_REQUEST;
 *  - v0-3: one key; on success errorMessage "NONE" (Kafka's Errors.NONE.message()), on
 *    error node -1, host "", port -1 and the error's message;
 *  - v4+: a batch of keys (coordinatorKeys), one Coordinator entry each.
 */
import { nodeEndpoint } from '../../replication/leader-hint.ts';
import { ErrorCode, errorMessage, type ErrorCodeValue } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { FindCoordinatorRequest, FindCoordinatorResponse, FindCoordinatorResponseCoordinator } from '../../protocol/generated/find-coordinator.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { TransactionCoordinator } from '../../coordinator/txn/txn-coordinator.ts';
import type { GroupServices } from './group-services.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 6;
const BATCHED_MIN_VERSION = 4;
const KEY_TYPE_GROUP = 0;
const KEY_TYPE_TRANSACTION = 1;

type Services = GroupServices & { readonly transactions?: Pick<TransactionCoordinator, 'findCoordinator'> };

type Answer = Omit<FindCoordinatorResponseCoordinator, 'key' | 'errorMessage'>;

const noNode = (errorCode: ErrorCodeValue): Answer => ({ errorCode, nodeId: -1, host: '', port: -1 });

export function createFindCoordinatorHandler(services: Services): ApiHandler<FindCoordinatorRequest, FindCoordinatorResponse> {
  return {
    apiKey: ApiKey.FindCoordinator,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => (ctx.apiVersion >= BATCHED_MIN_VERSION ? batched(services, request, ctx) : single(services, request, ctx)),
  };
}

async function batched(s: Services, request: FindCoordinatorRequest, ctx: RequestContext): Promise<FindCoordinatorResponse> {
  const coordinators = await Promise.all(request.coordinatorKeys.map(async (key) => ({
    key, ...(await lookup(s, request.keyType, key, ctx)), errorMessage: null,
  })));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators };
}

async function single(s: Services, request: FindCoordinatorRequest, ctx: RequestContext): Promise<FindCoordinatorResponse> {
  const answer = await lookup(s, request.keyType, request.key, ctx);
  const message = answer.errorCode === ErrorCode.NONE ? 'NONE' : errorMessage(answer.errorCode);
  return { throttleTimeMs: 0, ...answer, errorMessage: message, coordinators: [] };
}

async function lookup(s: Services, keyType: number, key: string, ctx: RequestContext): Promise<Answer> {
  if (keyType !== KEY_TYPE_GROUP && keyType !== KEY_TYPE_TRANSACTION) return noNode(ErrorCode.INVALID_REQUEST);
  const found = keyType === KEY_TYPE_GROUP ? await s.groups.findCoordinator(key) : await s.transactions?.findCoordinator(key);
  if (found === undefined) return noNode(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  if (found.errorCode !== ErrorCode.NONE) return noNode(found.errorCode);
  const endpoint = nodeEndpoint(s.metadata.image(), found.nodeId, ctx.listenerName);
  if (endpoint === null) return noNode(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  return { errorCode: ErrorCode.NONE, nodeId: endpoint.nodeId, host: endpoint.host, port: endpoint.port };
}
