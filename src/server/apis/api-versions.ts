/**
 * ApiVersions (key 18), versions 0-4. Lists exactly the APIs registered in the broker's
 * ApiRegistry with their version ranges. v3+ adds the tagged feature fields: we advertise
 * no features (SupportedFeatures and FinalizedFeatures empty, FinalizedFeaturesEpoch -1,
 * ZkMigrationReady false).
 *
 * Kafka's special rules (KIP-511), followed here:
 * - a request at a version we do not serve is answered, not dropped: UNSUPPORTED_VERSION
 *   encoded as a v0 response whose ApiKeys holds only ApiVersions' own range, so the client
 *   (franz-go sends v4 first) retries at a version both sides know;
 * - v3+ requests must carry ClientSoftwareName/Version matching Kafka's pattern, else
 *   INVALID_REQUEST (with an empty ApiKeys list).
 */
import { ErrorCode } from '../../protocol/errors.ts';
import { ApiKey } from '../../protocol/generated/api-table.ts';
import type { ApiVersionsRequest, ApiVersionsResponse } from '../../protocol/generated/api-versions.ts';
import type { ApiHandler, RequestContext } from '../api-handler.ts';
import type { ApiRegistry } from '../registry.ts';

const MIN_VERSION = 0;
const MAX_VERSION = 4;
/** First version carrying ClientSoftwareName/Version. */
const CLIENT_SOFTWARE_MIN_VERSION = 3;

/** Kafka's SOFTWARE_NAME_VERSION_PATTERN: alphanumerics, with '-' and '.' inside. */
const SOFTWARE_NAME_VERSION_PATTERN = /^[a-zA-Z0-9](?:[a-zA-Z0-9\-.]*[a-zA-Z0-9])?$/;

export function isValidClientSoftware(request: ApiVersionsRequest): boolean {
  return SOFTWARE_NAME_VERSION_PATTERN.test(request.clientSoftwareName)
    && SOFTWARE_NAME_VERSION_PATTERN.test(request.clientSoftwareVersion);
}

/** The ApiVersions handler of a broker serving what `registry` holds. */
export function createApiVersionsHandler(registry: ApiRegistry): ApiHandler<ApiVersionsRequest, ApiVersionsResponse> {
  return {
    apiKey: ApiKey.ApiVersions,
    minVersion: MIN_VERSION,
    maxVersion: MAX_VERSION,
    handle(request: ApiVersionsRequest, ctx: RequestContext): ApiVersionsResponse {
      if (ctx.apiVersion >= CLIENT_SOFTWARE_MIN_VERSION && !isValidClientSoftware(request)) {
        return response(ErrorCode.INVALID_REQUEST, []);
      }
      return response(ErrorCode.NONE, registry.versions());
    },
    answerUnsupportedVersion(): ApiVersionsResponse {
      const own = { apiKey: ApiKey.ApiVersions, minVersion: MIN_VERSION, maxVersion: MAX_VERSION };
      return response(ErrorCode.UNSUPPORTED_VERSION, [own]);
    },
  };
}

function response(errorCode: number, apiKeys: ApiVersionsResponse['apiKeys']): ApiVersionsResponse {
  return {
    errorCode,
    apiKeys,
    throttleTimeMs: 0,
    supportedFeatures: [],
    finalizedFeaturesEpoch: -1,
    finalizedFeatures: [],
    zkMigrationReady: false,
  };
}
