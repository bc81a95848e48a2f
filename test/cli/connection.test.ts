/**
 * The client connection against a scripted fake broker: ApiVersions negotiation
 * (including the KIP-511 fallback when the broker does not know our ApiVersions
 * version), version choice per API, pipelined requests answered out of order, and
 * request timeouts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';
import { decodeMetadataRequest, encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { decodeRequestHeader, encodeResponseHeader, responseHeaderVersion } from '../../src/protocol/headers.ts';
import type { RequestHeader } from '../../src/protocol/headers.ts';
import { Reader } from '../../src/protocol/reader.ts';
import { Writer } from '../../src/protocol/writer.ts';
import { FrameDecoder } from '../../src/server/frame-decoder.ts';
import { MetadataCall, ProduceCall } from '../../src/cli/client/api-calls.ts';
import { KafkaConnection } from '../../src/cli/client/connection.ts';
import { ConnectionError, KafkaResponseError } from '../../src/cli/client/kafka-error.ts';

type Range = { apiKey: number; minVersion: number; maxVersion: number };

interface FakeRequest {
  header: RequestHeader;
  body: Reader;
  socket: Socket;
}

/** A TCP server that hands each request frame to the test. */
async function fakeBroker(onRequest: (request: FakeRequest) => void): Promise<{ server: Server; port: number }> {
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

function reply(request: FakeRequest, encodeBody: (w: Writer) => void, headerVersion?: number): void {
  const { apiKey, apiVersion, correlationId } = request.header;
  const w = new Writer();
  encodeResponseHeader(w, headerVersion ?? responseHeaderVersion(apiKey, apiVersion), correlationId);
  encodeBody(w);
  const size = Buffer.alloc(4);
  size.writeInt32BE(w.length);
  request.socket.write(Buffer.concat([size, ...w.toChunks()]));
}

function replyApiVersions(request: FakeRequest, apiKeys: Range[], errorCode = 0, version = request.header.apiVersion): void {
  reply(request, (w) => encodeApiVersionsResponse(w, version, { errorCode, apiKeys }), 0);
}

const servers: Server[] = [];
after(() => {
  for (const server of servers) server.close();
});

async function open(onRequest: (request: FakeRequest) => void, requestTimeoutMs?: number): Promise<KafkaConnection> {
  const { server, port } = await fakeBroker(onRequest);
  servers.push(server);
  return KafkaConnection.open({ host: '127.0.0.1', port, requestTimeoutMs });
}

describe('KafkaConnection', () => {
  it('retries ApiVersions at the broker\'s version, then uses min(ours, broker max) per API', async () => {
    const apiVersionsSeen: number[] = [];
    const conn = await open((request) => {
      apiVersionsSeen.push(request.header.apiVersion);
      if (request.header.apiVersion > 2) {
        // KIP-511: an unknown ApiVersions version is answered in v0 form with our own range.
        replyApiVersions(request, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 }],
          ErrorCode.UNSUPPORTED_VERSION, 0);
      } else {
        replyApiVersions(request, [
          { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 5 },
          { apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 2 },
        ]);
      }
    });
    assert.deepEqual(apiVersionsSeen, [4, 2]);
    assert.equal(conn.versionFor(MetadataCall), 5);
    assert.throws(() => conn.versionFor(ProduceCall), (err: unknown) =>
      err instanceof KafkaResponseError && err.errorName === 'UNSUPPORTED_VERSION' && /offers versions 0-2 of Produce/.test(err.message));
    conn.close();
  });

  it('uses its own max when the broker supports more, and refuses an API the broker lacks', async () => {
    const conn = await open((request) => replyApiVersions(request, [
      { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 9 },
      { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 99 },
    ]));
    assert.equal(conn.versionFor(MetadataCall), MetadataCall.maxVersion);
    assert.throws(() => conn.versionFor(ProduceCall), /does not offer Produce/);
    conn.close();
  });

  it('pipelines requests and matches responses by correlation id', async () => {
    const held: FakeRequest[] = [];
    const conn = await open((request) => {
      if (request.header.apiKey === ApiKey.ApiVersions) {
        replyApiVersions(request, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 }]);
        return;
      }
      held.push(request);
      if (held.length < 3) return;
      // All three arrived before any answer: reply in reverse, echoing each topic name.
      for (const r of held.reverse()) {
        const asked = decodeMetadataRequest(r.body, r.header.apiVersion).topics?.[0]?.name ?? '';
        reply(r, (w) => encodeMetadataResponse(w, r.header.apiVersion, { clusterId: asked, topics: [] }));
      }
    });
    const names = ['a', 'b', 'c'];
    const responses = await Promise.all(names.map((name) => conn.send(MetadataCall, () => ({ topics: [{ name }] }))));
    assert.deepEqual(responses.map((r) => r.clusterId), names);
    conn.close();
  });

  it('refuses a response larger than its limit and closes the connection', async () => {
    const { server, port } = await fakeBroker((request) => {
      if (request.header.apiKey === ApiKey.ApiVersions) {
        replyApiVersions(request, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 }]);
        return;
      }
      const size = Buffer.alloc(4);
      size.writeInt32BE(5000);
      request.socket.write(size);
    });
    servers.push(server);
    const conn = await KafkaConnection.open({ host: '127.0.0.1', port, responseBytesMax: 4096 });
    await assert.rejects(conn.send(MetadataCall, () => ({ topics: null })),
      /response of 5000 bytes is over the client's limit of 4096/);
    assert.equal(conn.isClosed, true);
  });

  it('fails a request that gets no answer in time and closes the connection', async () => {
    const conn = await open((request) => {
      if (request.header.apiKey === ApiKey.ApiVersions) {
        replyApiVersions(request, [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 }]);
      }
    }, 50);
    await assert.rejects(conn.send(MetadataCall, () => ({ topics: null })),
      (err: unknown) => err instanceof ConnectionError && /timed out after 50 ms/.test(err.message));
    assert.equal(conn.isClosed, true);
  });
});
