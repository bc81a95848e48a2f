/**
 * DescribeCluster (key 60), versions 0-1: the brokers (their endpoint for the listener the
 * request came in on), cluster id, controller id and, when asked, the cluster's
 * authorized operations. A broker serves only EndpointType 1 (brokers); asking it for
 * controllers (v1, type 2) is UNSUPPORTED_ENDPOINT_TYPE, as Kafka answers.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { DescribeClusterRequest, DescribeClusterResponse } from '../../protocol/generated/describe-cluster.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { BrokerServices } from '../broker-services.ts';
import { AUTHORIZED_OPERATIONS_OMITTED, brokersFor, CLUSTER_OPERATIONS_ALL } from './metadata.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 1;
/** DescribeClusterRequest EndpointType values. */
const ENDPOINT_TYPE_BROKERS = 1;

type Services = Pick<BrokerServices, 'metadata'>;

export function createDescribeClusterHandler(services: Services): ApiHandler<DescribeClusterRequest, DescribeClusterResponse> {
  return {
    apiKey: ApiKey.DescribeCluster,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request, ctx) => describeCluster(services, request, ctx),
  };
}

function describeCluster(services: Services, request: DescribeClusterRequest, ctx: RequestContext): DescribeClusterResponse {
  const image = services.metadata.image();
  const base = { throttleTimeMs: 0, endpointType: request.endpointType, clusterId: image.clusterId };
  if (request.endpointType !== ENDPOINT_TYPE_BROKERS) {
    return {
      ...base,
      errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
      errorMessage: `The request was sent to an endpoint of type BROKER, but endpoint type ${request.endpointType} was requested.`,
      controllerId: -1,
      brokers: [],
      clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
    };
  }
  return {
    ...base,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    controllerId: image.controllerId,
    brokers: brokersFor(image, ctx.listenerName).map((b) => ({ brokerId: b.nodeId, host: b.host, port: b.port, rack: b.rack })),
    clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS_ALL : AUTHORIZED_OPERATIONS_OMITTED,
  };
}
