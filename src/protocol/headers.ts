// Kafka request and response headers.
//
// Request header (big-endian):
//   v0: api_key int16, api_version int16, correlation_id int32
//   v1: v0 + client_id nullable string (int16 length, -1 = null; never compact)
//   v2: v1 + tagged fields (unsigned varint count, then tag/size/bytes each)
// Response header:
//   v0: correlation_id int32
//   v1: v0 + tagged fields
// The header version follows from the API's flexible versions: flexible requests use
// request header v2 and response header v1, with two exceptions: ControlledShutdown v0
// uses request header v0, and ApiVersions responses always use header v0 (so a client
// that sent a version the broker does not know can still parse the error reply).

import type { Reader } from './reader.ts';
import type { Writer } from './writer.ts';
import { ApiKey, apiByKey } from './generated/api-table.ts';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** Whether (apiKey, version) is a flexible version; versions above the max count too, as in Kafka. */
export function isFlexibleVersion(apiKey: number, apiVersion: number): boolean {
  const flexibleMin = apiByKey.get(apiKey)?.flexibleMinVersion ?? null;
  return flexibleMin !== null && apiVersion >= flexibleMin;
}

export function requestHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 | 2 {
  if (apiKey === ApiKey.ControlledShutdown && apiVersion === 0) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 2 : 1;
}

export function responseHeaderVersion(apiKey: number, apiVersion: number): 0 | 1 {
  if (apiKey === ApiKey.ApiVersions) return 0;
  return isFlexibleVersion(apiKey, apiVersion) ? 1 : 0;
}

/** Reads api key and version first, then the rest in the header version they imply. */
export function decodeRequestHeader(r: Reader): RequestHeader {
  const apiKey = r.readInt16();
  const apiVersion = r.readInt16();
  const correlationId = r.readInt32();
  const headerVersion = requestHeaderVersion(apiKey, apiVersion);
  const clientId = headerVersion >= 1 ? r.readNullableString() : null;
  if (headerVersion >= 2) r.skipTaggedFields();
  return { apiKey, apiVersion, correlationId, clientId };
}

export function encodeRequestHeader(w: Writer, header: RequestHeader): void {
  const headerVersion = requestHeaderVersion(header.apiKey, header.apiVersion);
  w.writeInt16(header.apiKey);
  w.writeInt16(header.apiVersion);
  w.writeInt32(header.correlationId);
  if (headerVersion >= 1) w.writeNullableString(header.clientId);
  if (headerVersion >= 2) w.writeUnsignedVarInt(0);
}

export function encodeResponseHeader(w: Writer, headerVersion: number, correlationId: number): void {
  w.writeInt32(correlationId);
  if (headerVersion >= 1) w.writeUnsignedVarInt(0);
}

/** For our own clients: reads a response header and returns its correlation id. */
export function decodeResponseHeader(r: Reader, headerVersion: number): number {
  const correlationId = r.readInt32();
  if (headerVersion >= 1) r.skipTaggedFields();
  return correlationId;
}
