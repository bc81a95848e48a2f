/**
 * The client connection against a scripted fake broker: ApiVersions negotiation
 * (including the KIP-511 fallback when the broker does not know our ApiVersions
 * version), version choice per API, pipelined requests answered out of order, and
 * request timeouts.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeMetadataRequest, encodeMetadataResponse } from '../../src/protocol/generated/metadata.ts';
import { MetadataCall, ProduceCall } from '../../src/cli/client/api-calls.ts';
import { KafkaConnection } from '../../src/cli/client/connection.ts';
import { ConnectionError, KafkaResponseError } from '../../src/cli/client/kafka-error.ts';
import { answeredApiVersions, closeFakeBrokers, open, reply, replyApiVersions, startFakeBroker } from './fake-broker.ts';
import type { FakeRequest } from './fake-broker.ts';

after(closeFakeBrokers);

/** Metadata 0-12 besides ApiVersions. */
const METADATA_RANGE = [{ apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 }];

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
      if (answeredApiVersions(request, METADATA_RANGE)) return;
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
    const port = await startFakeBroker((request) => {
      if (answeredApiVersions(request, METADATA_RANGE)) return;
      const size = Buffer.alloc(4);
      size.writeInt32BE(5000);
      request.socket.write(size);
    });
    const conn = await KafkaConnection.open({ host: '127.0.0.1', port, responseBytesMax: 4096 });
    await assert.rejects(conn.send(MetadataCall, () => ({ topics: null })),
      /response of 5000 bytes is over the client's limit of 4096/);
    assert.equal(conn.isClosed, true);
  });

  it('fails a request that gets no answer in time and closes the connection', async () => {
    const conn = await open((request) => answeredApiVersions(request, METADATA_RANGE), 50);
    await assert.rejects(conn.send(MetadataCall, () => ({ topics: null })),
      (err: unknown) => err instanceof ConnectionError && /timed out after 50 ms/.test(err.message));
    assert.equal(conn.isClosed, true);
  });
});
