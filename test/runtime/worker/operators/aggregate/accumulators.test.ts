/**
 * Accumulators fed directly (no operator around them): int32 and float64 inputs with and without
 * nulls, several batches, empty batches, and a partial -> state -> merge round trip, against
 * answers computed the obvious way on plain arrays.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../../runtime/batch/column.js";
import { Types, type DataType } from "../../../../../runtime/expr/types.js";
import type { AggregateCall } from "../../../../../runtime/physical/plan.js";
import { createAccumulator } from "../../../../../runtime/worker/operators/aggregate/factory.js";
import type { Accumulator } from "../../../../../runtime/worker/operators/aggregate/accumulator.js";
import { numericColumn as column, type NumericKind } from "./numeric-column.js";

type Kind = NumericKind;
const GROUPS = 7;

function rng(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

interface Data { gids: Int32Array; values: (number | null)[] }

function makeData(n: number, kind: Kind, nullRate: number, seed: number): Data {
  const r = rng(seed);
  const gids = new Int32Array(n);
  const values: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    gids[i] = Math.floor(r() * GROUPS);
    const x = kind === "int32" ? Math.floor(r() * 2000) - 1000 : Math.round(r() * 1e5) / 100 - 500;
    values.push(r() < nullRate ? null : x);
  }
  return { gids, values };
}


function call(fn: AggregateCall["fn"], params?: Record<string, number>): AggregateCall {
  return { fn, name: fn, args: [{ kind: "Column", name: "x" }], distinct: false, ...(params ? { params } : {}) } as AggregateCall;
}

function readColumn(col: Column): (number | null)[] {
  const c = col as { values: ArrayLike<number | bigint>; validity: Uint8Array | undefined };
  return Array.from({ length: col.length }, (_, i) => (c.validity && !((c.validity[i >>> 3]! >> (i & 7)) & 1) ? null : Number(c.values[i]!)));
}

/** Feeds the rows in batches of `batch` (with an empty batch in between) through update. */
function feed(acc: Accumulator, kind: Kind, data: Data, batch: number): void {
  for (let s = 0; s <= data.gids.length; s += batch) {
    const e = Math.min(s + batch, data.gids.length);
    acc.update(data.gids.subarray(s, e), [column(kind, data.values.slice(s, e))], e - s, GROUPS);
    acc.update(new Int32Array(0), [column(kind, [])], 0, GROUPS);
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1), lo = Math.floor(pos), hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function expected(fn: string, xs: number[], p = 0.5): number | null {
  const n = xs.length;
  const sum = xs.reduce((a, b) => a + b, 0);
  const mean = sum / n;
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  switch (fn) {
    case "count": return n;
    case "sum": return n ? sum : null;
    case "avg": return n ? mean : null;
    case "min": return n ? Math.min(...xs) : null;
    case "max": return n ? Math.max(...xs) : null;
    case "variance": return n > 1 ? ss / (n - 1) : null;
    case "stddev_pop": return n > 0 ? Math.sqrt(ss / n) : null;
    case "median": return n ? percentile(xs, 0.5) : null;
    case "percentile": return n ? percentile(xs, p) : null;
    default: throw new Error(fn);
  }
}

function reference(fn: string, data: Data, p?: number): (number | null)[] {
  return Array.from({ length: GROUPS }, (_, g) => expected(fn, data.values.filter((v, i) => v !== null && data.gids[i] === g) as number[], p));
}

function close(got: (number | null)[], want: (number | null)[]): void {
  expect(got.map((x) => (x === null ? null : Math.round(x * 1e6) / 1e6))).toEqual(want.map((x) => (x === null ? null : Math.round(x * 1e6) / 1e6)));
}

const fns = ["count", "sum", "avg", "min", "max", "variance", "stddev_pop", "median"] as const;
const cases: [(typeof fns)[number], Kind, number][] = [];
for (const fn of fns) for (const kind of ["int32", "float64"] as Kind[]) for (const nulls of [0, 0.3]) cases.push([fn, kind, nulls]);

describe("accumulators read int32 and float64 inputs in place", () => {
  it.each(cases)("%s over %s with null rate %s equals the reference over several batches", (fn, kind, nulls) => {
    const data = makeData(1000, kind, nulls, fn.length * 31 + nulls * 100 + (kind === "int32" ? 1 : 2));
    const acc = createAccumulator(call(fn), [kind === "int32" ? Types.int32 : Types.float64]);
    feed(acc, kind, data, 97);
    close(readColumn(acc.finish(GROUPS)), reference(fn, data));
  });

  it.each(cases)("%s over %s with null rate %s: partial states of two halves merge into the same answer", (fn, kind, nulls) => {
    const data = makeData(600, kind, nulls, 5 + fn.length);
    const type: DataType = kind === "int32" ? Types.int32 : Types.float64;
    const half = (from: number, to: number): Column[] => {
      const a = createAccumulator(call(fn), [type]);
      feed(a, kind, { gids: data.gids.subarray(from, to), values: data.values.slice(from, to) }, 64);
      return a.state(GROUPS);
    };
    const final = createAccumulator(call(fn), [type]);
    const identity = Int32Array.from({ length: GROUPS }, (_, g) => g);
    for (const states of [half(0, 250), half(250, 600)]) final.merge(identity, states, GROUPS, GROUPS);
    close(readColumn(final.finish(GROUPS)), reference(fn, data));
  });

  it.each([0, 0.1, 0.25, 0.9, 1])("percentile %s interpolates between the closest ranks", (p) => {
    const data = makeData(500, "float64", 0.2, 77);
    const acc = createAccumulator(call("percentile", { percentile: p }), [Types.float64]);
    feed(acc, "float64", data, 50);
    close(readColumn(acc.finish(GROUPS)), reference("percentile", data, p));
  });

  it("a group without values gives null for sum/avg/median and 0 for count", () => {
    const gids = Int32Array.of(0, 0, 1);
    const col = column("float64", [1.5, 2.5, null]);
    const got = ["sum", "avg", "median", "count"].map((fn) => {
      const acc = createAccumulator(call(fn as AggregateCall["fn"]), [Types.float64]);
      acc.update(gids, [col], 3, 2);
      return readColumn(acc.finish(2));
    });
    expect(got).toEqual([[4, null], [2, null], [2, null], [2, 0]]);
  });

  it("max of float64 treats NaN as the largest value and min skips past it", () => {
    const gids = Int32Array.of(0, 0, 0, 1, 1);
    const col = column("float64", [1, NaN, 3, -2, NaN]);
    const run = (fn: "min" | "max") => { const acc = createAccumulator(call(fn), [Types.float64]); acc.update(gids, [col], 5, 2); return readColumn(acc.finish(2)); };
    expect(run("max")).toEqual([NaN, NaN]);
    expect(run("min")).toEqual([1, -2]);
  });
});
