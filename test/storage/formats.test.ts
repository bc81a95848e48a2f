import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CheckpointError, formatCheckpoint, parseCheckpoint } from '../../src/storage/checkpoint-file.ts';
import { offsetFileStem, parseOffsetFileName } from '../../src/storage/file-names.ts';
import { classifyLogDirEntry, deletedDirName } from '../../src/storage/partition-dir-name.ts';
import { OffsetIndex } from '../../src/storage/offset-index.ts';
import { TimeIndex } from '../../src/storage/time-index.ts';
import { readPartitionMetadata, writePartitionMetadata } from '../../src/storage/partition-metadata.ts';
import { tempDir } from './helpers.ts';

test('checkpoint text round-trips and malformed files are rejected', () => {
  const text = formatCheckpoint(0, ['a 0 5', 'b 1 7']);
  assert.equal(text, '0\n2\na 0 5\nb 1 7\n');
  assert.deepEqual(parseCheckpoint(text, 0, 3, 'f'), [['a', '0', '5'], ['b', '1', '7']]);
  assert.throws(() => parseCheckpoint('1\n0\n', 0, 3, 'f'), CheckpointError);
  assert.throws(() => parseCheckpoint('0\n2\na 0 5\n', 0, 3, 'f'), CheckpointError);
  assert.throws(() => parseCheckpoint('0\n1\na 0\n', 0, 3, 'f'), CheckpointError);
});

test('segment file names are 20-digit base offsets', () => {
  assert.equal(offsetFileStem(42), '00000000000000000042');
  assert.equal(parseOffsetFileName('00000000000000000042.log', '.log'), 42);
  assert.equal(parseOffsetFileName('42.log', '.log'), null);
  assert.equal(parseOffsetFileName('00000000000000000042.index', '.log'), null);
});

test('log dir entries are classified by name', () => {
  assert.deepEqual(classifyLogDirEntry('my-topic-12'), { kind: 'partition', topic: 'my-topic', partition: 12 });
  assert.deepEqual(classifyLogDirEntry('__consumer_offsets-3'), { kind: 'partition', topic: '__consumer_offsets', partition: 3 });
  assert.deepEqual(classifyLogDirEntry('__cluster_metadata-0'), { kind: 'other' });
  assert.deepEqual(classifyLogDirEntry(deletedDirName('t', 0, 'abc')), { kind: 'deleted' });
  assert.deepEqual(classifyLogDirEntry('t-0.abc-future'), { kind: 'other' });
  assert.deepEqual(classifyLogDirEntry('lost+found'), { kind: 'other' });
});

test('offset index lookup returns the greatest entry at or below the target', () => {
  const index = new OffsetIndex(100, 8 * 10);
  index.append(105, 400);
  index.append(120, 900);
  assert.deepEqual(index.lookup(99), { offset: 100, position: 0 });
  assert.deepEqual(index.lookup(104), { offset: 100, position: 0 });
  assert.deepEqual(index.lookup(105), { offset: 105, position: 400 });
  assert.deepEqual(index.lookup(500), { offset: 120, position: 900 });
  assert.ok(index.isConsistent(1000));
  assert.ok(!index.isConsistent(900));
});

test('time index only grows and looks up the greatest timestamp at or below the target', () => {
  const index = new TimeIndex(0, 12 * 10);
  assert.notEqual(index.maybeAppend(1000, 5), null);
  assert.equal(index.maybeAppend(1000, 9), null);
  assert.notEqual(index.maybeAppend(2000, 9), null);
  assert.deepEqual(index.lookup(999), { timestamp: -1, offset: 0 });
  assert.deepEqual(index.lookup(1500), { timestamp: 1000, offset: 5 });
  assert.deepEqual(index.lastEntry(), { timestamp: 2000, offset: 9 });
});

test('partition.metadata uses Kafka\'s text format', async () => {
  const dir = await tempDir();
  assert.equal(await readPartitionMetadata(dir), null);
  await writePartitionMetadata(dir, 'MTIzNDU2Nzg5MDEyMzQ1Ng');
  assert.equal(await readPartitionMetadata(dir), 'MTIzNDU2Nzg5MDEyMzQ1Ng');
});
