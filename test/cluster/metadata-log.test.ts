import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeLine, encodeLine, MetadataLogFile } from '../../src/cluster/metadata-log.ts';
import type { MetadataRecord } from '../../src/cluster/metadata-records.ts';
import { tempDir } from './helpers.ts';

const header: MetadataRecord = { type: 'header', version: 1, clusterId: 'c1' };
const remove: MetadataRecord = { type: 'remove-topic', topicId: 'AAAAAAAAAAAAAAAAAAAAAB' };

test('line encoding round-trips and detects damage', () => {
  const line = encodeLine(header).slice(0, -1);
  assert.deepEqual(decodeLine(line), header);
  assert.equal(decodeLine(line.replace('c1', 'c2')), null);
  assert.equal(decodeLine(line.slice(0, -3)), null);
  assert.equal(decodeLine('garbage'), null);
});

test('appended records are read back', async () => {
  const path = join(await tempDir(), 'm.jsonl');
  const { log, loaded } = await MetadataLogFile.open(path);
  assert.deepEqual(loaded.records, []);
  await log.append(header);
  await log.append(remove);
  await log.close();
  const again = await MetadataLogFile.open(path);
  assert.deepEqual(again.loaded.records, [header, remove]);
  assert.equal(again.loaded.truncatedTornTail, false);
  await again.log.close();
});

test('a torn (unterminated) last line is dropped and truncated away', async () => {
  const path = join(await tempDir(), 'm.jsonl');
  await writeFile(path, encodeLine(header) + encodeLine(remove).slice(0, 20));
  const { log, loaded } = await MetadataLogFile.open(path);
  assert.deepEqual(loaded.records, [header]);
  assert.equal(loaded.truncatedTornTail, true);
  assert.equal(await readFile(path, 'utf8'), encodeLine(header));
  await log.append(remove);
  await log.close();
  assert.deepEqual((await MetadataLogFile.open(path)).loaded.records, [header, remove]);
});

test('a complete last line with a bad CRC is dropped too', async () => {
  const path = join(await tempDir(), 'm.jsonl');
  await writeFile(path, encodeLine(header) + encodeLine(remove).replace('AB"', 'AC"'));
  const { log, loaded } = await MetadataLogFile.open(path);
  assert.deepEqual(loaded.records, [header]);
  assert.equal(loaded.truncatedTornTail, true);
  await log.close();
});

test('a bad line in the middle is corruption and fails the open', async () => {
  const path = join(await tempDir(), 'm.jsonl');
  await writeFile(path, encodeLine(header));
  await appendFile(path, 'deadbeef {"type":"header"}\n');
  await appendFile(path, encodeLine(remove));
  await assert.rejects(MetadataLogFile.open(path), /record 2 is corrupt/);
});
