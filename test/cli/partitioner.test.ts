/**
 * Kafka's default partitioning: murmur2 must equal the Java client's Utils.murmur2 bit
 * for bit (vectors from Kafka's UtilsTest), toPositive clears the sign bit, and keyless
 * records stick to one partition until its batch closes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { murmur2, partitionForKey, toPositive } from '../../src/cli/client/murmur2.ts';
import { DefaultPartitioner } from '../../src/cli/client/partitioner.ts';
import { JAVA_MURMUR2 } from './java-murmur2-vectors.ts';

describe('murmur2', () => {
  for (const [key, expected] of Object.entries(JAVA_MURMUR2)) {
    it(`hashes '${key}' like Kafka's Java client`, () => {
      assert.equal(murmur2(Buffer.from(key)), expected);
    });
  }

  it('maps negative hashes with toPositive, not Math.abs', () => {
    assert.equal(toPositive(-1), 0x7fffffff);
    assert.equal(toPositive(-2147483648), 0);
    assert.equal(partitionForKey(Buffer.from('foobar'), 7), (-790332482 & 0x7fffffff) % 7);
  });
});

describe('DefaultPartitioner', () => {
  /** A fixed sequence of "random" numbers. */
  function sequence(...values: number[]): () => number {
    let i = 0;
    return () => values[i++ % values.length];
  }

  it('sends a keyed record to murmur2(key) % partitions', () => {
    const partitioner = new DefaultPartitioner(5);
    for (const [key, hash] of Object.entries(JAVA_MURMUR2)) {
      assert.equal(partitioner.partition(Buffer.from(key)), (hash & 0x7fffffff) % 5);
    }
  });

  it('keeps keyless records on one partition until that partition\'s batch closes', () => {
    const partitioner = new DefaultPartitioner(4, sequence(0.5, 0.5));
    assert.equal(partitioner.partition(null), 2);
    partitioner.onBatchClosed(1);
    assert.equal(partitioner.partition(null), 2, 'another partition\'s batch does not move it');
    partitioner.onBatchClosed(2);
    // 0.5 of the 3 other partitions [0, 1, 3] is index 1 -> partition 1.
    assert.equal(partitioner.partition(null), 1);
  });

  it('never moves to the same partition', () => {
    const partitioner = new DefaultPartitioner(2, sequence(0, 0, 0.99));
    assert.equal(partitioner.partition(null), 0);
    partitioner.onBatchClosed(0);
    assert.equal(partitioner.partition(null), 1);
    partitioner.onBatchClosed(1);
    assert.equal(partitioner.partition(null), 0);
  });
});
