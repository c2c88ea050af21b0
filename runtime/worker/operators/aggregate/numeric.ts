/** count, sum (exact for integers), avg, and the variance family (Welford, merged with Chan's formula). */
import type { Column, Validity } from "../../../batch/column.js";
import type { DataType } from "../../../expr/types.js";
import { Types } from "../../../expr/types.js";
import type { Float64Column } from "../../../batch/ops/column-types.js";
import { ensure, flagsToBitmap, validFlags, validityOf, type Accumulator } from "./accumulator.js";
import { plainNumeric, type AdditiveAccumulator } from "./fused-sums.js";
import {
  addInt64, countValid, exactSumI32, exactSumI64, numericInput, sumCountF64, sumCountI32, sumOnlyF64, sumOnlyI32, welfordF64, welfordI32,
} from "./numeric-kernels.js";

const TWO32 = 4294967296;
const LIMIT = 4503599627370496; // 2^52, as in numeric-kernels.ts

type Int64Column = Extract<Column, { values: BigInt64Array }>;

export function int64Column(values: Float64Array, n: number, type: DataType = Types.int64): Column {
  // Counts are exact non-negative integers below 2^53: write the two 32-bit words, no BigInt.
  const out = new BigInt64Array(n);
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i]!, h = Math.floor(v / TWO32);
    words[2 * i] = v - h * TWO32;
    words[2 * i + 1] = h;
  }
  return { type, length: n, values: out, validity: undefined } as Column;
}

export class CountAccumulator implements AdditiveAccumulator {
  readonly stateTypes = [Types.int64];
  private counts = new Float64Array(16);
  constructor(private readonly star: boolean) {}

  fusableInput(args: readonly Column[]): "rows" | undefined {
    if (this.star || args.length === 0) return "rows";
    return args.length === 1 && validityOf(args[0]!) === undefined ? "rows" : undefined;
  }
  addTotals(totals: Float64Array, width: number, _slot: number, countSlot: number, groups: number): void {
    const c = (this.counts = ensure(this.counts, groups));
    for (let g = 0, k = countSlot; g < groups; g++, k += width) c[g]! += totals[k]!;
  }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const c = (this.counts = ensure(this.counts, numGroups));
    if (this.star || args.length === 0) { countValid(gids, undefined, length, c); return; }
    if (args.length === 1) {
      const v = validityOf(args[0]!);
      if (v !== null) countValid(gids, v, length, c);
      return;
    }
    const flags = validFlags(args[0]!);
    for (let a = 1; a < args.length; a++) { const f = validFlags(args[a]!); for (let i = 0; i < length; i++) flags[i]! &= f[i]!; }
    for (let i = 0; i < length; i++) c[gids[i]!]! += flags[i]!;
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const c = (this.counts = ensure(this.counts, numGroups));
    addInt64(gids, (states[0] as Int64Column).values, undefined, length, c);
  }
  state(n: number): Column[] { return [this.finish(n)]; }
  finish(n: number): Column { this.counts = ensure(this.counts, n); return int64Column(this.counts, n); }
  memoryBytes(): number { return this.counts.byteLength; }
}

/** sums[g] and counts[g] over the valid rows of a numeric column (float sum, avg). */
function sumCount(gids: Int32Array, col: Column, length: number, sums: Float64Array, counts: Float64Array): void {
  const input = numericInput(col);
  if (input.kind === "f64") sumCountF64(gids, input.values, input.validity, length, sums, counts);
  else if (input.kind === "i32") sumCountI32(gids, input.values, input.validity, length, sums, counts);
}

/** Validity of the groups whose count is positive, or undefined when all are. */
function positiveToBitmap(counts: Float64Array, n: number): Validity {
  let all = true;
  for (let g = 0; g < n; g++) if (!(counts[g]! > 0)) { all = false; break; }
  if (all) return undefined;
  const out = new Uint8Array((n + 7) >>> 3);
  for (let g = 0; g < n; g++) if (counts[g]! > 0) out[g >>> 3]! |= 1 << (g & 7);
  return out;
}

/** sum over float64: plain float sum; null when a group saw no value. */
export class FloatSumAccumulator implements AdditiveAccumulator {
  readonly stateTypes = [Types.float64];
  private sums = new Float64Array(16);
  private counts = new Float64Array(16);

  fusableInput(args: readonly Column[]): Float64Array | Int32Array | undefined { return plainNumeric(args[0]!); }
  addTotals(totals: Float64Array, width: number, slot: number, countSlot: number, groups: number): void {
    const s = (this.sums = ensure(this.sums, groups)), c = (this.counts = ensure(this.counts, groups));
    for (let g = 0, k = 0; g < groups; g++, k += width) { s[g]! += totals[k + slot]!; c[g]! += totals[k + countSlot]!; }
  }
  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    sumCount(gids, args[0]!, length, s, c);
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void { this.update(gids, states, length, numGroups); }
  state(n: number): Column[] { return [this.finish(n)]; }
  finish(n: number): Column {
    this.sums = ensure(this.sums, n); this.counts = ensure(this.counts, n);
    return { type: Types.float64, length: n, values: this.sums.slice(0, n), validity: positiveToBitmap(this.counts, n) } as Column;
  }
  memoryBytes(): number { return this.sums.byteLength + this.counts.byteLength; }
}

/** Exact integer sum (int32, int64, decimal unscaled): total = hi * 2^32 + lo, both float64 integers. */
export class IntSumAccumulator implements AdditiveAccumulator {
  readonly stateTypes: DataType[];
  private lo = new Float64Array(16);
  private hi = new Float64Array(16);
  private seen = new Uint8Array(16);
  constructor(private readonly resultType: DataType) { this.stateTypes = [resultType]; }

  private grow(n: number): void { this.lo = ensure(this.lo, n); this.hi = ensure(this.hi, n); this.seen = ensure(this.seen, n); }

  /** int32 inputs only: a chunk's int32 total is an exact double (fused-sums.ts), int64 ones may not be. */
  fusableInput(args: readonly Column[]): Int32Array | undefined {
    const col = args[0]!;
    if (col.type.kind !== "int32" && col.type.kind !== "date") return undefined;
    return validityOf(col) === undefined ? (col as { values: Int32Array }).values : undefined;
  }
  addTotals(totals: Float64Array, width: number, slot: number, countSlot: number, groups: number): void {
    this.grow(groups);
    const lo = this.lo, hi = this.hi, seen = this.seen;
    for (let g = 0, k = 0; g < groups; g++, k += width) {
      if (totals[k + countSlot]! === 0) continue;
      // |lo| <= 2^52 and |total| < 2^52: the sum is an exact double; carry as exactSumI32 does.
      let l = lo[g]! + totals[k + slot]!;
      if (l > LIMIT || l < -LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
      lo[g] = l; seen[g] = 1;
    }
  }

  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const col = args[0]!;
    const validity = validityOf(col);
    if (validity === null) return;
    switch (col.type.kind) {
      case "int32": case "date":
        exactSumI32(gids, (col as { values: Int32Array }).values, validity, length, this.lo, this.hi, this.seen);
        return;
      case "bool":
        exactSumI32(gids, Int32Array.from((col as { values: Uint8Array }).values.subarray(0, length)), validity, length, this.lo, this.hi, this.seen);
        return;
      default:
        exactSumI64(gids, (col as Int64Column).values, validity, length, this.lo, this.hi, this.seen);
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

function addFloat(gids: Int32Array, v: Float64Array, validity: Validity, n: number, target: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    target[gids[i]!]! += v[i]!;
  }
}

export class AvgAccumulator implements AdditiveAccumulator {
  readonly stateTypes = [Types.float64, Types.int64];
  private sums = new Float64Array(16);
  private counts = new Float64Array(16);

  fusableInput(args: readonly Column[]): Float64Array | Int32Array | undefined { return plainNumeric(args[0]!); }
  addTotals(totals: Float64Array, width: number, slot: number, countSlot: number, groups: number): void {
    const s = (this.sums = ensure(this.sums, groups)), c = (this.counts = ensure(this.counts, groups));
    for (let g = 0, k = 0; g < groups; g++, k += width) { s[g]! += totals[k + slot]!; c[g]! += totals[k + countSlot]!; }
  }
  update(gids: Int32Array, args: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    sumCount(gids, args[0]!, length, s, c);
  }
  /**
   * update() for a batch whose rows per group were already counted (rowsPerGroup[g], shared by
   * every avg over the same ids): when the input has no nulls each row only adds to its sum, and
   * the counts grow once per group. Returns false (nothing done) when the input has nulls.
   */
  updateCounted(gids: Int32Array, args: readonly Column[], length: number, numGroups: number, rowsPerGroup: Float64Array): boolean {
    const input = numericInput(args[0]!);
    if (input.kind === "none" || input.validity !== undefined) return false;
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    if (input.kind === "f64") sumOnlyF64(gids, input.values, length, s);
    else sumOnlyI32(gids, input.values, length, s);
    for (let g = 0; g < numGroups; g++) c[g]! += rowsPerGroup[g]!;
    return true;
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    const s = (this.sums = ensure(this.sums, numGroups)), c = (this.counts = ensure(this.counts, numGroups));
    // A partial sum of a group without values is 0 with count 0, so both merge as plain sums.
    const sums = states[0] as Float64Column;
    addFloat(gids, sums.values, sums.validity, length, s);
    addInt64(gids, (states[1] as Int64Column).values, sums.validity, length, c);
  }
  state(n: number): Column[] {
    this.sums = ensure(this.sums, n); this.counts = ensure(this.counts, n);
    return [{ type: Types.float64, length: n, values: this.sums.slice(0, n), validity: undefined }, int64Column(this.counts, n)];
  }
  finish(n: number): Column {
    this.sums = ensure(this.sums, n); this.counts = ensure(this.counts, n);
    const out = new Float64Array(n);
    const c = this.counts, s = this.sums;
    for (let g = 0; g < n; g++) if (c[g]! > 0) out[g] = s[g]! / c[g]!;
    return { type: Types.float64, length: n, values: out, validity: positiveToBitmap(c, n) };
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
    const input = numericInput(args[0]!);
    if (input.kind === "f64") welfordF64(gids, input.values, input.validity, length, this.n, this.mean, this.m2);
    else if (input.kind === "i32") welfordI32(gids, input.values, input.validity, length, this.n, this.mean, this.m2);
  }
  merge(gids: Int32Array, states: readonly Column[], length: number, numGroups: number): void {
    this.grow(numGroups);
    const cnt = this.n, mean = this.mean, m2 = this.m2;
    const nb = (states[0] as Float64Column).values, mb = (states[1] as Float64Column).values, qb = (states[2] as Float64Column).values;
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
