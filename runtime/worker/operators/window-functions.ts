/**
 * Window function kernels over a sorted, partitioned batch (see window-frames.ts for Layout).
 * Ranking functions walk partitions once. Frame aggregates: count/sum/avg/variance by prefix
 * sums (O(n) for any frame), min/max by a monotonic deque over the frame bounds (O(n)),
 * first/last by index; anything else (median, collect_*, count_distinct) runs the regular
 * accumulator once per row over its frame.
 */
import type { Column } from "../../batch/column.js";
import type { AggFn, Expr, RankingFn } from "../../expr/ir.js";
import { Types } from "../../expr/types.js";
import { concatColumns } from "../../batch/ops/concat.js";
import { valueComparator } from "../../batch/ops/sort-permutation.js";
import { takeColumn } from "../../batch/ops/take.js";
import { validFlagsOf } from "../../batch/ops/valid-flags.js";
import { aggResultType } from "../../expr/coercion.js";
import { asFloat64, flagsToBitmap } from "./aggregate/accumulator.js";
import { createAccumulator } from "./aggregate/factory.js";
import type { FrameRanges, Layout } from "./window-frames.js";
import { OperatorError } from "./errors.js";

function int32Column(values: Int32Array): Column {
  return { type: Types.int32, length: values.length, values, validity: undefined };
}

function literalNumber(e: Expr | undefined): number | undefined {
  return e && e.kind === "Literal" && typeof e.value === "number" ? e.value : e && e.kind === "Literal" && typeof e.value === "bigint" ? Number(e.value) : undefined;
}

export function rankingColumn(fn: RankingFn, expr: Expr & { kind: "Ranking" }, layout: Layout, args: readonly Column[]): Column {
  const { n, partOf, peer } = layout;
  switch (fn) {
    case "row_number": { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = i - partOf.start[i]! + 1; return int32Column(out); }
    case "rank": { const out = new Int32Array(n); for (let i = 0; i < n; i++) out[i] = peer.start[i]! - partOf.start[i]! + 1; return int32Column(out); }
    case "dense_rank": {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) out[i] = i === partOf.start[i] ? 1 : out[i - 1]! + (peer.start[i] === i ? 1 : 0);
      return int32Column(out);
    }
    case "percent_rank": case "cume_dist": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const size = partOf.end[i]! - partOf.start[i]!;
        out[i] = fn === "cume_dist" ? (peer.end[i]! - partOf.start[i]!) / size : size <= 1 ? 0 : (peer.start[i]! - partOf.start[i]!) / (size - 1);
      }
      return { type: Types.float64, length: n, values: out, validity: undefined };
    }
    case "ntile": {
      const k = expr.params?.["n"] ?? literalNumber(expr.args[0]);
      if (!k || k <= 0) throw new OperatorError("ntile(n) needs a positive number of buckets");
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const size = partOf.end[i]! - partOf.start[i]!, r = i - partOf.start[i]!;
        const q = Math.floor(size / k), rem = size % k;
        out[i] = r < rem * (q + 1) ? Math.floor(r / (q + 1)) + 1 : rem + Math.floor((r - rem * (q + 1)) / q) + 1;
      }
      return int32Column(out);
    }
    case "lag": case "lead": {
      const value = args[0];
      if (!value) throw new OperatorError(`${fn} needs a column`);
      const offset = expr.params?.["offset"] ?? literalNumber(expr.args[1]) ?? 1;
      const shift = fn === "lag" ? -offset : offset;
      const fallback = args[2];
      const source = fallback ? concatColumns([value, fallback], value.type) : value;
      const idx = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const j = i + shift;
        idx[i] = j >= partOf.start[i]! && j < partOf.end[i]! ? j : fallback ? n + i : -1;
      }
      return takeColumn(source, idx);
    }
  }
}

/** Aggregate `fn` of `arg` over each row's frame. */
export function frameAggregate(fn: AggFn, expr: Expr & { kind: "Agg" }, arg: Column | undefined, frame: FrameRanges, n: number): Column {
  const { lo, hi } = frame;
  const fnEff: AggFn = expr.distinct && fn === "count" ? "count_distinct" : fn;
  const argType = arg?.type ?? Types.null;
  const resultType = aggResultType(fnEff, arg ? [argType] : []);
  if (typeof resultType === "string") throw new OperatorError(resultType);
  const simple = !expr.distinct && (fn === "count" || fn === "sum" || fn === "avg" || fn === "stddev" || fn === "stddev_pop" || fn === "variance" || fn === "var_pop");
  if (simple && (arg === undefined || argType.kind !== "decimal")) {
    const valid = arg ? validFlagsOf(arg) : undefined;
    const x = arg && arg.type.kind !== "null" ? asFloat64(arg) : new Float64Array(n);
    const cnt = new Float64Array(n + 1), s1 = new Float64Array(n + 1), s2 = new Float64Array(n + 1);
    const allNull = arg?.type.kind === "null";
    for (let i = 0; i < n; i++) {
      const ok = allNull ? 0 : valid ? valid[i]! : 1;
      const v = ok ? x[i]! : 0;
      cnt[i + 1] = cnt[i]! + ok; s1[i + 1] = s1[i]! + v; s2[i + 1] = s2[i]! + v * v;
    }
    const countStar = fn === "count" && !arg;
    const out = new Float64Array(n), flags = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const a = lo[i]!, b = hi[i]!;
      const c = countStar ? b - a : cnt[b]! - cnt[a]!;
      const s = s1[b]! - s1[a]!;
      if (fn === "count") { out[i] = c; flags[i] = 1; continue; }
      if (c === 0) continue;
      if (fn === "sum") { out[i] = s; flags[i] = 1; continue; }
      if (fn === "avg") { out[i] = s / c; flags[i] = 1; continue; }
      const sample = fn === "stddev" || fn === "variance";
      const denom = sample ? c - 1 : c;
      if (denom <= 0) continue;
      const v = Math.max(0, (s2[b]! - s2[a]! - (s * s) / c) / denom);
      out[i] = fn === "stddev" || fn === "stddev_pop" ? Math.sqrt(v) : v;
      flags[i] = 1;
    }
    const validity = flagsToBitmap(flags, n);
    if (resultType.kind === "float64") return { type: resultType, length: n, values: out, validity };
    const big = new BigInt64Array(n);
    for (let i = 0; i < n; i++) big[i] = BigInt(Math.round(out[i]!));
    return { type: resultType as never, length: n, values: big, validity };
  }
  if ((fn === "min" || fn === "max") && arg) return slidingExtreme(arg, frame, n, fn === "max");
  if ((fn === "first" || fn === "last") && arg) {
    const ignoreNulls = expr.params?.["ignoreNulls"] === true;
    const valid = validFlagsOf(arg);
    const idx = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let j = -1;
      if (fn === "first") { for (let k = lo[i]!; k < hi[i]!; k++) if (!ignoreNulls || !valid || valid[k]) { j = k; break; } }
      else { for (let k = hi[i]! - 1; k >= lo[i]!; k--) if (!ignoreNulls || !valid || valid[k]) { j = k; break; } }
      idx[i] = j;
    }
    return takeColumn(arg, idx);
  }
  return perRowAccumulate(expr, arg, frame, n);
}

/** Sliding min/max with a monotonic deque; frame bounds only move forward within a partition. */
function slidingExtreme(arg: Column, frame: FrameRanges, n: number, max: boolean): Column {
  const cmp = valueComparator(arg);
  const valid = validFlagsOf(arg);
  const better = (a: number, b: number): boolean => (max ? cmp(a, b) >= 0 : cmp(a, b) <= 0);
  const deque = new Int32Array(n);
  let head = 0, tail = 0, next = 0;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const a = frame.lo[i]!, b = frame.hi[i]!;
    if (next < a) { head = tail = 0; next = a; }
    while (next < b) {
      if (!valid || valid[next]) {
        while (tail > head && better(next, deque[tail - 1]!)) tail--;
        deque[tail++] = next;
      }
      next++;
    }
    while (tail > head && deque[head]! < a) head++;
    idx[i] = tail > head ? deque[head]! : -1;
  }
  return takeColumn(arg, idx);
}

/**
 * Generic path: each distinct frame is fed to its own accumulator group (O(total frame size)).
 * Consecutive rows with the same frame (whole-partition frames, peers) share one group, so a
 * median over a whole partition costs O(n), not O(n^2).
 */
function perRowAccumulate(expr: Expr & { kind: "Agg" }, arg: Column | undefined, frame: FrameRanges, n: number): Column {
  const call = { fn: expr.fn, args: expr.args, distinct: expr.distinct, name: "window", ...(expr.params ? { params: expr.params } : {}) };
  const acc = createAccumulator(call, arg ? [arg.type] : []);
  const frameOf = new Int32Array(n);
  let frames = 0;
  for (let i = 0; i < n; i++) {
    if (i === 0 || frame.lo[i] !== frame.lo[i - 1] || frame.hi[i] !== frame.hi[i - 1]) frames++;
    frameOf[i] = frames - 1;
  }
  const CHUNK = 1 << 16;
  const rows = new Int32Array(CHUNK), gids = new Int32Array(CHUNK);
  let m = 0;
  const flush = (): void => {
    if (m === 0) return;
    const args = arg ? [takeColumn(arg, rows, m)] : [];
    acc.update(gids.subarray(0, m), args, m, frames);
    m = 0;
  };
  for (let i = 0; i < n; i++) {
    if (i > 0 && frameOf[i] === frameOf[i - 1]) continue;
    for (let k = frame.lo[i]!; k < frame.hi[i]!; k++) {
      if (m === CHUNK) flush();
      rows[m] = k; gids[m++] = frameOf[i]!;
    }
  }
  flush();
  return takeColumn(acc.finish(frames), frameOf);
}
