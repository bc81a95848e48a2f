import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { ApiRegistry } from '../../src/server/registry.ts';
import type { ApiHandler } from '../../src/server/api-handler.ts';

function handler(apiKey: number, minVersion: number, maxVersion: number): ApiHandler {
  return { apiKey, minVersion, maxVersion, handle: () => ({}) };
}

test('versions() lists registered APIs by key', () => {
  const registry = new ApiRegistry()
    .register(handler(ApiKey.Metadata, 0, 12))
    .register(handler(ApiKey.Produce, 3, 11));
  assert.deepEqual(registry.versions(), [
    { apiKey: ApiKey.Produce, minVersion: 3, maxVersion: 11 },
    { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 12 },
  ]);
  assert.equal(registry.get(ApiKey.Fetch), undefined);
});

test('duplicate keys, unknown keys and ranges beyond the schema are refused', () => {
  const registry = new ApiRegistry().register(handler(ApiKey.Heartbeat, 0, 4));
  assert.throws(() => registry.register(handler(ApiKey.Heartbeat, 0, 4)), /already registered/);
  assert.throws(() => registry.register(handler(999, 0, 0)), /no generated codec/);
  assert.throws(() => registry.register(handler(ApiKey.ApiVersions, 0, 5)), /outside schema range/);
  assert.throws(() => registry.register(handler(ApiKey.ApiVersions, 3, 2)), /outside schema range/);
});
