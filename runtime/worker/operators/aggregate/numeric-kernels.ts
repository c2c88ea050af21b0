/**
 * The per-row loops of the numeric accumulators, one function per input array type so V8 keeps
 * each loop monomorphic (a loop that sees both Int32Array and Float64Array gets slower for both).
 * Inputs are read in place: no Float64Array copy of an int32 column, no byte-flag copy of a
 * validity bitmap (bits are tested inline, and the test is hoisted out when there are no nulls).
 */
import type { Column, Validity } from "../../../batch/column.js";
import { asFloat64 } from "./accumulator.js";

const TWO32 = 4294967296;
const LIMIT = 4503599627370496; // 2^52: move carries from lo to hi before float64 loses integers

/** A numeric column as it can be read without copying, or a float64 copy for the rare kinds. */
export type NumericInput =
  | { readonly kind: "f64"; readonly values: Float64Array; readonly validity: Validity }
  | { readonly kind: "i32"; readonly values: Int32Array; readonly validity: Validity }
  | { readonly kind: "none" };

/** Reads int32/date/float64 in place; int64/decimal/bool go through a float64 copy; null has no values. */
export function numericInput(col: Column): NumericInput {
  switch (col.type.kind) {
    case "float64": return { kind: "f64", values: (col as { values: Float64Array }).values, validity: (col as { validity: Validity }).validity };
    case "int32": case "date": return { kind: "i32", values: (col as { values: Int32Array }).values, validity: (col as { validity: Validity }).validity };
    case "null": return { kind: "none" };
    default: return { kind: "f64", values: asFloat64(col), validity: (col as { validity: Validity }).validity };
  }
}

/** sums[g] += x and counts[g] += 1 for every valid row (sum, avg). */
export function sumCountF64(gids: Int32Array, v: Float64Array, validity: Validity, n: number, sums: Float64Array, counts: Float64Array): void {
  if (validity === undefined) {
    for (let i = 0; i < n; i++) { const g = gids[i]!; sums[g]! += v[i]!; counts[g]!++; }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!; sums[g]! += v[i]!; counts[g]!++;
  }
}

export function sumCountI32(gids: Int32Array, v: Int32Array, validity: Validity, n: number, sums: Float64Array, counts: Float64Array): void {
  if (validity === undefined) {
    for (let i = 0; i < n; i++) { const g = gids[i]!; sums[g]! += v[i]!; counts[g]!++; }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!; sums[g]! += v[i]!; counts[g]!++;
  }
}

/** sums[g] += x for every row of a column without nulls; the caller adds the counts per group. */
export function sumOnlyF64(gids: Int32Array, v: Float64Array, n: number, sums: Float64Array): void {
  for (let i = 0; i < n; i++) sums[gids[i]!]! += v[i]!;
}

export function sumOnlyI32(gids: Int32Array, v: Int32Array, n: number, sums: Float64Array): void {
  for (let i = 0; i < n; i++) sums[gids[i]!]! += v[i]!;
}

/** Exact int32 sums into hi/lo float64 pairs (total = hi * 2^32 + lo). */
export function exactSumI32(gids: Int32Array, v: Int32Array, validity: Validity, n: number, lo: Float64Array, hi: Float64Array, seen: Uint8Array): void {
  if (validity === undefined) {
    for (let i = 0; i < n; i++) {
      const g = gids[i]!;
      let l = lo[g]! + v[i]!;
      if (l > LIMIT || l < -LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
      lo[g] = l; seen[g] = 1;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    if (((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!;
    let l = lo[g]! + v[i]!;
    if (l > LIMIT || l < -LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
    lo[g] = l; seen[g] = 1;
  }
}

/** Exact int64 sums (two's-complement words read in place) into hi/lo pairs. */
export function exactSumI64(gids: Int32Array, big: BigInt64Array, validity: Validity, n: number, lo: Float64Array, hi: Float64Array, seen: Uint8Array): void {
  const w = new Int32Array(big.buffer, big.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!;
    let l = lo[g]! + (w[2 * i]! >>> 0);
    hi[g]! += w[2 * i + 1]!;
    if (l > LIMIT) { const c = Math.floor(l / TWO32); hi[g]! += c; l -= c * TWO32; }
    lo[g] = l; seen[g] = 1;
  }
}

/** counts[g] += 1 for every valid row. */
export function countValid(gids: Int32Array, validity: Validity, n: number, counts: Float64Array): void {
  if (validity === undefined) { for (let i = 0; i < n; i++) counts[gids[i]!]!++; return; }
  for (let i = 0; i < n; i++) counts[gids[i]!]! += (validity[i >>> 3]! >>> (i & 7)) & 1;
}

/** target[g] += an int64 column's value (exact below 2^53: counts), read from its 32-bit words. */
export function addInt64(gids: Int32Array, big: BigInt64Array, validity: Validity, n: number, target: Float64Array): void {
  const w = new Int32Array(big.buffer, big.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    target[gids[i]!]! += w[2 * i + 1]! * TWO32 + (w[2 * i]! >>> 0);
  }
}

/** Welford's running mean and M2 per group. */
export function welfordF64(gids: Int32Array, v: Float64Array, validity: Validity, n: number, cnt: Float64Array, mean: Float64Array, m2: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!, x = v[i]!;
    const k = ++cnt[g]!;
    const d = x - mean[g]!;
    const m = mean[g]! + d / k;
    mean[g] = m;
    m2[g]! += d * (x - m);
  }
}

export function welfordI32(gids: Int32Array, v: Int32Array, validity: Validity, n: number, cnt: Float64Array, mean: Float64Array, m2: Float64Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!, x = v[i]!;
    const k = ++cnt[g]!;
    const d = x - mean[g]!;
    const m = mean[g]! + d / k;
    mean[g] = m;
    m2[g]! += d * (x - m);
  }
}

/** min/max of int32 values per group; valid[g] = 1 once the group has a value. */
export function pickI32(gids: Int32Array, v: Int32Array, validity: Validity, n: number, wantMax: boolean, out: Float64Array, valid: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!, x = v[i]!;
    if (valid[g] === 0 || (wantMax ? x > out[g]! : x < out[g]!)) { out[g] = x; valid[g] = 1; }
  }
}

/** min/max of float64 values per group; NaN is larger than every number (Spark). */
export function pickF64(gids: Int32Array, v: Float64Array, validity: Validity, n: number, wantMax: boolean, out: Float64Array, valid: Uint8Array): void {
  for (let i = 0; i < n; i++) {
    if (validity !== undefined && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0) continue;
    const g = gids[i]!, x = v[i]!;
    if (valid[g] === 0) { out[g] = x; valid[g] = 1; continue; }
    const cur = out[g]!;
    // x replaces cur when it is greater (max) or smaller (min), NaN counting as the greatest.
    const greater = x !== x ? cur === cur : x > cur;
    const smaller = cur !== cur ? x === x : x < cur;
    if (wantMax ? greater : smaller) out[g] = x;
  }
}
