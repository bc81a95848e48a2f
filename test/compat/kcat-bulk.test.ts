/**
 * kcat round trips of 100,000 records per codec: a generated file of keyed lines is
 * produced with `kcat -P -z <codec> -K '\t'` to an auto-created 3-partition topic and read
 * back with `kcat -C -e`; counts and a content hash of the (sorted) key/value lines must
 * match, and within each partition offsets run 0..n-1 with the producer's order kept.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { kcat } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

const RECORDS = 100_000;
const PARTITIONS = 3;
const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
const KCAT_TIMEOUT_MS = 50_000;

let broker: RunningBroker;

before(async () => {
  broker = await startCompatBroker({ 'num.partitions': String(PARTITIONS) });
});

after(() => broker?.stop());

/** "key-<i>\t<i>:<payload>" lines; payload varies in length and content per record. */
function generateLines(codec: string): string[] {
  return Array.from({ length: RECORDS }, (_, i) => `key-${i % 5000}\t${i}:${codec}:${'abcdefghij'.repeat(1 + (i % 9))}${(i * 2654435761) >>> 0}`);
}

function sortedHash(lines: string[]): string {
  const h = createHash('sha256');
  for (const l of [...lines].sort()) h.update(l).update('\n');
  return h.digest('hex');
}

for (const codec of CODECS) {
  test(`100,000 records through kcat with -z ${codec}`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const topic = `kcat-bulk-${codec}`;
    const lines = generateLines(codec);
    await kcat(['-P', '-b', broker.bootstrap, '-t', topic, '-z', codec, '-K', '\t', '-X', 'linger.ms=20'], {
      input: lines.join('\n') + '\n', timeoutMs: KCAT_TIMEOUT_MS,
    });
    const out = await kcat(['-C', '-b', broker.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p\t%o\t%k\t%s\n'], {
      timeoutMs: KCAT_TIMEOUT_MS,
    });
    const rows = out.toString('utf8').split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
    assert.equal(rows.length, RECORDS, 'record count');
    assert.equal(sortedHash(rows.map((r) => `${r[2]}\t${r[3]}`)), sortedHash(lines), 'content hash');

    const byPartition = new Map<string, string[][]>();
    for (const r of rows) {
      const list = byPartition.get(r[0]) ?? [];
      list.push(r);
      byPartition.set(r[0], list);
    }
    assert.ok(byPartition.size > 1, 'records spread over partitions');
    for (const [p, list] of byPartition) {
      const offsets = list.map((r) => Number(r[1]));
      assert.ok(offsets.every((o, i) => o === i), `partition ${p}: offsets 0..n-1 in order`);
      const seq = list.map((r) => Number(r[3].split(':')[0]));
      assert.ok(seq.every((s, i) => i === 0 || s > seq[i - 1]), `partition ${p}: producer order kept`);
    }
  });
}
