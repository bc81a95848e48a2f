import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManualClock } from '../../src/clock.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeApiVersionsRequest } from '../../src/protocol/generated/api-versions.ts';
import { decodeSaslAuthenticateResponse, encodeSaslAuthenticateRequest } from '../../src/protocol/generated/sasl-authenticate.ts';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '../../src/protocol/generated/sasl-authenticate.ts';
import { requestScope } from '../../src/replication/request-scope.ts';
import type { ApiHandler } from '../../src/server/api-handler.ts';
import { startListener } from '../../src/server/listener.ts';
import { ApiRegistry } from '../../src/server/registry.ts';
import { deferred, RawClient, readHeartbeat, readResponseHeader, sendHeartbeat, startTestBroker, withSizePrefix } from './helpers.ts';

function sendApiVersions(client: RawClient, correlationId: number): void {
  client.send(ApiKey.ApiVersions, 0, correlationId, (w) => encodeApiVersionsRequest(w, 0, {}));
}

async function roundTrip(client: RawClient, correlationId: number): Promise<void> {
  sendApiVersions(client, correlationId);
  assert.equal(readResponseHeader(await client.nextFrame(), false).correlationId, correlationId);
}

/** A frame with a v1 request header (no body), for keys/versions our encoders refuse. */
function headerOnlyFrame(apiKey: number, apiVersion: number): Buffer {
  const header = Buffer.alloc(10);
  header.writeInt16BE(apiKey, 0);
  header.writeInt16BE(apiVersion, 2);
  header.writeInt32BE(1, 4);
  header.writeInt16BE(-1, 8); // null client id
  return withSizePrefix(header);
}

function sizePrefix(size: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
}

test('pipelined requests are handled one at a time and answered in order', async () => {
  const { listener, heartbeat } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  try {
    const release = heartbeat.hold(10);
    const firstStarted = heartbeat.whenStarted(10);
    // Mixed versions (v4 is flexible: response header v1); -1 gets no response at all.
    const plan = [[10, 1], [11, 4], [-1, 2], [12, 3], [13, 4]];
    plan.forEach(([generationId, version], i) => sendHeartbeat(client, version, 1000 + i, generationId));
    await firstStarted;
    assert.deepEqual(heartbeat.calls, [10], 'later requests wait for the one in flight');
    release.resolve();
    const answered = [];
    for (const [generationId, version] of plan.filter(([id]) => id !== -1)) {
      answered.push(await readHeartbeat(client, version));
      assert.equal(answered.at(-1)?.throttleTimeMs, generationId);
    }
    assert.deepEqual(answered.map((a) => a.correlationId), [1000, 1001, 1003, 1004]);
    assert.equal(heartbeat.maxRunning, 1);
    assert.equal(listener.stats.requestsByApiKey.get(ApiKey.Heartbeat), 5);
  } finally {
    client.end();
    await listener.close();
  }
});

for (const limit of [{ queuedMaxRequests: 2 }, { queuedMaxBytes: 1 }]) {
  test(`a full read-ahead queue (${JSON.stringify(limit)}) pauses the socket and loses nothing`, async () => {
    const { listener, heartbeat } = await startTestBroker(limit);
    const client = await RawClient.connect(listener.port);
    try {
      const release = heartbeat.hold(0);
      for (let i = 0; i < 50; i++) sendHeartbeat(client, 1, i, i);
      release.resolve();
      for (let i = 0; i < 50; i++) assert.deepEqual(await readHeartbeat(client, 1), { correlationId: i, throttleTimeMs: i });
    } finally {
      client.end();
      await listener.close();
    }
  });
}

test('an oversized frame closes only that connection', async () => {
  const { listener } = await startTestBroker({ requestBytesMax: 1000 });
  const bad = await RawClient.connect(listener.port);
  const good = await RawClient.connect(listener.port);
  try {
    bad.socket.write(sizePrefix(1001));
    assert.equal(await bad.closedWithoutResponse(), true);
    await roundTrip(good, 1);
    assert.equal(listener.stats.connectionsClosedOnError, 1);
  } finally {
    good.end();
    await listener.close();
  }
});

test('a negative frame size closes the connection', async () => {
  const { listener } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.write(sizePrefix(-1));
    assert.equal(await client.closedWithoutResponse(), true);
  } finally {
    await listener.close();
  }
});

test('unknown API key, unsupported version, truncated body or a failing handler close the connection', async () => {
  const { listener } = await startTestBroker();
  const truncatedHeartbeat = (w: { writeString(s: string): void; writeInt32(n: number): void }) => {
    w.writeString('group');
    w.writeInt32(1); // memberId missing
  };
  const cases: [string, (client: RawClient) => void][] = [
    ['unregistered API (Fetch)', (c) => c.send(ApiKey.Fetch, 4, 1, () => {})],
    ['API key not in the protocol', (c) => c.socket.write(headerOnlyFrame(999, 0))],
    ['Heartbeat version above the range', (c) => c.socket.write(headerOnlyFrame(ApiKey.Heartbeat, 5))],
    ['truncated body', (c) => c.send(ApiKey.Heartbeat, 1, 1, truncatedHeartbeat)],
    ['truncated header', (c) => c.socket.write(withSizePrefix(Buffer.from([0, 18, 0])))],
    ['handler throws', (c) => sendHeartbeat(c, 1, 1, -2)],
  ];
  try {
    for (const [name, send] of cases) {
      const client = await RawClient.connect(listener.port);
      send(client);
      assert.equal(await client.closedWithoutResponse(), true, name);
    }
    assert.equal(listener.stats.connectionsClosedOnError, cases.length);
  } finally {
    await listener.close();
  }
});

test('connections over max.connections are closed at accept', async () => {
  const { listener } = await startTestBroker({ maxConnections: 2 });
  const first = await RawClient.connect(listener.port);
  const second = await RawClient.connect(listener.port);
  try {
    await roundTrip(first, 1);
    await roundTrip(second, 2);
    const third = await RawClient.connect(listener.port);
    assert.equal(await third.closedWithoutResponse(), true);
    assert.equal(listener.stats.connectionsRejected, 1);
    first.end();
    await first.closed;
    await roundTrip(second, 3);
    // A freed slot can be taken again once the server has seen the close.
    while (listener.connectionCount > 1) await new Promise((resolve) => setImmediate(resolve));
    const fourth = await RawClient.connect(listener.port);
    await roundTrip(fourth, 4);
    fourth.end();
  } finally {
    second.end();
    await listener.close();
  }
});

test('connections over max.connections.per.ip are closed at accept', async () => {
  const { listener } = await startTestBroker({ maxConnectionsPerIp: 1 });
  const first = await RawClient.connect(listener.port);
  try {
    await roundTrip(first, 1);
    const second = await RawClient.connect(listener.port);
    assert.equal(await second.closedWithoutResponse(), true);
    assert.equal(listener.stats.connectionsRejected, 1);
  } finally {
    first.end();
    await listener.close();
  }
});

test('idle connections are closed after connections.max.idle.ms, busy ones are kept', async () => {
  const clock = new ManualClock();
  const { listener, heartbeat } = await startTestBroker({ clock, connectionsMaxIdleMs: 1000 });
  const idle = await RawClient.connect(listener.port);
  const busy = await RawClient.connect(listener.port);
  try {
    await roundTrip(idle, 1);
    const release = heartbeat.hold(7);
    const started = heartbeat.whenStarted(7);
    sendHeartbeat(busy, 1, 2, 7);
    await started;
    clock.advance(1000);
    assert.equal(listener.closeIdleConnections(), 0, 'not idle for longer than the limit yet');
    clock.advance(1);
    assert.equal(listener.closeIdleConnections(), 1);
    await idle.closed;
    release.resolve();
    assert.equal((await readHeartbeat(busy, 1)).throttleTimeMs, 7);
    assert.equal(listener.stats.connectionsClosedIdle, 1);
  } finally {
    busy.end();
    await listener.close();
  }
});

test('close() waits for the in-flight request and flushes its response', async () => {
  const { listener, heartbeat } = await startTestBroker();
  const client = await RawClient.connect(listener.port);
  const release = heartbeat.hold(42);
  const started = heartbeat.whenStarted(42);
  sendHeartbeat(client, 1, 9, 42);
  sendHeartbeat(client, 1, 10, 43); // queued behind it: dropped by the shutdown
  await started;
  let closed = false;
  const closing = listener.close().then(() => {
    closed = true;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, false, 'close waits for the handler');
  await assert.rejects(RawClient.connect(listener.port), 'no new connections while closing');
  release.resolve();
  assert.deepEqual(await readHeartbeat(client, 1), { correlationId: 9, throttleTimeMs: 42 });
  await client.closed;
  await closing;
  assert.deepEqual(heartbeat.calls, [42]);
});

test('large responses are written whole and in order (by-reference chunks, send-buffer backpressure)', async () => {
  const registry = new ApiRegistry();
  const sent: Buffer[] = [];
  // Answers each SaslAuthenticate with a fresh 1 MiB payload filled with the first request byte.
  const echo: ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
    apiKey: ApiKey.SaslAuthenticate,
    minVersion: 0,
    maxVersion: 2,
    handle(request) {
      const payload = Buffer.alloc(1 << 20, request.authBytes[0]);
      sent.push(payload);
      return { errorCode: 0, errorMessage: null, authBytes: payload, sessionLifetimeMs: 0 };
    },
  };
  registry.register(echo);
  const listener = await startListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, registry });
  const client = await RawClient.connect(listener.port);
  try {
    for (let i = 0; i < 8; i++) {
      const version = i % 3;
      client.send(ApiKey.SaslAuthenticate, version, i, (w) => encodeSaslAuthenticateRequest(w, version, { authBytes: Buffer.from([i]) }));
    }
    for (let i = 0; i < 8; i++) {
      const version = i % 3;
      const { correlationId, body } = readResponseHeader(await client.nextFrame(), version === 2);
      assert.equal(correlationId, i);
      assert.ok(decodeSaslAuthenticateResponse(body, version).authBytes.equals(sent[i]));
    }
  } finally {
    client.end();
    await listener.close();
  }
});

test('afterResponseWritten runs once the whole response is in the kernel, not before', async () => {
  const registry = new ApiRegistry();
  const payloadBytes = 64 << 20; // far more than loopback socket buffers hold
  const handled = deferred();
  const written = deferred();
  let writtenYet = false;
  const big: ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
    apiKey: ApiKey.SaslAuthenticate,
    minVersion: 0,
    maxVersion: 2,
    handle() {
      const scope = requestScope.getStore();
      assert.ok(scope !== undefined);
      scope.afterResponseWritten = () => {
        writtenYet = true;
        written.resolve();
      };
      handled.resolve();
      return { errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(payloadBytes, 7), sessionLifetimeMs: 0 };
    },
  };
  registry.register(big);
  const listener = await startListener({ name: 'PLAINTEXT', host: '127.0.0.1', port: 0, registry });
  const client = await RawClient.connect(listener.port);
  try {
    client.socket.pause(); // the client reads nothing yet
    client.send(ApiKey.SaslAuthenticate, 1, 5, (w) => encodeSaslAuthenticateRequest(w, 1, { authBytes: Buffer.from([1]) }));
    await handled.promise;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(writtenYet, false, 'most of the response is still waiting for the socket');
    client.socket.resume();
    const { correlationId, body } = readResponseHeader(await client.nextFrame(), false);
    assert.equal(correlationId, 5);
    assert.equal(decodeSaslAuthenticateResponse(body, 1).authBytes.length, payloadBytes);
    await written.promise;
  } finally {
    client.end();
    await listener.close();
  }
});
