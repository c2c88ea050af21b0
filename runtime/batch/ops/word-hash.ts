/**
 * Hash of a tuple of int32 words, computed column by column over a whole batch (one tight loop
 * per word instead of one call per row): murmur3's 32-bit block mixing per word, then its final
 * avalanche. Used by TupleKeyTable only (partitioning has its own, versioned hash in shuffle/).
 */
const SEED = 0x2f3a9c1d;

export function hashWords(words: readonly Int32Array[], width: number, length: number, out: Int32Array): void {
  out.fill(SEED, 0, length);
  for (let w = 0; w < width; w++) {
    const a = words[w]!;
    for (let i = 0; i < length; i++) {
      let k = Math.imul(a[i]!, 0xcc9e2d51);
      k = (k << 15) | (k >>> 17);
      k = Math.imul(k, 0x1b873593);
      let h = out[i]! ^ k;
      h = (h << 13) | (h >>> 19);
      out[i] = (Math.imul(h, 5) + 0xe6546b64) | 0;
    }
  }
  for (let i = 0; i < length; i++) {
    let h = out[i]! ^ width;
    h ^= h >>> 16; h = Math.imul(h, 0x85ebca6b); h ^= h >>> 13; h = Math.imul(h, 0xc2b2ae35); h ^= h >>> 16;
    out[i] = h;
  }
}
