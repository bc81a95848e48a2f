// The committed src/protocol/generated/ must be exactly what the generator produces from
// Kafka's schemas (when ../shared/kafka-protocol is present), and the API table must hold
// every API with consistent version ranges either way.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_OUT_DIR,
  DEFAULT_SCHEMA_ROOT,
  generateProtocol,
  listFiles,
} from '../../tools/generate-protocol.ts';
import { kebab } from '../../tools/protocol-gen/schema.ts';
import { ApiKey, apiByKey } from '../../src/protocol/generated/api-table.ts';

test('committed generated code matches the generator output', () => {
  const committed = listFiles(DEFAULT_OUT_DIR).sort();
  assert.ok(committed.includes('api-table.ts'));
  if (!existsSync(DEFAULT_SCHEMA_ROOT)) {
    // Without the schemas we can still check that every API in the table has its file.
    for (const api of apiByKey.values()) assert.ok(committed.includes(`${kebab(api.name)}.ts`), api.name);
    return;
  }
  const expected = generateProtocol(DEFAULT_SCHEMA_ROOT);
  assert.deepEqual(committed, [...expected.keys()].sort(), 'same file list');
  for (const [path, content] of expected) {
    assert.equal(readFileSync(join(DEFAULT_OUT_DIR, path), 'utf8'), content, `${path} is stale: run npm run generate`);
  }
});

test('the API table covers the Kafka APIs with sane version ranges', () => {
  assert.ok(apiByKey.size >= 80, `only ${apiByKey.size} APIs`);
  assert.equal(ApiKey.Produce, 0);
  assert.equal(ApiKey.ApiVersions, 18);
  for (const [key, api] of apiByKey) {
    assert.equal(api.key, key);
    assert.equal(ApiKey[api.name as keyof typeof ApiKey], key);
    assert.ok(api.minVersion <= api.maxVersion, api.name);
    if (api.flexibleMinVersion !== null) assert.ok(api.flexibleMinVersion >= api.minVersion, api.name);
  }
  assert.equal(apiByKey.get(ApiKey.Fetch)?.flexibleMinVersion, 12);
  assert.equal(apiByKey.get(ApiKey.SaslHandshake)?.flexibleMinVersion, null);
});
