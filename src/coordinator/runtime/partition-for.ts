/**
 * Which partition of an internal topic owns a key (a group id, a transactional id):
 * Kafka's `Utils.abs(key.hashCode()) % partitionCount`, with Java's String.hashCode
 * (s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in 32-bit wrapping arithmetic)
 * and Kafka's Utils.abs (`n & 0x7fffffff`, so Integer.MIN_VALUE maps to 0, not to itself).
 * It must match Kafka bit for bit: tools that read __consumer_offsets (Burrow) and
 * clients that compute the coordinator themselves rely on the same placement.
 */

/** Java's String.hashCode. */
export function javaStringHashCode(s: string): number {
  let hash = 0;
  for (let i = 0; i < s.length; i++) hash = (Math.imul(hash, 31) + s.charCodeAt(i)) | 0;
  return hash;
}

/** Kafka's org.apache.kafka.common.utils.Utils.abs. */
export function kafkaAbs(n: number): number {
  return n & 0x7fffffff;
}

export function partitionFor(key: string, partitionCount: number): number {
  return kafkaAbs(javaStringHashCode(key)) % partitionCount;
}
