import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../../src/clock.ts';
import { canonicalQuotaEntity, quotaEntityKey } from '../../../src/cluster/client-quotas.ts';
import { MetadataImage } from '../../../src/cluster/metadata-image.ts';
import { ApiKey } from '../../../src/protocol/generated/api-table.ts';
import { NO_RESPONSE, type ApiHandler, type RequestContext } from '../../../src/server/api-handler.ts';
import { BrokerQuotas } from '../../../src/server/quotas/broker-quotas.ts';
import { withRequestQuota } from '../../../src/server/quotas/request-quota.ts';

const entity = canonicalQuotaEntity([{ entityType: 'client-id', entityName: null }]);
/** A request_percentage no request can meet: every response is throttled by the cap (one 1 s window). */
const image = new MetadataImage({
  clusterId: 'c', controllerId: 1,
  clientQuotas: new Map([[quotaEntityKey(entity), { entity, quotas: { request_percentage: 1e-9 } }]]),
});
const quotas = new BrokerQuotas({ samples: { samples: 11, windowMs: 1000 }, image: () => image, clock: new ManualClock() });
const ctx = (apiKey: number, clientId = 'app'): RequestContext => ({
  apiKey, apiVersion: 0, correlationId: 1, clientId, connectionId: 'c-1', clientHost: '127.0.0.1', listenerName: 'PLAINTEXT',
});

function handler(apiKey: number, answer: () => object | typeof NO_RESPONSE): ApiHandler {
  return { apiKey, minVersion: 0, maxVersion: 9, handle: async () => { await new Promise((r) => setImmediate(r)); return answer(); } };
}

test('a response over request_percentage carries the throttle, capped at one window', async () => {
  const wrapped = withRequestQuota(handler(ApiKey.Metadata, () => ({ throttleTimeMs: 0 })), quotas);
  assert.deepEqual(await wrapped.handle({}, ctx(ApiKey.Metadata)), { throttleTimeMs: 1000 });
});

test('exempt: acks=0 Produce (no response), JoinGroup and SyncGroup; Fetch records itself', async () => {
  assert.equal(await withRequestQuota(handler(ApiKey.Produce, () => NO_RESPONSE), quotas).handle({}, ctx(ApiKey.Produce, 'exempt')), NO_RESPONSE);
  for (const key of [ApiKey.JoinGroup, ApiKey.SyncGroup]) {
    const h = handler(key, () => ({ throttleTimeMs: 0 }));
    assert.equal(withRequestQuota(h, quotas), h);
  }
  assert.deepEqual(await withRequestQuota(handler(ApiKey.Fetch, () => ({ throttleTimeMs: 0 })), quotas).handle({}, ctx(ApiKey.Fetch, 'exempt')), { throttleTimeMs: 0 });
  assert.deepEqual(quotas.request.views(0).filter((v) => v.tags.clientId === 'exempt'), []);
});
