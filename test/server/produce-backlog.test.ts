import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeProduceRequest, type ProduceRequest, type ProduceResponse } from '../../src/protocol/generated/produce.ts';
import type { ApiHandler } from '../../src/server/api-handler.ts';
import { startListener } from '../../src/server/listener.ts';
import { processProduceBacklog, ProduceBacklog, YIELD_EVERY_BYTES, YIELD_WAIT_MS_MAX } from '../../src/server/produce-backlog.ts';
import { ApiRegistry } from '../../src/server/registry.ts';
import { deferred, RawClient } from './helpers.ts';

function frameOf(apiKey: number): Buffer {
  const frame = Buffer.alloc(8);
  frame.writeInt16BE(apiKey, 0);
  return frame;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Waits until `cond` holds, for at most `turnsMax` event-loop turns (socket events need a few). */
async function eventually(cond: () => boolean, turnsMax = 10_000): Promise<boolean> {
  for (let i = 0; i < turnsMax && !cond(); i++) await nextTurn();
  return cond();
}

test('only Produce frames count as waiting', () => {
  const backlog = new ProduceBacklog();
  backlog.count(frameOf(ApiKey.Produce), 1);
  backlog.count(frameOf(ApiKey.Fetch), 1);
  backlog.count(frameOf(ApiKey.Produce), 1);
  assert.equal(backlog.waiting, 2);
  backlog.count(frameOf(ApiKey.Produce), -1);
  backlog.count(frameOf(ApiKey.Fetch), -1);
  assert.equal(backlog.waiting, 1);
});

/**
 * Whether a wait settles within a few event-loop turns (no timer fires meanwhile under mock
 * timers); null is no wait at all.
 */
async function settlesSoon(promise: Promise<unknown> | null): Promise<boolean> {
  if (promise === null) return true;
  let settled = false;
  void promise.then(() => { settled = true; });
  return eventually(() => settled, 20);
}

test('a Fetch does not wait when no Produce waits; while one waits, it waits at most YIELD_WAIT_MS_MAX', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const backlog = new ProduceBacklog();
  assert.equal(await settlesSoon(backlog.yieldToProduce()), true, 'nothing waits');
  backlog.count(frameOf(ApiKey.Produce), 1);
  const waiting = backlog.yieldToProduce();
  assert.equal(await settlesSoon(waiting), false, 'a Produce waits: so does the Fetch');
  t.mock.timers.tick(YIELD_WAIT_MS_MAX);
  assert.equal(await settlesSoon(waiting), true, 'but not longer than the cap');
});

test('a Fetch stops waiting as soon as the waiting Produce requests are dispatched', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const backlog = new ProduceBacklog();
  const produce = frameOf(ApiKey.Produce);
  backlog.count(produce, 1);
  backlog.count(produce, 1);
  const waiting = backlog.yieldToProduce();
  backlog.count(produce, -1);
  assert.equal(await settlesSoon(waiting), false, 'one still waits');
  backlog.count(produce, -1);
  assert.equal(await settlesSoon(waiting), true, 'none waits: no need for the timer');
});

test('a Fetch waits before a partition read only once per YIELD_EVERY_BYTES read', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const backlog = new ProduceBacklog();
  backlog.count(frameOf(ApiKey.Produce), 1);
  const pacer = backlog.readPacer();
  assert.equal(await settlesSoon(pacer(0)), true);
  assert.equal(await settlesSoon(pacer(YIELD_EVERY_BYTES - 1)), true);
  const first = pacer(YIELD_EVERY_BYTES + 10);
  assert.equal(await settlesSoon(first), false);
  t.mock.timers.tick(YIELD_WAIT_MS_MAX);
  await first;
  assert.equal(await settlesSoon(pacer(2 * YIELD_EVERY_BYTES)), true, 'not yet another YIELD_EVERY_BYTES since the last wait');
  const second = pacer(2 * YIELD_EVERY_BYTES + 10);
  assert.equal(await settlesSoon(second), false);
  t.mock.timers.tick(YIELD_WAIT_MS_MAX);
  await second;
});

test('connections count their queued Produce requests until dispatched, and drop them on close', async () => {
  const registry = new ApiRegistry();
  const hold = deferred();
  const started = deferred();
  const produce: ApiHandler<ProduceRequest, ProduceResponse> = {
    apiKey: ApiKey.Produce,
    minVersion: 3,
    maxVersion: 3,
    async handle() {
      started.resolve();
      await hold.promise;
      return { responses: [], throttleTimeMs: 0, nodeEndpoints: [] };
    },
  };
  registry.register(produce);
  const listener = await startListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, registry });
  const client = await RawClient.connect(listener.port);
  const before = processProduceBacklog.waiting;
  try {
    const body = { transactionalId: null, acks: 1, timeoutMs: 1000, topicData: [] };
    for (let i = 0; i < 3; i++) client.send(ApiKey.Produce, 3, i, (w) => encodeProduceRequest(w, 3, body));
    await started.promise;
    assert.ok(await eventually(() => processProduceBacklog.waiting === before + 2), 'the first is running, two wait');
    client.socket.destroy();
    await client.closed;
    assert.ok(await eventually(() => processProduceBacklog.waiting === before), 'the closed connection dropped its two');
  } finally {
    hold.resolve();
    await listener.close();
  }
});
