/**
 * Reads a broker's /metrics into a map from `name{labels}` (exactly as printed) to value.
 */
import assert from 'node:assert/strict';

export async function scrape(httpUrl: string | null): Promise<Map<string, number>> {
  assert.ok(httpUrl !== null, 'the broker has no admin HTTP listener');
  const res = await fetch(`${httpUrl}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.lastIndexOf(' ');
    samples.set(line.slice(0, cut), Number(line.slice(cut + 1)));
  }
  return samples;
}
