/**
 * 128-bit key hash of the cleaner's offset map: MurmurHash3 x86_128 (seed 0), in plain JS.
 * Kafka's map hashes keys with MD5 for the same purpose (a bounded map whose collisions
 * are negligible); a native MD5 call costs several times more than this for the short keys
 * topics carry. Not a cryptographic hash: keys crafted to collide could make the cleaner drop
 * another key's latest record, as crafted MD5 collisions could in Kafka.
 */
const C1 = 0x239b961b;
const C2 = 0xab0e9789;
const C3 = 0x38b34ae5;
const C4 = 0xa1e38b93;

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const mixK1 = (k: number): number => Math.imul(rotl(Math.imul(k, C1), 15), C2);
const mixK2 = (k: number): number => Math.imul(rotl(Math.imul(k, C2), 16), C3);
const mixK3 = (k: number): number => Math.imul(rotl(Math.imul(k, C3), 17), C4);
const mixK4 = (k: number): number => Math.imul(rotl(Math.imul(k, C4), 18), C1);

/** Writes the 4 x int32 hash of `key` into `out`. Never all zeros (zero marks a free slot). */
export function hashKey(key: Uint8Array, out: Int32Array): void {
  const n = key.length;
  const blocks = n & ~15;
  const view = new DataView(key.buffer, key.byteOffset, n);
  let h1 = 0;
  let h2 = 0;
  let h3 = 0;
  let h4 = 0;
  for (let i = 0; i < blocks; i += 16) {
    h1 ^= mixK1(view.getInt32(i, true));
    h1 = (Math.imul(rotl(h1, 19) + h2, 5) + 0x561ccd1b) | 0;
    h2 ^= mixK2(view.getInt32(i + 4, true));
    h2 = (Math.imul(rotl(h2, 17) + h3, 5) + 0x0bcaa747) | 0;
    h3 ^= mixK3(view.getInt32(i + 8, true));
    h3 = (Math.imul(rotl(h3, 15) + h4, 5) + 0x96cd1c35) | 0;
    h4 ^= mixK4(view.getInt32(i + 12, true));
    h4 = (Math.imul(rotl(h4, 13) + h1, 5) + 0x32ac3b17) | 0;
  }
  const tail = [0, 0, 0, 0];
  for (let i = blocks; i < n; i++) tail[(i - blocks) >> 2] ^= key[i] << (((i - blocks) & 3) * 8);
  if (n > blocks) {
    h1 ^= mixK1(tail[0]);
    h2 ^= mixK2(tail[1]);
    h3 ^= mixK3(tail[2]);
    h4 ^= mixK4(tail[3]);
  }
  h1 ^= n;
  h2 ^= n;
  h3 ^= n;
  h4 ^= n;
  h1 = (h1 + h2 + h3 + h4) | 0;
  h2 = (h2 + h1) | 0;
  h3 = (h3 + h1) | 0;
  h4 = (h4 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h3 = fmix(h3);
  h4 = fmix(h4);
  h1 = (h1 + h2 + h3 + h4) | 0;
  out[0] = h1;
  out[1] = (h2 + h1) | 0;
  out[2] = (h3 + h1) | 0;
  out[3] = (h4 + h1) | 0;
  if (out[0] === 0 && out[1] === 0 && out[2] === 0 && out[3] === 0) out[0] = 1;
}
