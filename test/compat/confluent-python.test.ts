/**
 * confluent-kafka-python 1.7.0 (librdkafka 2.0.2, Debian's /usr/bin/python3) against a
 * Gregor broker. Each scenario is a script in test/compat/python/ that checks what it
 * reads back itself; this file runs them and checks their exit code and summary.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RunningBroker } from '../../src/broker.ts';
import { startCompatBroker } from './helpers/broker.ts';
import { runPython } from './helpers/processes.ts';

/** Guards against a hung broker; not a performance limit. */
const TEST_TIMEOUT_MS = 60_000;

let broker: RunningBroker;
let bootstrap: string;

before(async () => {
  broker = await startCompatBroker();
  bootstrap = broker.bootstrap;
});

after(() => broker?.stop());

test('every codec: keyed records over 4 partitions, nulls, headers, timestamps; from beginning and offset 3; offsets_for_times', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('produce_consume.py', [bootstrap]);
  assert.deepEqual(summary.codecs, ['none', 'gzip', 'snappy', 'lz4', 'zstd']);
});

test('1 MB record accepted; a record over message.max.bytes rejected with MSG_SIZE_TOO_LARGE', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('large_messages.py', [bootstrap]);
  assert.equal(summary.rejected, 'MSG_SIZE_TOO_LARGE');
});

test('AdminClient create/list/describe/delete topics; auto-creation on produce', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('admin_ops.py', [bootstrap]);
  assert.equal(summary.ok, true);
});

test('auto.offset.reset earliest/latest/error for an offset past the log end', { timeout: TEST_TIMEOUT_MS }, async () => {
  const summary = await runPython('offset_reset.py', [bootstrap]);
  assert.equal(summary.ok, true);
});
