/**
 * How `gregor consume` prints records: kafka-console-consumer's field order, prefixes,
 * header layout and `null` for absent bytes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatRecord } from '../../src/cli/commands/record-format.ts';
import type { RecordFormat } from '../../src/cli/commands/record-format.ts';
import { lineToRecord } from '../../src/cli/commands/produce.ts';

const record = {
  partition: 3,
  offset: 42,
  timestamp: 1_700_000_000_000,
  timestampType: 'CreateTime' as const,
  key: Buffer.from('k'),
  value: Buffer.from('v'),
  headers: [{ key: 'a', value: Buffer.from('1') }, { key: 'b', value: null }],
};

const nothing: RecordFormat = { printTimestamp: false, printKey: false, printHeaders: false, printOffset: false, printPartition: false, keySeparator: '\t' };

describe('formatRecord', () => {
  it('prints only the value by default', () => {
    assert.equal(formatRecord(record, nothing), 'v');
  });

  it('prints timestamp, partition, offset, headers, key and value in that order', () => {
    const all = { printTimestamp: true, printKey: true, printHeaders: true, printOffset: true, printPartition: true, keySeparator: ' | ' };
    assert.equal(formatRecord(record, all), 'CreateTime:1700000000000 | Partition:3 | Offset:42 | a:1,b:null | k | v');
    assert.equal(formatRecord({ ...record, timestampType: 'LogAppendTime' }, { ...nothing, printTimestamp: true }),
      'LogAppendTime:1700000000000\tv');
  });

  it('prints null for absent key and value and NO_HEADERS for none', () => {
    const empty = { ...record, key: null, value: null, headers: [] };
    assert.equal(formatRecord(empty, { ...nothing, printKey: true, printHeaders: true }), 'NO_HEADERS\tnull\tnull');
  });
});

describe('lineToRecord', () => {
  it('splits at the first separator only', () => {
    assert.deepEqual(lineToRecord('k::v::w', '::', []), { key: 'k', value: 'v::w', headers: [] });
  });

  it('gives a null key without a separator in the line or on the command line', () => {
    assert.deepEqual(lineToRecord('plain', '::', []), { key: null, value: 'plain', headers: [] });
    assert.deepEqual(lineToRecord('a::b', undefined, []), { key: null, value: 'a::b', headers: [] });
  });

  it('keeps an empty key and an empty value', () => {
    assert.deepEqual(lineToRecord('::', '::', []), { key: '', value: '', headers: [] });
  });
});
