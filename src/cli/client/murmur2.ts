/**
 * MurmurHash2 (32-bit) exactly as Kafka's Java client computes it (Utils.murmur2: seed
 * 0x9747b28c, little-endian 4-byte blocks, tail bytes mixed highest first), plus
 * Utils.toPositive. The default partitioner sends a keyed record to
 * toPositive(murmur2(key)) % numPartitions, so matching Java bit for bit keeps keys in
 * the same partitions whichever client produced them.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Signed 32-bit hash, as Java's int. */
export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = SEED ^ length;
  const blocksEnd = length & ~3;
  for (let i = 0; i < blocksEnd; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & 3;
  if (tail > 0) {
    if (tail === 3) h ^= data[blocksEnd + 2] << 16;
    if (tail >= 2) h ^= data[blocksEnd + 1] << 8;
    h ^= data[blocksEnd];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which fails for MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}

/** The partition Kafka's default partitioner picks for a non-null key. */
export function partitionForKey(key: Buffer, numPartitions: number): number {
  return toPositive(murmur2(key)) % numPartitions;
}
