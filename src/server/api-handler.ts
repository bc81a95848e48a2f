/**
 * The contract between the dispatcher and the per-API handlers in src/server/apis/.
 * A handler serves one API key over a version range; the dispatcher decodes the request
 * with the generated decoder for (apiKey, version), calls `handle`, and encodes what it
 * returns with the generated encoder for the same version. Handlers answer problems with
 * Kafka error codes in the response; a thrown exception is treated as a bug and closes
 * the connection (see dispatcher.ts).
 */

/** Returned by a handler when the request gets no response (Produce with acks=0). */
export const NO_RESPONSE: unique symbol = Symbol('NO_RESPONSE');

/** What a handler knows about the request besides its body. */
export interface RequestContext {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** Unique per connection for the life of the process, e.g. "127.0.0.1:9092-127.0.0.1:51234-7". */
  connectionId: string;
  clientHost: string;
  listenerName: string;
  /** Bytes of the request frame (header + body, Kafka's request.sizeInBytes); absent outside a connection. */
  requestSizeBytes?: number;
}

export type HandlerResult<Res> = Res | typeof NO_RESPONSE;

export interface ApiHandler<Req = unknown, Res extends object = object> {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
  handle(request: Req, ctx: RequestContext): Promise<HandlerResult<Res>> | HandlerResult<Res>;
  /**
   * Only ApiVersions defines this (Kafka's KIP-511 rule): a request at a version outside
   * [minVersion, maxVersion] is not an error that closes the connection; the dispatcher
   * skips the body, calls this, and encodes the result as version 0 with a v0 response
   * header, so a client that tried its newest version can read it and retry lower.
   */
  answerUnsupportedVersion?(ctx: RequestContext): Res;
}
