import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProperties } from '../../src/config/properties.ts';

test('key=value, key: value and key value separators', () => {
  const p = parseProperties('a=1\nb: 2\nc 3\nd\t=\t4\n');
  assert.deepEqual([...p], [['a', '1'], ['b', '2'], ['c', '3'], ['d', '4']]);
});

test('comments and blank lines are skipped', () => {
  const p = parseProperties('# comment\n  ! also comment\n\n   \nx=1\n');
  assert.deepEqual([...p], [['x', '1']]);
});

test('line continuation joins lines and drops leading whitespace of the next', () => {
  const p = parseProperties('listeners=PLAINTEXT://:9092,\\\n    SSL://:9093\n');
  assert.equal(p.get('listeners'), 'PLAINTEXT://:9092,SSL://:9093');
});

test('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
  const p = parseProperties('a=x\\\\\nb=y\n');
  assert.equal(p.get('a'), 'x\\');
  assert.equal(p.get('b'), 'y');
});

test('a comment line ending in a backslash does not continue', () => {
  const p = parseProperties('# note \\\nkey=v\n');
  assert.deepEqual([...p], [['key', 'v']]);
});

test('escapes in keys and values', () => {
  const p = parseProperties('my\\ key\\=x=tab\\there\\u0041\\z\n');
  assert.equal(p.get('my key=x'), 'tab\there' + 'A' + 'z');
});

test('CRLF and CR line endings; last duplicate wins; empty value', () => {
  const p = parseProperties('a=1\r\nb=2\ra=3\r\nempty=\n');
  assert.equal(p.get('a'), '3');
  assert.equal(p.get('b'), '2');
  assert.equal(p.get('empty'), '');
});

test('trailing whitespace of a value is kept', () => {
  assert.equal(parseProperties('a=1  ').get('a'), '1  ');
});

test('malformed \\u escape is rejected', () => {
  assert.throws(() => parseProperties('a=\\u12'), /Malformed/);
});
