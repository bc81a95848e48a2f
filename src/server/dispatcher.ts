/**
 * Turns one request frame into one response frame: decodes the request header, finds the
 * handler and the generated codec for the API key, decodes the body at the request's
 * version, runs the handler, and encodes the response header (in the version the API and
 * version imply) and body. Follows Kafka's SocketServer/RequestContext rules for bad input:
 * an unknown API key, a version outside the handler's range (except ApiVersions, see
 * ApiHandler.answerUnsupportedVersion), an undecodable header or body, or a handler that
 * throws all end in `close`: the connection is closed without a response.
 */
import { Reader } from '../protocol/reader.ts';
import { Writer } from '../protocol/writer.ts';
import { decodeRequestHeader, encodeResponseHeader, responseHeaderVersion } from '../protocol/headers.ts';
import type { RequestHeader } from '../protocol/headers.ts';
import { apiByKey } from '../protocol/generated/api-table.ts';
import type { ApiDescriptor } from '../protocol/generated/api-table.ts';
import type { Logger } from '../logger.ts';
import type { RequestScope } from '../replication/request-scope.ts';
import { NO_RESPONSE } from './api-handler.ts';
import type { ApiHandler, RequestContext } from './api-handler.ts';
import type { ApiRegistry } from './registry.ts';
import type { ServerStats } from './stats.ts';

/** Who is asking: the per-connection part of a RequestContext. */
export interface ConnectionInfo {
  connectionId: string;
  clientHost: string;
  listenerName: string;
}

export type DispatchResult =
  | { kind: 'response'; correlationId: number; chunks: Buffer[] }
  | { kind: 'no-response'; correlationId: number }
  | { kind: 'close'; reason: string };

export interface DispatchDeps {
  registry: ApiRegistry;
  stats: ServerStats;
  logger: Logger;
}

const SIZE_PREFIX_BYTES = 4;

/** `scope`, when given, receives the request's API key and version once the header decodes. */
export async function dispatchFrame(frame: Buffer, conn: ConnectionInfo, deps: DispatchDeps, scope?: RequestScope): Promise<DispatchResult> {
  const reader = new Reader(frame);
  let header: RequestHeader;
  try {
    header = decodeRequestHeader(reader);
  } catch (err) {
    return { kind: 'close', reason: `undecodable request header: ${errorText(err)}` };
  }
  const { apiKey, apiVersion } = header;
  const handler = deps.registry.get(apiKey);
  const api = apiByKey.get(apiKey);
  if (handler === undefined || api === undefined) {
    return { kind: 'close', reason: `unknown or unserved API key ${apiKey}` };
  }
  deps.stats.countRequest(apiKey);
  if (scope !== undefined) {
    scope.apiKey = apiKey;
    scope.apiVersion = apiVersion;
  }
  const ctx: RequestContext = { ...conn, apiKey, apiVersion, correlationId: header.correlationId, clientId: header.clientId, requestSizeBytes: frame.length };
  if (apiVersion < handler.minVersion || apiVersion > handler.maxVersion) {
    return answerOutOfRange(handler, api, ctx);
  }
  let request: unknown;
  try {
    request = api.decodeRequest(reader, apiVersion);
  } catch (err) {
    return { kind: 'close', reason: `undecodable ${api.name} v${apiVersion} request: ${errorText(err)}` };
  }
  return runHandler(handler, api, request, ctx, deps.logger);
}

function answerOutOfRange(handler: ApiHandler, api: ApiDescriptor, ctx: RequestContext): DispatchResult {
  if (handler.answerUnsupportedVersion === undefined) {
    return {
      kind: 'close',
      reason: `${api.name} v${ctx.apiVersion} is not supported (${handler.minVersion}-${handler.maxVersion})`,
    };
  }
  const response = handler.answerUnsupportedVersion(ctx);
  return encodeResponse(api, 0, ctx.correlationId, response);
}

async function runHandler(
  handler: ApiHandler, api: ApiDescriptor, request: unknown, ctx: RequestContext, logger: Logger,
): Promise<DispatchResult> {
  let response: unknown;
  try {
    response = await handler.handle(request, ctx);
  } catch (err) {
    // A handler reports failures as Kafka error codes; reaching here is a bug in it.
    logger.error({ err, api: api.name, apiVersion: ctx.apiVersion, connectionId: ctx.connectionId }, 'request handler failed');
    return { kind: 'close', reason: `${api.name} handler failed: ${errorText(err)}` };
  }
  if (response === NO_RESPONSE) return { kind: 'no-response', correlationId: ctx.correlationId };
  if (typeof response !== 'object' || response === null) {
    return { kind: 'close', reason: `${api.name} handler returned ${String(response)} instead of a response` };
  }
  try {
    return encodeResponse(api, ctx.apiVersion, ctx.correlationId, response);
  } catch (err) {
    logger.error({ err, api: api.name, apiVersion: ctx.apiVersion }, 'response encoding failed');
    return { kind: 'close', reason: `${api.name} response could not be encoded: ${errorText(err)}` };
  }
}

/** Size prefix + response header + body, as chunks for one corked write (no copies). */
function encodeResponse(api: ApiDescriptor, version: number, correlationId: number, response: object): DispatchResult {
  const writer = new Writer();
  encodeResponseHeader(writer, responseHeaderVersion(api.key, version), correlationId);
  api.encodeResponse(writer, version, response);
  const sizePrefix = Buffer.allocUnsafe(SIZE_PREFIX_BYTES);
  sizePrefix.writeInt32BE(writer.length, 0);
  return { kind: 'response', correlationId, chunks: [sizePrefix, ...writer.toChunks()] };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
