import { test } from 'node:test';
import assert from 'node:assert/strict';
import { silentLogger } from '../../src/logger.ts';
import { ApiKey } from '../../src/protocol/generated/api-table.ts';
import { encodeSaslAuthenticateRequest } from '../../src/protocol/generated/sasl-authenticate.ts';
import type { SaslAuthenticateRequest, SaslAuthenticateResponse } from '../../src/protocol/generated/sasl-authenticate.ts';
import { NO_RESPONSE } from '../../src/server/api-handler.ts';
import type { ApiHandler, HandlerResult } from '../../src/server/api-handler.ts';
import { dispatchFrame } from '../../src/server/dispatcher.ts';
import { ApiRegistry } from '../../src/server/registry.ts';
import { ServerStats } from '../../src/server/stats.ts';
import { requestFrame } from './helpers.ts';

const conn = { connectionId: 'c-1', clientHost: '127.0.0.1', listenerName: 'PLAINTEXT' };

function setup(answer: (request: SaslAuthenticateRequest) => HandlerResult<SaslAuthenticateResponse>) {
  const handler: ApiHandler<SaslAuthenticateRequest, SaslAuthenticateResponse> = {
    apiKey: ApiKey.SaslAuthenticate, minVersion: 0, maxVersion: 2, handle: answer,
  };
  const deps = { registry: new ApiRegistry().register(handler), stats: new ServerStats(), logger: silentLogger };
  const frame = requestFrame(ApiKey.SaslAuthenticate, 1, 5, (w) => encodeSaslAuthenticateRequest(w, 1, { authBytes: Buffer.from('x') }))
    .subarray(4);
  return { deps, frame };
}

test('large response buffers are passed to the socket by reference, with a correct size prefix', async () => {
  const payload = Buffer.alloc(64 * 1024, 7);
  const { deps, frame } = setup(() => ({ errorCode: 0, errorMessage: null, authBytes: payload, sessionLifetimeMs: 0 }));
  const result = await dispatchFrame(frame, conn, deps);
  assert.equal(result.kind, 'response');
  assert.ok(result.kind === 'response');
  assert.ok(result.chunks.includes(payload), 'payload chunk not copied');
  const total = result.chunks.reduce((n, c) => n + c.length, 0);
  assert.equal(result.chunks[0].readInt32BE(0), total - 4);
  assert.equal(deps.stats.requestsByApiKey.get(ApiKey.SaslAuthenticate), 1);
});

test('NO_RESPONSE yields no frame; a thrown error or a non-object closes', async () => {
  const silent = setup(() => NO_RESPONSE);
  assert.deepEqual(await dispatchFrame(silent.frame, conn, silent.deps), { kind: 'no-response', correlationId: 5 });
  const throwing = setup(() => {
    throw new Error('boom');
  });
  const thrown = await dispatchFrame(throwing.frame, conn, throwing.deps);
  assert.equal(thrown.kind, 'close');
  assert.match(thrown.kind === 'close' ? thrown.reason : '', /boom/);
  const bogus = setup(() => undefined as unknown as SaslAuthenticateResponse);
  assert.equal((await dispatchFrame(bogus.frame, conn, bogus.deps)).kind, 'close');
});
