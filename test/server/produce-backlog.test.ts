import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeProduceRequest, type ProduceRequest, type ProduceResponse } from '../../src/protocol/generated/produce.ts';
import type { ApiHandler } from '../../src/server/api-handler.ts';
import { startListener } from '../../src/server/listener.ts';
import { processProduceBacklog, ProduceBacklog, YIELD_EVERY_BYTES, YIELD_TURNS_MAX } from '../../src/server/produce-backlog.ts';
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

/** Counts event-loop turns until stopped. */
function turnCounter(): { turns: number; stop(): void } {
  const counter = { turns: 0, running: true, stop: () => { counter.running = false; } };
  const tick = (): void => {
    if (!counter.running) return;
    counter.turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return counter;
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

test('a Fetch yields no turn when no Produce waits, and a bounded number while they keep waiting', async () => {
  const backlog = new ProduceBacklog();
  const counter = turnCounter();
  await backlog.yieldToProduce(3);
  assert.equal(counter.turns, 0, 'nothing waits: no turn');
  backlog.count(frameOf(ApiKey.Produce), 1);
  await backlog.yieldToProduce(3);
  counter.stop();
  assert.ok(counter.turns >= 2 && counter.turns <= 4, `waited about 3 turns, not forever (${counter.turns})`);
});

test('a Fetch stops yielding as soon as the waiting Produce requests are dispatched', async () => {
  const backlog = new ProduceBacklog();
  const produce = frameOf(ApiKey.Produce);
  backlog.count(produce, 1);
  setImmediate(() => backlog.count(produce, -1));
  const counter = turnCounter();
  await backlog.yieldToProduce(1000);
  counter.stop();
  assert.ok(counter.turns <= 3, `stopped after the dispatch, not after 1000 turns (${counter.turns})`);
});

test('a Fetch waits before a partition read only once per YIELD_EVERY_BYTES read', async () => {
  const backlog = new ProduceBacklog();
  backlog.count(frameOf(ApiKey.Produce), 1);
  const pacer = backlog.readPacer();
  const turnsOf = async (bytesRead: number): Promise<number> => {
    const counter = turnCounter();
    await pacer(bytesRead);
    counter.stop();
    return counter.turns;
  };
  assert.equal(await turnsOf(0), 0);
  assert.equal(await turnsOf(YIELD_EVERY_BYTES - 1), 0);
  assert.ok(await turnsOf(YIELD_EVERY_BYTES + 10) >= YIELD_TURNS_MAX - 1);
  assert.equal(await turnsOf(2 * YIELD_EVERY_BYTES), 0, 'not yet another YIELD_EVERY_BYTES since the last wait');
  assert.ok(await turnsOf(2 * YIELD_EVERY_BYTES + 10) >= YIELD_TURNS_MAX - 1);
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
