/**
 * Median/percentile: the selection kernel against a sort, the value groups (rows and already
 * grouped segments, mixed), and the accumulator's partial -> shuffle-like concat -> final path
 * with nulls, NaN, empty groups, many and empty batches, against answers computed on plain arrays.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../../runtime/batch/column.js";
import { Types } from "../../../../../runtime/expr/types.js";
import type { AggregateCall } from "../../../../../runtime/physical/plan.js";
import { createAccumulator } from "../../../../../runtime/worker/operators/aggregate/factory.js";
import { ValueGroups } from "../../../../../runtime/worker/operators/aggregate/grouped-values.js";
import { numericInput } from "../../../../../runtime/worker/operators/aggregate/numeric-kernels.js";
import { percentileOfSlice, selectKth } from "../../../../../runtime/worker/operators/aggregate/select-kth.js";
import { concatColumns } from "../../../../../runtime/batch/ops/concat.js";
import { numericColumn } from "./numeric-column.js";

function rng(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}

/** Spark's percentile on a plain array: NaN is the largest value, nulls are not there. */
function reference(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return lo === hi ? s[lo]! : s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

function readColumn(col: Column): (number | null)[] {
  const c = col as { values: Float64Array; validity: Uint8Array | undefined };
  return Array.from({ length: col.length }, (_, i) => (c.validity && !((c.validity[i >>> 3]! >> (i & 7)) & 1) ? null : c.values[i]!));
}

function call(p: number): AggregateCall {
  return { fn: "percentile", name: "p", args: [{ kind: "Column", name: "x" }], distinct: false, params: { percentile: p } } as AggregateCall;
}

describe("selectKth", () => {
  it.each([[1, 0], [2, 0], [17, 0.5], [100, 0.1], [1000, 0.5], [5000, 0.99]])("over %i values with duplicates finds rank like a sort (distinct values share %s)", (n, dupShare) => {
    const r = rng(n + 3);
    const base = Array.from({ length: n }, () => (r() < dupShare ? 7 : Math.round(r() * 200) - 100));
    for (const k of [0, n >> 1, n - 1]) {
      const a = Float64Array.from(base);
      const got = selectKth(a, 0, n, k);
      const sorted = [...base].sort((x, y) => x - y);
      expect(got).toBe(sorted[k]);
      for (let i = 0; i < k; i++) expect(a[i]).toBeLessThanOrEqual(got);
      for (let i = k + 1; i < n; i++) expect(a[i]).toBeGreaterThanOrEqual(got);
      expect([...a].sort((x, y) => x - y)).toEqual(sorted);
    }
  });

  it("stays within its slice and handles sorted and reversed input", () => {
    const a = Float64Array.from({ length: 300 }, (_, i) => i);
    expect(selectKth(a, 100, 200, 10)).toBe(110);
    expect(a[50]).toBe(50);
    expect(a[250]).toBe(250);
    const rev = Float64Array.from({ length: 999 }, (_, i) => 999 - i);
    expect(selectKth(rev, 0, 999, 499)).toBe(500);
  });

  it("percentileOfSlice puts NaN after every number, as a sort does", () => {
    expect(percentileOfSlice(Float64Array.from([3, NaN, 1, 2]), 0, 4, 0.5)).toBe(2.5);
    expect(percentileOfSlice(Float64Array.from([NaN, 1, NaN]), 0, 3, 0.5)).toBeNaN();
    expect(percentileOfSlice(Float64Array.from([NaN, 1, NaN]), 0, 3, 0)).toBe(1);
    expect(percentileOfSlice(Float64Array.from([5, 1, 4, 2]), 0, 4, 0.25)).toBe(1.75);
  });
});

describe("percentileOfSlice on long slices (histogram first, quickselect when it cannot)", () => {
  const shapes: [string, (r: () => number, i: number) => number][] = [
    ["uniform", (r) => r() * 100],
    ["integers with many duplicates", (r) => Math.floor(r() * 5)],
    ["one huge outlier outside the sampled range", (r, i) => (i === 1 ? 1e300 : r())],
    ["negative and positive infinities", (r, i) => (i % 97 === 0 ? -Infinity : i % 89 === 0 ? Infinity : r() - 0.5)],
    ["NaNs among the values", (r, i) => (i % 7 === 0 ? NaN : r() * 10)],
    ["mostly NaN", (r, i) => (i % 10 === 0 ? r() : NaN)],
    ["all equal", () => 3.5],
    ["clustered: most values in one tiny range", (r) => (r() < 0.9 ? 1 + r() * 1e-12 : r() * 1000)],
    ["ascending", (_r, i) => i],
    ["descending", (_r, i) => -i],
  ];
  it.each(shapes)("%s: equals a sort at p 0, 0.25, 0.5, 0.9, 1", (_name, gen) => {
    const r = rng(17);
    for (const n of [256, 257, 1000, 4099]) {
      const base = Array.from({ length: n }, (_, i) => gen(r, i));
      for (const p of [0, 0.25, 0.5, 0.9, 1]) {
        // The slice sits inside a larger array: values around it must not be read or moved.
        const a = Float64Array.from([-7, ...base, 7]);
        const got = percentileOfSlice(a, 1, n + 1, p);
        const want = reference(base, p);
        if (Number.isNaN(want!)) expect(got).toBeNaN();
        else if (!Number.isFinite(want!)) expect(got).toBe(want);
        else expect(got).toBeCloseTo(want!, 9);
        expect(a[0]).toBe(-7);
        expect(a[n + 1]).toBe(7);
      }
    }
  });
});

describe("ValueGroups", () => {
  it("groups rows and already grouped segments alike, in one array or group by group", () => {
    const r = rng(11);
    const groups = 9;
    const expected: number[][] = Array.from({ length: groups }, () => []);
    const build = (): ValueGroups => {
      const vg = new ValueGroups();
      // Rows in batches of varied sizes, with nulls; the last one large and without nulls (kept as a view).
      for (const size of [0, 1, 5, 300, 20000, 30000]) {
        const gids = Int32Array.from({ length: size }, () => Math.floor(r() * groups));
        const vals = Array.from({ length: size }, () => (size < 30000 && r() < 0.2 ? null : Math.round(r() * 1000)));
        vg.addRows(gids, numericInput(numericColumn("float64", vals)), size, groups);
        vals.forEach((v, i) => { if (v !== null) expected[gids[i]!]!.push(v); });
      }
      // Segments: row g' owns its slice; offsets that do not start at 0 (a sliced list).
      const segGids = Int32Array.from([3, 0, 8, 3]);
      const offsets = Int32Array.from([2, 2, 40, 41, 90]);
      const values = Float64Array.from({ length: 100 }, (_, i) => -i);
      vg.addSegments(segGids, offsets, values, 4, groups);
      for (let s = 0; s < 4; s++) for (let k = offsets[s]!; k < offsets[s + 1]!; k++) expected[segGids[s]!]!.push(values[k]!);
      return vg;
    };
    const sortedGroups = (vals: Float64Array, offs: Int32Array) => Array.from({ length: groups }, (_, g) => [...vals.subarray(offs[g]!, offs[g + 1]!)].sort((a, b) => a - b));
    const { values, offsets } = build().group(groups);
    const want = expected.map((xs) => [...xs].sort((a, b) => a - b));
    expect(sortedGroups(values, offsets)).toEqual(want);
    expected.forEach((xs) => xs.splice(0));
    const seen: number[][] = [];
    build().eachGroup(groups, (a, s, e, g) => { seen[g] = [...a.subarray(s, e)].sort((x, y) => x - y); });
    expect(seen).toEqual(expected.map((xs) => [...xs].sort((a, b) => a - b)));
  });

  it("gathers segments only group by group, each group its own values", () => {
    const vg = new ValueGroups();
    vg.addSegments(Int32Array.from([1, 0]), Int32Array.from([0, 3, 4]), Float64Array.from([5, 6, 7, 8]), 2, 3);
    vg.addSegments(Int32Array.from([0, 1]), Int32Array.from([0, 30, 31]), Float64Array.from({ length: 31 }, (_, i) => 100 + i), 2, 3);
    const seen: number[][] = [];
    vg.eachGroup(3, (a, s, e, g) => { seen[g] = [...a.subarray(s, e)]; });
    expect(seen[0]).toEqual([8, ...Array.from({ length: 30 }, (_, i) => 100 + i)]);
    expect(seen[1]).toEqual([5, 6, 7, 130]);
    expect(seen[2]).toEqual([]);
  });
});

describe("percentile accumulator, partial states merged on the final side", () => {
  it.each([0, 0.5, 0.9])("p = %s over several map tasks equals the percentile of all values", (p) => {
    const r = rng(5);
    const groups = 13;
    const all: number[][] = Array.from({ length: groups }, () => []);
    const states: Column[] = [];
    const stateGids: Int32Array[] = [];
    for (let task = 0; task < 3; task++) {
      const acc = createAccumulator(call(p), [Types.int32]);
      for (const size of [1000, 0, 7, 64]) {
        const gids = Int32Array.from({ length: size }, () => Math.floor(r() * (groups - 1))); // the last group stays empty
        const vals = Array.from({ length: size }, () => (r() < 0.1 ? null : Math.floor(r() * 50)));
        acc.update(gids, [numericColumn("int32", vals)], size, groups);
        vals.forEach((v, i) => { if (v !== null) all[gids[i]!]!.push(v); });
      }
      states.push(acc.state(groups)[0]!);
      stateGids.push(Int32Array.from({ length: groups }, (_, g) => g));
    }
    // As after a shuffle: the map tasks' state rows concatenated, then merged in two batches.
    const merged = concatColumns(states, Types.list(Types.float64));
    const gids = Int32Array.from(stateGids.flatMap((x) => [...x]));
    const final = createAccumulator(call(p), [Types.float64]);
    const half = 20;
    final.merge(gids, [merged], half, groups);
    final.merge(gids.subarray(half), [sliceList(merged, half)], gids.length - half, groups);
    const got = readColumn(final.finish(groups));
    expect(got[groups - 1]).toBeNull();
    got.forEach((x, g) => {
      const want = reference(all[g]!, p);
      if (want === null) expect(x).toBeNull();
      else expect(x).toBeCloseTo(want, 9);
    });
  });
});

function sliceList(col: Column, start: number): Column {
  const l = col as Column & { offsets: Int32Array };
  return { ...l, length: l.length - start, offsets: l.offsets.subarray(start) } as Column;
}
