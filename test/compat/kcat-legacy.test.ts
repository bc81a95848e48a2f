/**
 * Old message formats through librdkafka's legacy mode (api.version.request=false with
 * broker.version.fallback 0.9.0 -> Produce/Fetch v0-1, magic 0; 0.10.0 -> v2, magic 1):
 * legacy message sets (incl. compressed wrappers) must be up-converted on produce and read
 * back by a modern consumer, and v2 batches down-converted for a legacy consumer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;
const CASES = [
  ['0.9.0', 'none'],
  ['0.9.0', 'gzip'],
  ['0.10.0', 'snappy'],
  ['0.10.0', 'lz4'],
] as const;
const LINES = [['k1', 'v1'], ['k2', 'v2'], ['k3', 'x'.repeat(300)]];

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker({ 'num.partitions': '1' });
});

after(() => broker?.stop());

const legacyFlags = (fallback: string): string[] => ['-X', 'api.version.request=false', '-X', `broker.version.fallback=${fallback}`];

async function produce(topic: string, codec: string, extra: string[]): Promise<void> {
  await kcat(['-P', '-b', broker.bootstrap, '-t', topic, '-K', '\t', '-z', codec, ...extra], {
    input: LINES.map(([k, v]) => `${k}\t${v}\n`).join(''),
  });
}

interface Seen {
  offset: number;
  key: string;
  payload: string;
  ts?: number;
}

async function consume(topic: string, extra: string[]): Promise<Seen[]> {
  const out = await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-J', '-q', ...extra]);
  return out.toString('utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Seen);
}

const contents = (rows: Seen[]): [number, string, string][] => rows.map((r) => [r.offset, r.key, r.payload]);
const EXPECTED = LINES.map(([k, v], i): [number, string, string] => [i, k, v]);

for (const [fallback, codec] of CASES) {
  test(`broker.version.fallback=${fallback}, ${codec}: legacy produce reads back modern and legacy; v2 reads back legacy`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const legacy = legacyFlags(fallback);
    const fromLegacy = `legacy-${fallback.replaceAll('.', '')}-${codec}`;
    await produce(fromLegacy, codec, legacy);
    const modern = await consume(fromLegacy, []);
    assert.deepEqual(contents(modern), EXPECTED, 'modern consumer reads up-converted records');
    if (fallback === '0.9.0') assert.ok(modern.every((r) => r.ts === -1), 'magic 0 records carry no timestamp');
    else assert.ok(modern.every((r) => (r.ts ?? 0) > 0), 'magic 1 timestamps kept');
    assert.deepEqual(contents(await consume(fromLegacy, legacy)), EXPECTED, 'legacy consumer reads them too');

    const fromModern = `modern-${fallback.replaceAll('.', '')}-${codec}`;
    await produce(fromModern, codec, []);
    assert.deepEqual(contents(await consume(fromModern, legacy)), EXPECTED, 'legacy consumer reads down-converted v2 batches');
  });
}
