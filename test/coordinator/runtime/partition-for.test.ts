import assert from 'node:assert/strict';
import { test } from 'node:test';
import { javaStringHashCode, kafkaAbs, partitionFor } from '../../../src/coordinator/runtime/partition-for.ts';

// Expected values printed by a JVM (String.hashCode, (h & 0x7fffffff) % 50).
const JVM: [string, number, number][] = [
  ['my-group', -1906497762, 36],
  ['console-consumer-12345', 158455506, 6],
  ['polygenelubricants', -2147483648, 0],
  ['hello', 99162322, 22],
  ['\u00e9', 233, 33],
  ['\u{1F600}grp', 1276929186, 36],
];

test('Java String.hashCode over UTF-16 code units, with 32-bit overflow', () => {
  assert.equal(javaStringHashCode(''), 0);
  for (const [s, hash] of JVM) assert.equal(javaStringHashCode(s), hash, s);
});

test('Kafka Utils.abs maps Integer.MIN_VALUE to 0; partitionFor = abs(hash) % count', () => {
  assert.equal(kafkaAbs(-2147483648), 0);
  assert.equal(kafkaAbs(-5), 2147483643);
  for (const [s, , partition] of JVM) assert.equal(partitionFor(s, 50), partition, s);
});
