import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuotaEntity, type ClientQuota } from '../../../src/cluster/client-quotas.ts';
import { QuotaLevels } from '../../../src/server/quotas/quota-resolution.ts';

type Level = [user: string | null | undefined, clientId: string | null | undefined];

/** A stored quota on the entity (undefined = that part absent, null = its default). */
function quota([user, clientId]: Level, values: Record<string, number>): ClientQuota {
  const parts = [];
  if (user !== undefined) parts.push({ entityType: 'user', entityName: user });
  if (clientId !== undefined) parts.push({ entityType: 'client-id', entityName: clientId });
  return { entity: canonicalQuotaEntity(parts), quotas: values };
}

// Kafka's precedence (KIP-55), most specific first, with the value each level sets.
const LEVELS: [Level, number][] = [
  [['alice', 'app'], 1],
  [['alice', null], 2],
  [['alice', undefined], 3],
  [[null, 'app'], 4],
  [[null, null], 5],
  [[null, undefined], 6],
  [[undefined, 'app'], 7],
  [[undefined, null], 8],
];

test('the most specific entity setting the key wins, in KIP-55 order', () => {
  for (let first = 0; first < LEVELS.length; first++) {
    const stored = LEVELS.slice(first).map(([level, bound]) => quota(level, { producer_byte_rate: bound }));
    const levels = QuotaLevels.from(stored, 'producer_byte_rate');
    const tags = levels.tagsFor('alice', 'app');
    assert.equal(levels.limitFor(tags), LEVELS[first][1], `levels ${first + 1}..8 stored`);
  }
});

test('who shares a rate: user-only levels share across client ids, client-id-only levels across users', () => {
  const tagsWith = (level: Level) => QuotaLevels.from([quota(level, { producer_byte_rate: 10 })], 'producer_byte_rate').tagsFor('alice', 'app');
  assert.deepEqual(tagsWith(['alice', 'app']), { user: 'alice', clientId: 'app' });
  assert.deepEqual(tagsWith(['alice', null]), { user: 'alice', clientId: 'app' });
  assert.deepEqual(tagsWith(['alice', undefined]), { user: 'alice', clientId: '' });
  assert.deepEqual(tagsWith([null, null]), { user: 'alice', clientId: 'app' });
  assert.deepEqual(tagsWith([null, undefined]), { user: 'alice', clientId: '' });
  assert.deepEqual(tagsWith([undefined, 'app']), { user: '', clientId: 'app' });
  assert.deepEqual(tagsWith([undefined, null]), { user: '', clientId: 'app' });
});

test('only entities setting this key count; ip entities are not client quotas', () => {
  const stored = [
    quota(['alice', undefined], { consumer_byte_rate: 5 }),
    quota([undefined, null], { producer_byte_rate: 9 }),
    { entity: canonicalQuotaEntity([{ entityType: 'ip', entityName: null }]), quotas: { connection_creation_rate: 3 } },
  ];
  const produce = QuotaLevels.from(stored, 'producer_byte_rate');
  assert.deepEqual(produce.tagsFor('alice', 'app'), { user: '', clientId: 'app' });
  assert.equal(produce.limitFor(produce.tagsFor('alice', 'app')), 9);
  const consume = QuotaLevels.from(stored, 'consumer_byte_rate');
  assert.equal(consume.limitFor(consume.tagsFor('bob', 'app')), null);
  assert.equal(QuotaLevels.from(stored, 'connection_creation_rate').enabled, false);
});

test('a user-and-client-id quota for another user does not apply (unlimited)', () => {
  const levels = QuotaLevels.from([quota(['bob', null], { producer_byte_rate: 10 })], 'producer_byte_rate');
  assert.equal(levels.enabled, true);
  assert.equal(levels.limitFor(levels.tagsFor('ANONYMOUS', 'app')), null);
});
