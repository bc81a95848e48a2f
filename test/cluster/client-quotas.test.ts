import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalQuotaEntity } from '../../src/cluster/client-quotas.ts';
import { MetadataImage } from '../../src/cluster/metadata-image.ts';
import { applyRecord, snapshotRecords } from '../../src/cluster/metadata-records.ts';
import type { MetadataChange } from '../../src/cluster/metadata-store.ts';
import { openStore, tempDir } from './helpers.ts';

const userAndClient = canonicalQuotaEntity([
  { entityType: 'user', entityName: 'alice' },
  { entityType: 'client-id', entityName: null },
]);
const ipEntity = canonicalQuotaEntity([{ entityType: 'ip', entityName: '10.0.0.1' }]);

test('alterClientQuotas: sets, replaces and removes keys; an entity without keys disappears', async () => {
  const store = await openStore(await tempDir());
  const changes: MetadataChange[] = [];
  store.onChange((_, change) => changes.push(change));
  await store.alterClientQuotas([{ entity: userAndClient, ops: { producer_byte_rate: 1000, request_percentage: 0.5 } }]);
  await store.alterClientQuotas([{ entity: userAndClient, ops: { producer_byte_rate: 2000, request_percentage: null } }]);
  assert.deepEqual(store.image().clientQuotasOf(userAndClient), { producer_byte_rate: 2000 });
  await store.alterClientQuotas([{ entity: userAndClient, ops: { producer_byte_rate: null, consumer_byte_rate: null } }]);
  assert.equal(store.image().clientQuotas.size, 0);
  assert.deepEqual(changes, [{ kind: 'client-quotas' }, { kind: 'client-quotas' }, { kind: 'client-quotas' }]);
  await store.close();
});

test('alterClientQuotas: a change that changes nothing writes nothing', async () => {
  const store = await openStore(await tempDir());
  await store.alterClientQuotas([{ entity: ipEntity, ops: { connection_creation_rate: 5 } }]);
  const version = store.image().version;
  await store.alterClientQuotas([{ entity: ipEntity, ops: { connection_creation_rate: 5, other: null } }]);
  assert.equal(store.image().version, version);
  await store.close();
});

test('client quotas survive a restart (metadata log replay) and are part of a snapshot', async () => {
  const dir = await tempDir();
  let store = await openStore(dir);
  await store.alterClientQuotas([
    { entity: userAndClient, ops: { consumer_byte_rate: 300 } },
    { entity: ipEntity, ops: { connection_creation_rate: 7 } },
  ]);
  await store.close();
  store = await openStore(dir);
  assert.deepEqual(store.image().clientQuotasOf(userAndClient), { consumer_byte_rate: 300 });
  assert.deepEqual(store.image().clientQuotasOf(ipEntity), { connection_creation_rate: 7 });
  const image = store.image();
  const rebuilt = snapshotRecords(image).reduce(applyRecord, new MetadataImage({ clusterId: image.clusterId, controllerId: image.controllerId }));
  assert.deepEqual([...rebuilt.clientQuotas], [...image.clientQuotas]);
  await store.close();
});
