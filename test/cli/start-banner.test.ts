/**
 * What `gregor start` prints once up: the Kafka bootstrap address and, when admin HTTP is
 * on, where the console, metrics and health endpoints are (else how to turn it on).
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { startBanner } from '../../src/cli/commands/start.ts';

it('names every endpoint', () => {
  const banner = startBanner(1, 'localhost:9092', 'http://127.0.0.1:8080');
  assert.match(banner, /Kafka bootstrap: +localhost:9092/);
  assert.match(banner, /Console: +http:\/\/127\.0\.0\.1:8080\//);
  assert.match(banner, /Metrics: +http:\/\/127\.0\.0\.1:8080\/metrics/);
  assert.match(banner, /\/health, http:\/\/127\.0\.0\.1:8080\/ready/);
});

it('says how to enable admin HTTP when it is off', () => {
  assert.match(startBanner(1, 'localhost:9092', null), /off \(.*set http\.listener=host:port\)/);
});
