/**
 * The admin HTTP server before the broker is ready: /health answers, /ready is 503 with
 * the phase, /api is 503 STARTING, /metrics has the process metrics; then serve() and
 * setReady() switch it on. Also the console's static files and unknown endpoints.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminServer } from '../../src/http/admin-server.ts';
import { silentLogger } from '../../src/logger.ts';

let server: AdminServer;
let consoleDir: string;

before(async () => {
  consoleDir = await mkdtemp(join(tmpdir(), 'gregor-console-'));
  await writeFile(join(consoleDir, 'index.html'), '<!doctype html><title>console</title>');
  server = await AdminServer.start({ host: '127.0.0.1', port: 0, consoleDir, logger: silentLogger });
});
after(async () => {
  await server.close();
  await rm(consoleDir, { recursive: true, force: true });
});

const get = (path: string): Promise<Response> => fetch(`${server.url}${path}`);

it('answers health and the start-up phase before the broker is ready, then serves', async () => {
  assert.equal((await get('/health')).status, 200);
  server.setPhase('recovering logs');
  const starting = await get('/ready');
  assert.equal(starting.status, 503);
  assert.deepEqual(await starting.json(), { status: 'starting', phase: 'recovering logs' });
  const api = await get('/api/topics');
  assert.equal(api.status, 503);
  assert.equal(((await api.json()) as { error: string }).error, 'STARTING');
  assert.match(await (await get('/metrics')).text(), /nodejs_heap_size_used_bytes/);

  server.serve([{ method: 'GET', pattern: '/api/things/:id', handler: (req) => ({ json: { id: req.params.id } }) }],
    async () => ({ contentType: 'text/plain', body: 'broker_metric 1\n' }));
  server.setReady();
  assert.equal((await get('/ready')).status, 200);
  assert.deepEqual(await (await get('/api/things/a%20b')).json(), { id: 'a b' });
  assert.equal(await (await get('/metrics')).text(), 'broker_metric 1\n');
});

it('serves the console, falls back to index.html for client routes, and 404s unknown API paths', async () => {
  const page = await get('/topics/orders');
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<title>console<\/title>/);
  assert.equal((await get('/missing.js')).status, 404);
  // An encoded '../' survives URL parsing; the file resolver must not leave the root.
  const escape = await get('/..%2f..%2f..%2f..%2fetc%2fpasswd');
  assert.equal(escape.status, 404);
  assert.doesNotMatch(await escape.text(), /root:/);
  const unknown = await get('/api/nothing-here');
  assert.equal(unknown.status, 404);
  assert.equal(((await unknown.json()) as { error: string }).error, 'NOT_FOUND');
});
