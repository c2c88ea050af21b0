/**
 * A small seeded PRNG (splitmix32 → xoshiro128**) so generated data is reproducible run to run.
 * db-benchmark's R scripts use R's Mersenne Twister with set.seed(108); we cannot reproduce its
 * exact stream from JS, so we reproduce the distributions (uniform integer samples, runif rounded
 * to a fixed number of decimals, permutations) with the same seed number instead.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
  }

  /** An independent generator at this one's position (the copy and the original then yield the same stream). */
  clone(): Random {
    const copy = Object.create(Random.prototype) as Random;
    copy.a = this.a;
    copy.b = this.b;
    copy.c = this.c;
    copy.d = this.d;
    return copy;
  }

  /** Advances past `count` nextFloat() draws (each is two 32-bit draws), as if they were made. */
  skipFloats(count: number): this {
    for (let i = 0; i < count; i++) {
      this.nextU32();
      this.nextU32();
    }
    return this;
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number {
    return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992;
  }

  /** Uniform integer in [1, n], like R's sample(n, 1). */
  int1(n: number): number {
    return 1 + Math.floor(this.nextFloat() * n);
  }

  /** In-place Fisher-Yates shuffle, like R's sample(x). */
  shuffle<T extends Int32Array | Float64Array>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = Math.floor(this.nextFloat() * (i + 1));
      const tmp = values[i]!;
      values[i] = values[j]!;
      values[j] = tmp;
    }
    return values;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** round(runif(n, max = 100), digits) as in the R generators. */
export function roundedUniform(rng: Random, n: number, digits: number): Float64Array {
  const out = new Float64Array(n);
  const scale = 10 ** digits;
  for (let i = 0; i < n; i++) out[i] = Math.round(rng.nextFloat() * 100 * scale) / scale;
  return out;
}
