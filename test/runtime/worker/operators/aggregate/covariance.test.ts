/**
 * CovarianceAccumulator fed directly: int32 and float64 pairs, nulls on either side, empty
 * batches, many batches, and partial -> state -> merge across several "tasks", against a
 * two-pass computation on plain arrays. Also Spark's edge cases (n = 0, 1, constant side).
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../../runtime/batch/column.js";
import { Types } from "../../../../../runtime/expr/types.js";
import type { AggregateCall } from "../../../../../runtime/physical/plan.js";
import { createAccumulator, stateWidth, argTypesFromState } from "../../../../../runtime/worker/operators/aggregate/factory.js";
import type { Accumulator } from "../../../../../runtime/worker/operators/aggregate/accumulator.js";
import { numericColumn as column, type NumericKind } from "./numeric-column.js";

type Kind = NumericKind;
type Fn = "corr" | "covar_pop" | "covar_samp";
const GROUPS = 5;

function rng(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}


function call(fn: Fn): AggregateCall {
  return { fn, name: fn, args: [{ kind: "Column", name: "x" }, { kind: "Column", name: "y" }], distinct: false } as AggregateCall;
}

function read(col: Column): (number | null)[] {
  const c = col as { values: Float64Array; validity: Uint8Array | undefined };
  return Array.from({ length: col.length }, (_, i) => (c.validity && !((c.validity[i >>> 3]! >> (i & 7)) & 1) ? null : c.values[i]!));
}

interface Data { gids: number[]; xs: (number | null)[]; ys: (number | null)[] }

function makeData(n: number, kind: Kind, nullRate: number, seed: number): Data {
  const r = rng(seed);
  const d: Data = { gids: [], xs: [], ys: [] };
  for (let i = 0; i < n; i++) {
    d.gids.push(Math.floor(r() * GROUPS));
    const x = kind === "int32" ? Math.floor(r() * 200) - 100 : r() * 1e4 - 5e3;
    const y = 0.5 * x + (kind === "int32" ? Math.floor(r() * 50) : r() * 2e3); // correlated, not exactly
    d.xs.push(r() < nullRate ? null : x);
    d.ys.push(r() < nullRate ? null : kind === "int32" ? Math.round(y) : y);
  }
  return d;
}

function expected(fn: Fn, pairs: [number, number][]): number | null {
  const n = pairs.length;
  if (n === 0 || (n === 1 && fn !== "covar_pop")) return null;
  const mx = pairs.reduce((a, p) => a + p[0], 0) / n, my = pairs.reduce((a, p) => a + p[1], 0) / n;
  let c = 0, qx = 0, qy = 0;
  for (const [x, y] of pairs) { c += (x - mx) * (y - my); qx += (x - mx) ** 2; qy += (y - my) ** 2; }
  if (fn === "covar_pop") return c / n;
  if (fn === "covar_samp") return c / (n - 1);
  return qx * qy === 0 ? null : c / Math.sqrt(qx * qy);
}

function expectedByGroup(fn: Fn, d: Data): (number | null)[] {
  return Array.from({ length: GROUPS }, (_, g) => {
    const pairs: [number, number][] = [];
    d.gids.forEach((gid, i) => { const x = d.xs[i]!, y = d.ys[i]!; if (gid === g && x !== null && y !== null) pairs.push([x, y]); });
    return expected(fn, pairs);
  });
}

function feed(acc: Accumulator, kind: Kind, d: Data, from: number, to: number, batch: number): void {
  for (let s = from; s < to; s += batch) {
    const e = Math.min(s + batch, to);
    acc.update(Int32Array.from(d.gids.slice(s, e)), [column(kind, d.xs.slice(s, e)), column(kind, d.ys.slice(s, e))], e - s, GROUPS);
    acc.update(new Int32Array(0), [column(kind, []), column(kind, [])], 0, GROUPS);
  }
}

function expectClose(actual: (number | null)[], want: (number | null)[]): void {
  expect(actual.map((v) => v === null)).toEqual(want.map((v) => v === null));
  actual.forEach((v, g) => { if (v !== null) expect(v).toBeCloseTo(want[g]!, 6); });
}

describe("CovarianceAccumulator", () => {
  for (const fn of ["corr", "covar_pop", "covar_samp"] as const) {
    for (const kind of ["int32", "float64"] as const) {
      for (const nullRate of [0, 0.3]) {
        it(`${fn} over ${kind} pairs (null rate ${nullRate}) in one pass and merged from three tasks`, () => {
          const d = makeData(3000, kind, nullRate, 7 + nullRate * 10);
          const want = expectedByGroup(fn, d);
          const types = [Types[kind], Types[kind]];

          const whole = createAccumulator(call(fn), types);
          feed(whole, kind, d, 0, 3000, 257);
          expectClose(read(whole.finish(GROUPS)), want);

          const final = createAccumulator(call(fn), argTypesFromState(call(fn), whole.stateTypes));
          for (const [from, to] of [[0, 1000], [1000, 1001], [1001, 3000]] as const) {
            const part = createAccumulator(call(fn), types);
            feed(part, kind, d, from, to, 100);
            const states = part.state(GROUPS);
            expect(states.length).toBe(stateWidth(call(fn)));
            final.merge(Int32Array.from({ length: GROUPS }, (_, g) => g), states, GROUPS, GROUPS);
          }
          expectClose(read(final.finish(GROUPS)), want);
        });
      }
    }
  }

  it("follows Spark on tiny groups: no rows null, one row null except covar_pop = 0, a constant side makes corr null", () => {
    const gids = Int32Array.from([1, 2, 2, 2]);
    const xs = column("float64", [5, 1, 1, 1]);
    const ys = column("float64", [3, 1, 2, 4]);
    const finish = (fn: Fn) => { const a = createAccumulator(call(fn), [Types.float64, Types.float64]); a.update(gids, [xs, ys], 4, 3); return read(a.finish(3)); };
    expect(finish("covar_pop")).toEqual([null, 0, 0]);
    expect(finish("covar_samp")).toEqual([null, null, 0]);
    expect(finish("corr")).toEqual([null, null, null]);
  });

  it("skips a row when only one side is null, and all rows when a side is a null-typed column", () => {
    const a = createAccumulator(call("covar_samp"), [Types.float64, Types.float64]);
    a.update(Int32Array.from([0, 0, 0, 0]), [column("float64", [1, 2, null, 3]), column("float64", [2, 4, 100, null])], 4, 1);
    expect(read(a.finish(1))).toEqual([1]); // only (1,2) and (2,4): cov = 0.5 * 1 * 2 / 1
    const b = createAccumulator(call("corr"), [Types.float64, Types.null]);
    b.update(Int32Array.from([0, 0]), [column("float64", [1, 2]), { type: Types.null, length: 2 } as Column], 2, 1);
    expect(read(b.finish(1))).toEqual([null]);
  });

  it("keeps precision on large offsets where sum-of-products formulas cancel", () => {
    const a = createAccumulator(call("corr"), [Types.float64, Types.float64]);
    const xs = [1e9 + 1, 1e9 + 2, 1e9 + 3, 1e9 + 4], ys = [1e9 + 2, 1e9 + 4, 1e9 + 6, 1e9 + 8.5];
    a.update(new Int32Array(4), [column("float64", xs), column("float64", ys)], 4, 1);
    expect(read(a.finish(1))[0]).toBeCloseTo(expected("corr", xs.map((x, i) => [x - 1e9, ys[i]! - 1e9]))!, 12);
  });

  it("batches with many rows per group (shifted sums) give null corr for a constant side and keep precision on large offsets", () => {
    const n = 4000, gids = new Int32Array(n), xs: number[] = [], ys: number[] = [];
    for (let i = 0; i < n; i++) {
      gids[i] = i % 2;
      xs.push(i % 2 === 0 ? 7 : 1e9 + (i % 7)); // group 0: x constant; group 1: a large offset
      ys.push(i % 2 === 0 ? i : 1e9 + 2 * (i % 7) + (i % 3));
    }
    const a = createAccumulator(call("corr"), [Types.float64, Types.float64]);
    for (let s = 0; s < n; s += 1000) a.update(gids.subarray(s, s + 1000), [column("float64", xs.slice(s, s + 1000)), column("float64", ys.slice(s, s + 1000))], 1000, 2);
    const got = read(a.finish(2));
    const pairs: [number, number][] = xs.map((x, i) => [x - 1e9, ys[i]! - 1e9] as [number, number]).filter((_, i) => i % 2 === 1);
    expect(got[0]).toBeNull();
    expect(got[1]).toBeCloseTo(expected("corr", pairs)!, 10);
  });

  it("int32 and float64 inputs of the same values give the same answer in both update paths", () => {
    for (const rows of [3, 3000]) {
      const d = makeData(rows, "int32", 0.2, 11);
      const asInts = createAccumulator(call("covar_samp"), [Types.int32, Types.int32]);
      const asFloats = createAccumulator(call("covar_samp"), [Types.float64, Types.int32]);
      asInts.update(Int32Array.from(d.gids), [column("int32", d.xs), column("int32", d.ys)], rows, GROUPS);
      asFloats.update(Int32Array.from(d.gids), [column("float64", d.xs), column("int32", d.ys)], rows, GROUPS);
      expectClose(read(asInts.finish(GROUPS)), expectedByGroup("covar_samp", d));
      expectClose(read(asFloats.finish(GROUPS)), expectedByGroup("covar_samp", d));
    }
  });
});
