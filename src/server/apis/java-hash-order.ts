/**
 * The order in which Kafka lists the entries of its immutable metadata maps: those are
 * hash-trie maps (pcollections' HashTreePMap behind Kafka's ImmutableMap) that iterate in
 * ascending order of the keys' Java hashCode (a signed 32-bit int). Clients see that order
 * in DescribeClientQuotas (entities, their parts, quota keys), and some clients' tests
 * compare lists as they come, so Gregor answers in the same order.
 */

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1], in 32-bit arithmetic, over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let hash = 0;
  for (let i = 0; i < s.length; i++) hash = (Math.imul(31, hash) + s.charCodeAt(i)) | 0;
  return hash;
}

/** Java's Map.hashCode of a String -> String map: the sum of key.hashCode ^ value.hashCode (null -> 0). */
export function javaMapHash(entries: readonly (readonly [string, string | null])[]): number {
  let hash = 0;
  for (const [key, value] of entries) hash = (hash + (javaStringHash(key) ^ (value === null ? 0 : javaStringHash(value)))) | 0;
  return hash;
}

/** A copy of `items` sorted by ascending `hashOf` (stable for equal hashes). */
export function inJavaHashOrder<T>(items: readonly T[], hashOf: (item: T) => number): T[] {
  return items
    .map((item) => ({ item, hash: hashOf(item) }))
    .sort((a, b) => a.hash - b.hash)
    .map((e) => e.item);
}
