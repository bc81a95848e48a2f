// A connection starts a client's next Produce once the one in flight says its appends are
// written (RequestScope.appendsWritten), and still answers in request order; any other
// request waits for everything before it. Steered through a stand-in Produce handler:
// the request's timeoutMs is its id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { decodeProduceResponse, encodeProduceRequest } from '../../src/protocol/generated/produce.ts';
import type { ProduceRequest, ProduceResponse } from '../../src/protocol/generated/produce.ts';
import { requestScope } from '../../src/replication/request-scope.ts';
import type { ApiHandler, HandlerResult } from '../../src/server/api-handler.ts';
import { deferred, RawClient, readHeartbeat, readResponseHeader, sendHeartbeat, startTestBroker } from './helpers.ts';
import type { Deferred, TestBroker } from './helpers.ts';

const PRODUCE_VERSION = 7;

/** Produce stand-in: says "written" for ids in `writes` once that deferred resolves, answers once `holds` lets it. */
class SteeredProduce implements ApiHandler<ProduceRequest, ProduceResponse> {
  readonly apiKey = ApiKey.Produce;
  readonly minVersion = 0;
  readonly maxVersion = 11;
  readonly started: number[] = [];
  readonly writes = new Map<number, Deferred<void>>();
  readonly holds = new Map<number, Deferred<void>>();

  async handle(request: ProduceRequest): Promise<HandlerResult<ProduceResponse>> {
    const id = request.timeoutMs;
    this.started.push(id);
    const scope = requestScope.getStore();
    const written = this.writes.get(id);
    if (written !== undefined) {
      await written.promise;
      scope?.appendsWritten?.();
    }
    await this.holds.get(id)?.promise;
    return { responses: [], throttleTimeMs: id, nodeEndpoints: [] };
  }

  steer(id: number, opts: { written: boolean }): { written: Deferred<void>; release: Deferred<void> } {
    const written = deferred();
    const release = deferred();
    if (opts.written) this.writes.set(id, written);
    this.holds.set(id, release);
    return { written, release };
  }
}

async function withProduceBroker(run: (b: TestBroker, produce: SteeredProduce, client: RawClient) => Promise<void>): Promise<void> {
  const broker = await startTestBroker();
  const produce = new SteeredProduce();
  broker.registry.register(produce);
  const client = await RawClient.connect(broker.listener.port);
  try {
    await run(broker, produce, client);
  } finally {
    client.end();
    await broker.listener.close();
  }
}

function sendProduce(client: RawClient, correlationId: number, id: number): void {
  client.send(ApiKey.Produce, PRODUCE_VERSION, correlationId, (w) => encodeProduceRequest(w, PRODUCE_VERSION, { transactionalId: null, acks: -1, timeoutMs: id, topicData: [] }));
}

async function readProduce(client: RawClient): Promise<{ correlationId: number; id: number }> {
  const { correlationId, body } = readResponseHeader(await client.nextFrame(), false);
  return { correlationId, id: decodeProduceResponse(body, PRODUCE_VERSION).throttleTimeMs };
}

/** Lets the event loop run until `cond` holds (the broker is in this process). */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((resolve) => setImmediate(resolve));
}

test('a Produce waiting only for durability lets the next Produce start; responses stay in order', { timeout: 10_000 }, async () => {
  await withProduceBroker(async (_b, produce, client) => {
    const first = produce.steer(1, { written: true });
    const second = produce.steer(2, { written: true });
    const third = produce.steer(3, { written: false });
    sendProduce(client, 101, 1);
    sendProduce(client, 102, 2);
    sendProduce(client, 103, 3);
    await until(() => produce.started.length >= 1);
    first.written.resolve();
    await until(() => produce.started.length >= 2);
    second.written.resolve();
    await until(() => produce.started.length >= 3);
    // The last one answers first; nothing may go out before the first's response.
    third.release.resolve();
    second.release.resolve();
    first.release.resolve();
    assert.deepEqual(await readProduce(client), { correlationId: 101, id: 1 });
    assert.deepEqual(await readProduce(client), { correlationId: 102, id: 2 });
    assert.deepEqual(await readProduce(client), { correlationId: 103, id: 3 });
  });
});

test('a Produce whose appends are not written yet holds the next Produce back', { timeout: 10_000 }, async () => {
  await withProduceBroker(async (_b, produce, client) => {
    const first = produce.steer(1, { written: false });
    produce.steer(2, { written: false }).release.resolve();
    sendProduce(client, 201, 1);
    sendProduce(client, 202, 2);
    await until(() => produce.started.length >= 1);
    // Let the socket data and any wrongly started request run.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const startedMeanwhile = [...produce.started];
    first.release.resolve();
    assert.deepEqual(startedMeanwhile, [1]);
    assert.deepEqual(await readProduce(client), { correlationId: 201, id: 1 });
    assert.deepEqual(await readProduce(client), { correlationId: 202, id: 2 });
  });
});

test('a request of another API waits until every Produce before it is answered', { timeout: 10_000 }, async () => {
  await withProduceBroker(async ({ heartbeat }, produce, client) => {
    const first = produce.steer(1, { written: true });
    sendProduce(client, 301, 1);
    sendHeartbeat(client, 1, 302, 7);
    await until(() => produce.started.length >= 1);
    first.written.resolve();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const heartbeatsMeanwhile = [...heartbeat.calls];
    first.release.resolve();
    assert.deepEqual(heartbeatsMeanwhile, [], 'the heartbeat must not start while the Produce is in flight');
    assert.deepEqual(await readProduce(client), { correlationId: 301, id: 1 });
    assert.deepEqual(await readHeartbeat(client, 1), { correlationId: 302, throttleTimeMs: 7 });
    assert.deepEqual(heartbeat.calls, [7]);
  });
});
