/** count, sum (exact for integers), avg, and the variance family (Welford, merged with Chan's formula). */
import type { Column, Validity } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import type { Float64Column } from "../../../batch/ops/column-types.js";
import { asFloat64, ensure, flagsToBitmap, validFlags, type Accumulator } from "./accumulator.js";

const TWO32 = 4294967296;
const LIMIT = 4503599627370496; // 2^52: move carries from lo to hi before float64 loses integers

function int64Column(values: Float64Array, n: number, type: DataType = Types.int64, flags?: Uint8Array): Column {
  // Counts are exact non-negative integers below 2^53: write the two 32-bit words, no BigInt.
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!, h = Math.floor(v / TWO32);
    words[2 * i] = v - h * TWO32;
    words[2 * i + 1] = h;
  }
  return { type, length: n, values: out, validity: flags ? flagsToBitmap(flags, n) : undefined } as Column;
}

export class CountAccumulator implements Accumulator {
  readonly stateTypes = [Types.int64];
  private counts = new Float64Array(16);
  constructor(private readonly star: boolean) {}

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const c = (this.counts = ensure(this.counts, numGroups));
    if (this.star || args.length === 0) { for (let i = 0; i < length; i++) c[gids[i]!]!++; return; }
    const flags = validFlags(args[0]!);
    for (let a = 1; a < args.length; a++) { const f = validFlags(args[a]!); for (let i = 0; i < length; i++) flags[i]! &= f[i]!; }
    for (let i = 0; i < length; i++) c[gids[i]!]! += flags[i]!;
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const c = (this.counts = ensure(this.counts, numGroups));
    const v = asFloat64(states[0]!);
    for (let i = 0; i < length; i++) c[gids[i]!]! += v[i]!;
  }
  state(n: number): Column[] { return [this.finish(n)]; }
  finish(n: number): Column { this.counts = ensure(this.counts, n); return int64Column(this.counts, n); }
  memoryBytes(): number { return this.counts.byteLength; }
}

/** sum over float64: plain float sum; null when a group saw no value. */
export class FloatSumAccumulator implements Accumulator {
  readonly stateTypes = [Types.float64];
  private sums = new Float64Array(16);
  private seen = new Uint8Array(16);
  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), seen = (this.seen = ensure(this.seen, numGroups));
    const a = args[0]!;
    if (a.type.kind === "float64" && (a as Float64Column).validity === undefined) { sumFloatNoNulls(gids, (a as Float64Column).values, length, s, seen); return; }
    const v = asFloat64(a), f = validFlags(a);
    for (let i = 0; i < length; i++) if (f[i]) { const g = gids[i]!; s[g]! += v[i]!; seen[g] = 1; }
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void { this.update(gids, states, length, numGroups); }
  state(n: number): Column[] { return [this.finish(n)]; }
  finish(n: number): Column {
    this.sums = ensure(this.sums, n); this.seen = ensure(this.seen, n);
    return { type: Types.float64, length: n, values: this.sums.slice(0, n), validity: flagsToBitmap(this.seen, n) } as Column;
  }
  memoryBytes(): number { return this.sums.byteLength + this.seen.byteLength; }
}

/** The db-benchmark hot loop: int32 values without nulls into exact hi/lo sums. */
function sumInt32NoNulls(gids: Int32Array, v: Int32Array, length: number, lo: Float64Array, hi: Float64Array, seen: Uint8Array): void {
  for (let i = 0; i < length; i++) {
    const g = gids[i]!;
    let l = lo[g]! + v[i]!;
    if (l > LIMIT || l < -LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
    lo[g] = l;
    seen[g] = 1;
  }
}

function sumFloatNoNulls(gids: Int32Array, v: Float64Array, length: number, sums: Float64Array, seen: Uint8Array): void {
  for (let i = 0; i < length; i++) { const g = gids[i]!; sums[g]! += v[i]!; seen[g] = 1; }
}

function sumCountFloatNoNulls(gids: Int32Array, v: Float64Array, length: number, sums: Float64Array, counts: Float64Array): void {
  for (let i = 0; i < length; i++) { const g = gids[i]!; sums[g]! += v[i]!; counts[g]!++; }
}

/** Exact integer sum (int32, int64, decimal unscaled): total = hi * 2^32 + lo, both float64 integers. */
export class IntSumAccumulator implements Accumulator {
  readonly stateTypes: DataType[];
  private lo = new Float64Array(16);
  private hi = new Float64Array(16);
  private seen = new Uint8Array(16);
  constructor(private readonly resultType: DataType) { this.stateTypes = [resultType]; }

  private grow(n: number): void { this.lo = ensure(this.lo, n); this.hi = ensure(this.hi, n); this.seen = ensure(this.seen, n); }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const col = args[0]!;
    if (col.type.kind === "null") return;
    const lo = this.lo, hi = this.hi, seen = this.seen;
    if (col.type.kind === "int32" && (col as { validity: Validity }).validity === undefined) {
      sumInt32NoNulls(gids, (col as { values: Int32Array }).values, length, lo, hi, seen);
      return;
    }
    const f = validFlags(col);
    if (col.type.kind === "int32" || col.type.kind === "date" || col.type.kind === "bool") {
      const v = (col as { values: Int32Array | Uint8Array }).values;
      for (let i = 0; i < length; i++) {
        if (!f[i]) continue;
        const g = gids[i]!;
        let l = lo[g]! + v[i]!;
        if (l > LIMIT || l < -LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
        lo[g] = l; seen[g] = 1;
      }
      return;
    }
    const big = (col as { values: BigInt64Array }).values;
    const w = new Int32Array(big.buffer, big.byteOffset, length * 2);
    for (let i = 0; i < length; i++) {
      if (!f[i]) continue;
      const g = gids[i]!;
      let l = lo[g]! + (w[2 * i]! >>> 0);
      hi[g]! += w[2 * i + 1]!;
      if (l > LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
      lo[g] = l; seen[g] = 1;
    }
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void { this.update(gids, states, length, numGroups); }
  state(n: number): Column[] { return [this.finish(n)]; }
  finish(n: number): Column {
    this.grow(n);
    const out = new BigInt64Array(n);
    const words = new Int32Array(out.buffer);
    const hi = this.hi, lo = this.lo, seen = this.seen;
    for (let g = 0; g < n; g++) {
      if (!seen[g]) continue;
      const t = hi[g]! * TWO32 + lo[g]!;
      if (t <= Number.MAX_SAFE_INTEGER && t >= -Number.MAX_SAFE_INTEGER) {
        // Exact in a double: write the two 32-bit words directly (no BigInt per group).
        const h = Math.floor(t / TWO32);
        words[2 * g] = t - h * TWO32;
        words[2 * g + 1] = h;
      } else {
        out[g] = BigInt.asIntN(64, BigInt(hi[g]!) * 4294967296n + BigInt(lo[g]!));
      }
    }
    return { type: this.resultType, length: n, values: out, validity: flagsToBitmap(this.seen, n) } as Column;
  }
  memoryBytes(): number { return this.lo.byteLength * 2 + this.seen.byteLength; }
}

export class AvgAccumulator implements Accumulator {
  readonly stateTypes = [Types.float64, Types.int64];
  private sums = new Float64Array(16);
  private counts = new Float64Array(16);
  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    const a = args[0]!;
    if (a.type.kind === "float64" && (a as Float64Column).validity === undefined) { sumCountFloatNoNulls(gids, (a as Float64Column).values, length, s, c); return; }
    const v = asFloat64(a), f = validFlags(a);
    for (let i = 0; i < length; i++) if (f[i]) { const g = gids[i]!; s[g]! += v[i]!; c[g]!++; }
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    const sv = asFloat64(states[0]!), cv = asFloat64(states[1]!), f = validFlags(states[0]!);
    for (let i = 0; i < length; i++) if (f[i]) { const g = gids[i]!; s[g]! += sv[i]!; c[g]! += cv[i]!; }
  }
  state(n: number): Column[] {
    this.sums = ensure(this.sums, n); this.counts = ensure(this.counts, n);
    return [{ type: Types.float64, length: n, values: this.sums.slice(0, n), validity: undefined }, int64Column(this.counts, n)];
  }
  finish(n: number): Column {
    this.sums = ensure(this.sums, n); this.counts = ensure(this.counts, n);
    const out = new Float64Array(n), flags = new Uint8Array(n);
    for (let g = 0; g < n; g++) if (this.counts[g]! > 0) { out[g] = this.sums[g]! / this.counts[g]!; flags[g] = 1; }
    return { type: Types.float64, length: n, values: out, validity: flagsToBitmap(flags, n) };
  }
  memoryBytes(): number { return this.sums.byteLength * 2; }
}

export type VarianceKind = "stddev" | "stddev_pop" | "variance" | "var_pop";

export class VarianceAccumulator implements Accumulator {
  readonly stateTypes = [Types.float64, Types.float64, Types.float64];
  private n = new Float64Array(16);
  private mean = new Float64Array(16);
  private m2 = new Float64Array(16);
  constructor(private readonly kind: VarianceKind) {}
  private grow(k: number): void { this.n = ensure(this.n, k); this.mean = ensure(this.mean, k); this.m2 = ensure(this.m2, k); }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const cnt = this.n, mean = this.mean, m2 = this.m2;
    const v = asFloat64(args[0]!), f = validFlags(args[0]!);
    for (let i = 0; i < length; i++) {
      if (!f[i]) continue;
      const g = gids[i]!, x = v[i]!;
      const k = ++cnt[g]!;
      const d = x - mean[g]!;
      mean[g]! += d / k;
      m2[g]! += d * (x - mean[g]!);
    }
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const cnt = this.n, mean = this.mean, m2 = this.m2;
    const nb = asFloat64(states[0]!), mb = asFloat64(states[1]!), qb = asFloat64(states[2]!);
    for (let i = 0; i < length; i++) {
      const b = nb[i]!;
      if (b === 0) continue;
      const g = gids[i]!, a = cnt[g]!, total = a + b, d = mb[i]! - mean[g]!;
      mean[g]! += (d * b) / total;
      m2[g]! += qb[i]! + (d * d * a * b) / total;
      cnt[g] = total;
    }
  }
  state(k: number): Column[] {
    this.grow(k);
    return [this.n, this.mean, this.m2].map((a) => ({ type: Types.float64, length: k, values: a.slice(0, k), validity: undefined }));
  }
  finish(k: number): Column {
    this.grow(k);
    const sample = this.kind === "stddev" || this.kind === "variance";
    const root = this.kind === "stddev" || this.kind === "stddev_pop";
    const out = new Float64Array(k), flags = new Uint8Array(k);
    for (let g = 0; g < k; g++) {
      const c = this.n[g]!;
      const denom = sample ? c - 1 : c;
      if (denom <= 0) continue;
      const v = Math.max(0, this.m2[g]! / denom);
      out[g] = root ? Math.sqrt(v) : v;
      flags[g] = 1;
    }
    return { type: Types.float64, length: k, values: out, validity: flagsToBitmap(flags, k) };
  }
  memoryBytes(): number { return this.n.byteLength * 3; }
}
