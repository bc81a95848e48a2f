import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuotaEntity, quotaEntityKey, type ClientQuota, type QuotaEntityPart } from '../../../src/cluster/client-quotas.ts';
import { ClientQuotaManager, SENSOR_IDLE_EXPIRY_MS, throttleTimeMs } from '../../../src/server/quotas/client-quota-manager.ts';

const T0 = 1_700_000_000_000;
const samples = { samples: 11, windowMs: 1000 };

function quotaMap(...entries: [QuotaEntityPart[], Record<string, number>][]): Map<string, ClientQuota> {
  return new Map(entries.map(([parts, quotas]) => {
    const entity = canonicalQuotaEntity(parts);
    return [quotaEntityKey(entity), { entity, quotas }];
  }));
}

const defaultClientId = (bound: number) => quotaMap([[{ entityType: 'client-id', entityName: null }], { producer_byte_rate: bound }]);

function manager(quotas: Map<string, ClientQuota>, maxThrottleTimeMs?: number): ClientQuotaManager {
  const m = new ClientQuotaManager({ key: 'producer_byte_rate', samples, maxThrottleTimeMs });
  m.update(quotas);
  return m;
}

test('throttle time is (observed - bound) / bound * window size, rounded (Kafka QuotaUtils)', () => {
  assert.equal(throttleTimeMs(1200, 1000, 10_000), 2000);
  assert.equal(throttleTimeMs(1000.04, 1000, 10_000), 0);
  assert.equal(throttleTimeMs(1000.1, 1000, 10_000), 1);
});

test('within the quota nothing is throttled; over it the throttle brings the rate back to the bound', () => {
  const m = manager(defaultClientId(1000));
  // 10 000 bytes over the first (padded) 10 s window is exactly 1000 B/s: allowed.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 10_000, T0), 0);
  // 2 000 more: 1200 B/s over 10 s -> 2 s.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 2000, T0), 2000);
  // Each client id has its own bucket under a default client-id quota.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'b', 10_500, T0), 500);
});

test('the measured rate decays as time passes, and a sample leaves the rate after samples windows', () => {
  const m = manager(defaultClientId(1000));
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 12_000, T0), 2000);
  // 2.5 s later the window is 10.5 s (10 padded full windows + the partial one): 1142.86 B/s.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 0, T0 + 2500), 1500);
  // 11 s later the first sample has expired.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 0, T0 + 11_000), 0);
});

test('a quota change applies to existing sensors at once; removing every quota stops measuring', () => {
  const m = manager(defaultClientId(1000));
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 11_000, T0), 1000);
  m.update(defaultClientId(500));
  // 11 000 bytes over 10 s against 500 B/s -> (1100 - 500) / 500 * 10 s.
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 0, T0), 12_000);
  m.update(new Map());
  assert.equal(m.enabled, false);
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 1e9, T0), 0);
  assert.deepEqual(m.views(T0), [{ tags: { user: '', clientId: 'a' }, rate: 1100, throttleTimeMs: 0 }]);
});

test('a user quota is shared by all client ids of the user', () => {
  const m = manager(quotaMap([[{ entityType: 'user', entityName: 'ANONYMOUS' }], { producer_byte_rate: 1000 }]));
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 6000, T0), 0);
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'b', 6000, T0), 2000);
  assert.deepEqual(m.views(T0).map((v) => v.tags), [{ user: 'ANONYMOUS', clientId: '' }]);
});

test('unrecord takes bytes back; throttle times are averaged for the metric', () => {
  const m = manager(defaultClientId(1000));
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 13_000, T0), 3000);
  m.unrecord('ANONYMOUS', 'a', 13_000, T0);
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 10_000, T0), 0);
  m.recordThrottleTime('ANONYMOUS', 'a', 3000, T0);
  m.recordThrottleTime('ANONYMOUS', 'a', 1000, T0);
  assert.equal(m.views(T0)[0].throttleTimeMs, 2000);
});

test('the throttle time can be capped (request quotas use the window size)', () => {
  const m = manager(defaultClientId(1000), 1000);
  assert.equal(m.recordAndGetThrottleTimeMs('ANONYMOUS', 'a', 50_000, T0), 1000);
});

test('max value in the quota window: bound * (samples - 1) windows, Infinity without a quota', () => {
  const m = manager(defaultClientId(1000));
  assert.equal(m.maxValueInQuotaWindow('ANONYMOUS', 'a'), 10_000);
  assert.equal(manager(new Map()).maxValueInQuotaWindow('ANONYMOUS', 'a'), Infinity);
});

test('sensors idle for an hour are dropped', () => {
  const m = manager(defaultClientId(1000));
  m.recordAndGetThrottleTimeMs('ANONYMOUS', 'old', 1, T0);
  m.recordAndGetThrottleTimeMs('ANONYMOUS', 'new', 1, T0 + SENSOR_IDLE_EXPIRY_MS - 1);
  // Idle sensors are looked for at most once a minute, when a sensor is created.
  m.recordAndGetThrottleTimeMs('ANONYMOUS', 'newer', 1, T0 + SENSOR_IDLE_EXPIRY_MS + 60_000);
  assert.deepEqual(m.views(T0 + SENSOR_IDLE_EXPIRY_MS + 60_000).map((v) => v.tags.clientId), ['new', 'newer']);
});
