/**
 * A scripted fake broker for client tests: a TCP server that hands every request frame
 * (decoded header + body reader) to the test, which answers with `reply`. Servers are
 * closed by `closeFakeBrokers` (register it with after()).
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { once } from 'node:events';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';
import { decodeRequestHeader, encodeResponseHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';
import type { RequestHeader } from '../../src/protocol/headers.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { FrameDecoder } from '../../src/server/frame-decoder.ts';
import { KafkaConnection } from '../../src/cli/client/connection.ts';

export type Range = { apiKey: number; minVersion: number; maxVersion: number };

export interface FakeRequest {
  header: RequestHeader;
  body: Reader;
  socket: Socket;
}

/** A TCP server that hands each request frame to the test. */
export async function fakeBroker(onRequest: (request: FakeRequest) => void): Promise<{ server: Server; port: number }> {
  const server = createServer((socket) => {
    const decoder = new FrameDecoder(1 << 20);
    socket.on('data', (chunk: Buffer) => {
      decoder.push(chunk);
      for (let frame = decoder.next(); frame !== null; frame = decoder.next()) {
        const body = new Reader(frame);
        onRequest({ header: decodeRequestHeader(body), body, socket });
      }
    });
    socket.on('error', () => {});
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

export function reply(request: FakeRequest, encodeBody: (w: Writer) => void, headerVersion?: number): void {
  const { apiKey, apiVersion, correlationId } = request.header;
  const w = new Writer();
  encodeResponseHeader(w, headerVersion ?? responseHeaderVersion(apiKey, apiVersion), correlationId);
  encodeBody(w);
  const size = Buffer.alloc(4);
  size.writeInt32BE(w.length);
  request.socket.write(Buffer.concat([size, ...w.toChunks()]));
}

export function replyApiVersions(request: FakeRequest, apiKeys: Range[], errorCode = 0, version = request.header.apiVersion): void {
  reply(request, (w) => encodeApiVersionsResponse(w, version, { errorCode, apiKeys }), 0);
}

const servers: Server[] = [];

export function closeFakeBrokers(): void {
  for (const server of servers.splice(0)) server.close();
}

/** Starts a fake broker whose server is closed by closeFakeBrokers. */
export async function startFakeBroker(onRequest: (request: FakeRequest) => void): Promise<number> {
  const { server, port } = await fakeBroker(onRequest);
  servers.push(server);
  return port;
}

/** Answers ApiVersions with these ranges (plus ApiVersions 0-4); true when it did. */
export function answeredApiVersions(request: FakeRequest, ranges: Range[]): boolean {
  if (request.header.apiKey !== ApiKey.ApiVersions) return false;
  replyApiVersions(request, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 }, ...ranges]);
  return true;
}

export async function open(onRequest: (request: FakeRequest) => void, requestTimeoutMs?: number): Promise<KafkaConnection> {
  const port = await startFakeBroker(onRequest);
  return KafkaConnection.open({ host: '127.0.0.1', port, requestTimeoutMs });
}

