/**
 * Producer id allocation: durable blocks never reused across restarts, prefetch, and the
 * InitProducerId handler (idempotent: fresh id, epoch 0; transactional: no coordinator).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test, { after } from 'node:test';
import { FileProducerIdBlockStore, PRODUCER_ID_BLOCK_FILE, type ProducerIdBlock } from '../../src/coordinator/producer-id/producer-id-block-store.ts';
import { ProducerIdManager } from '../../src/coordinator/producer-id/producer-id-manager.ts';
import { silentLogger } from '../../src/logger.ts';
import { ErrorCode } from '../../src/protocol/errors.ts';
import type { InitProducerIdResponse } from '../../src/protocol/generated/init-producer-id.ts';
import { createInitProducerIdHandler } from '../../src/server/apis/init-producer-id.ts';
import { answer } from '../replication/helpers.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true }))));

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gregor-pid-'));
  dirs.push(dir);
  return dir;
}

test('ids are unique within and across restarts; an unused rest of a block is skipped', async () => {
  const dir = await tempDir();
  const first = new ProducerIdManager(await FileProducerIdBlockStore.open(dir, 10));
  const ids = await Promise.all(Array.from({ length: 25 }, () => first.generateProducerId()));
  assert.equal(new Set(ids).size, 25);
  const file = JSON.parse(await fs.readFile(path.join(dir, PRODUCER_ID_BLOCK_FILE), 'utf8')) as { nextProducerId: number };
  assert.ok(file.nextProducerId >= 30, 'the block in use is recorded before its ids are handed out');
  const second = new ProducerIdManager(await FileProducerIdBlockStore.open(dir, 10));
  const after = await second.generateProducerId();
  assert.ok(after >= file.nextProducerId && !ids.includes(after));
});

test('the next block is fetched before the current one runs out', async () => {
  const asked: number[] = [];
  let next = 0;
  const source = { allocateBlock: async (): Promise<ProducerIdBlock> => { asked.push(next); const b = { firstProducerId: next, size: 10 }; next += 10; return b; } };
  const manager = new ProducerIdManager(source);
  for (let i = 0; i < 9; i++) assert.equal(await manager.generateProducerId(), i);
  assert.deepEqual(asked, [0, 10]);
  assert.equal(await manager.generateProducerId(), 9);
  assert.equal(await manager.generateProducerId(), 10);
});

test('an unreadable block file fails the open rather than risking reused ids', async () => {
  const dir = await tempDir();
  await fs.writeFile(path.join(dir, PRODUCER_ID_BLOCK_FILE), '{"version":0}');
  await assert.rejects(FileProducerIdBlockStore.open(dir));
});

test('InitProducerId: idempotent producers get fresh ids with epoch 0 at every version', async () => {
  const dir = await tempDir();
  const handler = createInitProducerIdHandler({ producerIds: new ProducerIdManager(await FileProducerIdBlockStore.open(dir)), logger: silentLogger });
  const seen = new Set<number>();
  for (let version = 0; version <= 5; version++) {
    const res = await answer<InitProducerIdResponse>(handler, version, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1 });
    assert.deepEqual([res.errorCode, res.producerEpoch], [ErrorCode.NONE, 0]);
    seen.add(res.producerId);
  }
  // v3+ with the current id/epoch (KIP-360): Kafka hands an idempotent producer a new id.
  const bumped = await answer<InitProducerIdResponse>(handler, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: 3, producerEpoch: 0 });
  assert.equal(bumped.errorCode, ErrorCode.NONE);
  seen.add(bumped.producerId);
  assert.equal(seen.size, 7);
});

test('InitProducerId: half a producer id/epoch pair, empty or unserved transactional ids', async () => {
  const handler = createInitProducerIdHandler({ producerIds: new ProducerIdManager(await FileProducerIdBlockStore.open(await tempDir())), logger: silentLogger });
  const ask = (body: object) => answer<InitProducerIdResponse>(handler, 4, { transactionalId: null, transactionTimeoutMs: 60_000, producerId: -1, producerEpoch: -1, ...body });
  assert.deepEqual(await ask({ producerId: 5 }), { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, producerId: -1, producerEpoch: -1 });
  assert.equal((await ask({ producerEpoch: 2 })).errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal((await ask({ transactionalId: '' })).errorCode, ErrorCode.INVALID_REQUEST);
  assert.equal((await ask({ transactionalId: 'tx-1' })).errorCode, ErrorCode.COORDINATOR_NOT_AVAILABLE);
});

test('InitProducerId: a failing block source is COORDINATOR_LOAD_IN_PROGRESS', async () => {
  const producerIds = new ProducerIdManager({ allocateBlock: () => Promise.reject(new Error('disk full')) });
  const handler = createInitProducerIdHandler({ producerIds, logger: silentLogger });
  const res = await answer<InitProducerIdResponse>(handler, 1, { transactionalId: null, transactionTimeoutMs: 60_000 });
  assert.equal(res.errorCode, ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
});
