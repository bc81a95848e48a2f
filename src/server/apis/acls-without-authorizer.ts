/**
 * DescribeAcls (29), CreateAcls (30) and DeleteAcls (31), versions 0-3, as a Kafka broker
 * without an authorizer (no authorizer.class.name) answers them: Kafka advertises the
 * three APIs whatever its configuration, and with no authorizer every request is refused
 * with SECURITY_DISABLED (DescribeAcls: once, with no resources; CreateAcls: per creation;
 * DeleteAcls: per filter, with no matching ACLs). Gregor has no authorizer, so clients get
 * Kafka's answer instead of an unsupported API.
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { CreateAclsRequest, CreateAclsResponse } from '../../protocol/generated/create-acls.ts';
import type { DeleteAclsRequest, DeleteAclsResponse } from '../../protocol/generated/delete-acls.ts';
import type { DescribeAclsRequest, DescribeAclsResponse } from '../../protocol/generated/describe-acls.ts';
import type { ApiHandler } from '../api-handler.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 3;

const NO_AUTHORIZER = { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No authorizer is configured on this broker.' };

export function createDescribeAclsHandler(): ApiHandler<DescribeAclsRequest, DescribeAclsResponse> {
  return {
    apiKey: ApiKey.DescribeAcls,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: () => ({ throttleTimeMs: 0, ...NO_AUTHORIZER, resources: [] }),
  };
}

export function createCreateAclsHandler(): ApiHandler<CreateAclsRequest, CreateAclsResponse> {
  return {
    apiKey: ApiKey.CreateAcls,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({ throttleTimeMs: 0, results: request.creations.map(() => ({ ...NO_AUTHORIZER })) }),
  };
}

export function createDeleteAclsHandler(): ApiHandler<DeleteAclsRequest, DeleteAclsResponse> {
  return {
    apiKey: ApiKey.DeleteAcls,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle: (request) => ({ throttleTimeMs: 0, filterResults: request.filters.map(() => ({ ...NO_AUTHORIZER, matchingAcls: [] })) }),
  };
}
