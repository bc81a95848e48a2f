import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createFetchHandler } from '../../src/server/apis/fetch.ts';
import { createListOffsetsHandler } from '../../src/server/apis/list-offsets.ts';
import { createProduceHandler } from '../../src/server/apis/produce.ts';
import { ApiRegistry } from '../../src/server/registry.ts';
import { Fixture } from './helpers.ts';

test('the data-path handlers register with the version ranges clients negotiate against', async () => {
  const f = await Fixture.open();
  const registry = new ApiRegistry();
  for (const create of [createProduceHandler, createFetchHandler, createListOffsetsHandler]) registry.register(create(f.services));
  assert.deepEqual(registry.versions(), [
    { apiKey: 0, minVersion: 0, maxVersion: 11 },
    { apiKey: 1, minVersion: 0, maxVersion: 17 },
    { apiKey: 2, minVersion: 0, maxVersion: 10 },
  ]);
  await f.close();
});
