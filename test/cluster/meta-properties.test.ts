import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureMetaProperties, readMetaProperties } from '../../src/cluster/meta-properties.ts';
import { openStore, tempDir } from './helpers.ts';

test('created in every log dir with version, node.id, cluster.id and directory.id', async () => {
  const [a, b] = [await tempDir(), await tempDir()];
  const { clusterId, directoryIds } = await ensureMetaProperties([a, b], 3, null);
  const metaA = await readMetaProperties(a);
  const metaB = await readMetaProperties(b);
  assert.equal(metaA?.version, 1);
  assert.equal(metaA?.nodeId, 3);
  assert.equal(metaA?.clusterId, clusterId);
  assert.equal(metaB?.clusterId, clusterId);
  assert.notEqual(metaA?.directoryId, metaB?.directoryId);
  assert.equal(directoryIds.get(a), metaA?.directoryId);
  const text = await readFile(join(a, 'meta.properties'), 'utf8');
  assert.match(text, /^version=1$/m);
  assert.match(text, /^node\.id=3$/m);
});

test('an existing file is kept and its cluster id reused', async () => {
  const dir = await tempDir();
  const first = await ensureMetaProperties([dir], 1, null);
  const second = await ensureMetaProperties([dir], 1, null);
  assert.equal(second.clusterId, first.clusterId);
  assert.equal(second.directoryIds.get(dir), first.directoryIds.get(dir));
});

test('the configured cluster.id is used for a new dir', async () => {
  const dir = await tempDir();
  assert.equal((await ensureMetaProperties([dir], 1, 'myCluster')).clusterId, 'myCluster');
});

test('a node.id mismatch fails start-up with a clear error', async () => {
  const dir = await tempDir();
  await ensureMetaProperties([dir], 1, null);
  await assert.rejects(ensureMetaProperties([dir], 2, null), /node\.id=1.*node\.id=2/);
  await assert.rejects(openStore(dir, { 'node.id': '2' }), /node\.id=1/);
});

test('a cluster.id mismatch with the config fails start-up', async () => {
  const dir = await tempDir();
  await ensureMetaProperties([dir], 1, 'c1');
  await assert.rejects(ensureMetaProperties([dir], 1, 'c2'), /cluster\.id=c1.*cluster\.id=c2/);
  await assert.rejects(openStore(dir, { 'cluster.id': 'c2' }), /cluster\.id=c1/);
});

test('log dirs of different clusters are refused', async () => {
  const [a, b] = [await tempDir(), await tempDir()];
  await ensureMetaProperties([a], 1, 'c1');
  await ensureMetaProperties([b], 1, 'c2');
  await assert.rejects(ensureMetaProperties([a, b], 1, null), /different clusters/);
});

test('an unsupported version is refused', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'meta.properties'), 'version=0\nbroker.id=1\ncluster.id=x\n');
  await assert.rejects(ensureMetaProperties([dir], 1, null), /unsupported version/);
});
