import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writer } from '../../src/protocol/writer.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeApiVersionsResponse, encodeApiVersionsRequest } from '../../src/protocol/generated/api-versions.ts';
import type { ApiVersionsResponse } from '../../src/protocol/generated/api-versions.ts';
import type { ApiVersionRange } from '../../src/server/registry.ts';
import { RawClient, readResponseHeader, startTestBroker, withSizePrefix } from './helpers.ts';

const SERVED: ApiVersionRange[] = [
  { apiKey: ApiKey.Heartbeat, minVersion: 0, maxVersion: 4 },
  { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 },
];

async function apiVersions(
  client: RawClient, version: number, correlationId: number, software = { name: 'gregor-test', version: '1.0.0' },
): Promise<ApiVersionsResponse> {
  client.send(ApiKey.ApiVersions, version, correlationId, (w) => {
    encodeApiVersionsRequest(w, version, { clientSoftwareName: software.name, clientSoftwareVersion: software.version });
  });
  // ApiVersions responses always use response header v0, even for flexible versions.
  const { correlationId: answered, body } = readResponseHeader(await client.nextFrame(), false);
  assert.equal(answered, correlationId);
  const response = decodeApiVersionsResponse(body, version);
  assert.equal(body.remaining(), 0, 'response fully consumed');
  return response;
}

function byKey(apiKeys: ApiVersionRange[]): ApiVersionRange[] {
  return apiKeys.map(({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }))
    .sort((a, b) => a.apiKey - b.apiKey);
}

test('ApiVersions v0-v4 list exactly the registered APIs', async () => {
  const { listener } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  try {
    for (let version = 0; version <= 4; version++) {
      const response = await apiVersions(client, version, 100 + version);
      assert.equal(response.errorCode, ErrorCode.NONE);
      assert.deepEqual(byKey(response.apiKeys), SERVED);
      assert.equal(response.throttleTimeMs, 0);
      if (version >= 3) {
        assert.deepEqual(response.supportedFeatures, []);
        assert.deepEqual(response.finalizedFeatures, []);
        assert.equal(response.finalizedFeaturesEpoch, -1);
        assert.equal(response.zkMigrationReady, false);
      }
    }
  } finally {
    client.end();
    await listener.close();
  }
});

test('an unsupported ApiVersions version gets UNSUPPORTED_VERSION as a v0 response', async () => {
  const { listener } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  try {
    // What a client newer than us sends: a v5 request with a flexible (v2) header.
    const w = new Writer();
    w.writeInt16(ApiKey.ApiVersions);
    w.writeInt16(5);
    w.writeInt32(77);
    w.writeNullableString('future-client');
    w.writeUnsignedVarInt(0); // header tagged fields
    w.writeCompactString('future-client');
    w.writeCompactString('9.9');
    w.writeUnsignedVarInt(0); // body tagged fields
    client.socket.write(withSizePrefix(w.toBuffer()));
    const { correlationId, body } = readResponseHeader(await client.nextFrame(), false);
    assert.equal(correlationId, 77);
    const response = decodeApiVersionsResponse(body, 0);
    assert.equal(body.remaining(), 0);
    assert.equal(response.errorCode, ErrorCode.UNSUPPORTED_VERSION);
    assert.deepEqual(byKey(response.apiKeys), [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 4 }]);
    // The connection stays usable: the client retries at a version we serve.
    const retry = await apiVersions(client, 3, 78);
    assert.equal(retry.errorCode, ErrorCode.NONE);
  } finally {
    client.end();
    await listener.close();
  }
});

test('ApiVersions v3+ with an invalid client software name or version is INVALID_REQUEST', async () => {
  const { listener } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  try {
    for (const software of [{ name: 'bad name', version: '1.0' }, { name: 'ok', version: '-1.0' }, { name: '', version: '1' }]) {
      const response = await apiVersions(client, 3, 5, software);
      assert.equal(response.errorCode, ErrorCode.INVALID_REQUEST, JSON.stringify(software));
      assert.deepEqual(response.apiKeys, []);
    }
    const good = await apiVersions(client, 4, 6, { name: 'apache-kafka-java', version: '4.0.0' });
    assert.equal(good.errorCode, ErrorCode.NONE);
  } finally {
    client.end();
    await listener.close();
  }
});
