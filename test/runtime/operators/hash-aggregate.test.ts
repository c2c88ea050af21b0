import { describe, expect, it } from "vitest";
import type { Batch } from "../../../runtime/batch/column.js";
import { Types } from "../../../runtime/expr/types.js";
import type { AggregateCall, PhysicalPlan } from "../../../runtime/physical/plan.js";
import { agg, col, collect, fakeContext, id, rowsOf, schemaOf, sortRows, table, type Row } from "./helpers.js";
import { batchesToRows } from "../../../runtime/batch/rows.js";
import { sliceBatch } from "../../../runtime/worker/operators/limit.js";

const schema = schemaOf({ k: Types.string, g: Types.int32, v: Types.int32, f: Types.float64 });

function makeRows(n: number, seed: number): Row[] {
  let s = seed;
  const rnd = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    rows.push({
      k: rnd() < 0.15 ? null : ["a", "b", "ü", "", "zz"][Math.floor(rnd() * 5)]!,
      g: rnd() < 0.1 ? null : Math.floor(rnd() * 4) - 1,
      v: rnd() < 0.3 ? null : Math.floor(rnd() * 100) - 50,
      f: rnd() < 0.2 ? null : Math.round(rnd() * 1000) / 10,
    });
  }
  return rows;
}

const aggs: AggregateCall[] = [
  agg("count", "n"), agg("count", "nv", ["v"]), agg("sum", "sv", ["v"]), agg("sum", "sf", ["f"]), agg("avg", "av", ["v"]),
  agg("min", "mink", ["k"]), agg("max", "maxv", ["v"]), agg("variance", "varf", ["f"]), agg("median", "medv", ["v"]),
  agg("count_distinct", "dv", ["v"]), agg("collect_set", "setv", ["v"]),
];

/** The answer computed the slow, obvious way. */
function reference(rows: Row[], keys: string[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) { const key = JSON.stringify(keys.map((k) => r[k])); groups.set(key, [...(groups.get(key) ?? []), r]); }
  return [...groups.values()].map((rs) => {
    const out: Row = {};
    for (const k of keys) out[k] = rs[0]![k];
    const vs = rs.map((r) => r.v).filter((x): x is number => x !== null);
    const fs = rs.map((r) => r.f).filter((x): x is number => x !== null);
    const ks = rs.map((r) => r.k).filter((x): x is string => x !== null);
    const mean = fs.reduce((a, b) => a + b, 0) / fs.length;
    const sortedV = [...vs].sort((a, b) => a - b);
    const mid = (sortedV.length - 1) / 2;
    out.n = rs.length; out.nv = vs.length;
    out.sv = vs.length ? vs.reduce((a, b) => a + b, 0) : null;
    out.sf = fs.length ? fs.reduce((a, b) => a + b, 0) : null;
    out.av = vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : null;
    out.mink = ks.length ? [...ks].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : 1))[0] : null;
    out.maxv = vs.length ? Math.max(...vs) : null;
    out.varf = fs.length > 1 ? fs.reduce((a, b) => a + (b - mean) ** 2, 0) / (fs.length - 1) : null;
    out.medv = vs.length ? (sortedV[Math.floor(mid)]! + sortedV[Math.ceil(mid)]!) / 2 : null;
    out.dv = new Set(vs).size;
    out.setv = [...new Set(vs)].sort((a, b) => a - b);
    return out;
  });
}

function normalize(rows: Row[]): Row[] {
  return sortRows(rows.map((r) => {
    const o: Row = { ...r };
    for (const k of ["sf", "av", "varf", "medv"]) if (typeof o[k] === "number") o[k] = Math.round((o[k] as number) * 1e6) / 1e6;
    if (Array.isArray(o.setv)) o.setv = [...(o.setv as number[])].sort((a, b) => a - b);
    return o;
  }));
}

function aggregate(mode: "partial" | "final" | "complete", input: PhysicalPlan, keys: string[], calls = aggs): PhysicalPlan {
  return { kind: "HashAggregateExec", id: id(), mode, input, keys: keys.map(col), aggs: calls, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } };
}

describe("HashAggregateExec", () => {
  it.each([[["k"]], [["g"]], [["k", "g"]], [[]]])("complete mode by %j equals the reference, nulls and duplicates included", async (keys) => {
    const rows = makeRows(200, 7);
    const t = table("t", schema, [rows], 17);
    const got = await rowsOf(aggregate("complete", t.node, keys), fakeContext({ tables: t.tables }));
    expect(normalize(got)).toEqual(normalize(reference(rows, keys)));
  });

  it("partial per partition, then final over the partial outputs, equals complete", async () => {
    const parts = [makeRows(80, 1), makeRows(50, 2), makeRows(0, 3), makeRows(70, 4)];
    const t = table("t", schema, parts, 16);
    const partial = aggregate("partial", t.node, ["k", "g"]);
    const states: Batch[] = [];
    for (let p = 0; p < parts.length; p++) states.push(...(await collect(partial, fakeContext({ tables: t.tables, partition: p, numPartitions: parts.length }))));
    const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
    const final = aggregate("final", exchange, ["k", "g"]);
    const got = await rowsOf(final, fakeContext({ exchanges: { [exchange.id]: states } }));
    expect(normalize(got)).toEqual(normalize(reference(parts.flat(), ["k", "g"])));
  });

  it("several avgs over the same groups (shared row counts) match the reference, with and without nulls, over many and empty batches", async () => {
    // d and e never have nulls (they take the shared-count path); v and f have nulls (per-row counts).
    const s = schemaOf({ g: Types.int32, v: Types.int32, f: Types.float64, d: Types.int32, e: Types.float64 });
    const rows = makeRows(300, 11).map((r, i) => ({ g: r.g, v: r.v, f: r.f, d: (i * 7) % 13 - 6, e: ((i * 5) % 17) / 4 }));
    const parts = [rows.slice(0, 120), [], rows.slice(120)];
    const calls = [agg("avg", "av", ["v"]), agg("avg", "ad", ["d"]), agg("avg", "af", ["f"]), agg("avg", "ae", ["e"]), agg("count", "n")];
    const mean = (xs: (number | null)[]): number | null => { const ok = xs.filter((x): x is number => x !== null); return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null; };
    const groups = new Map<number | null, typeof rows>();
    for (const r of rows) { const g = r.g as number | null; groups.set(g, [...(groups.get(g) ?? []), r]); }
    const round = (x: number | null) => (x === null ? null : Math.round(x * 1e9) / 1e9);
    const expected = [...groups].map(([g, rs]) => ({ g, av: round(mean(rs.map((r) => r.v as number | null))), ad: round(mean(rs.map((r) => r.d))), af: round(mean(rs.map((r) => r.f as number | null))), ae: round(mean(rs.map((r) => r.e))), n: rs.length }));
    for (const batchSize of [1, 7, 1000]) {
      // Complete mode over one partition, and partial per partition merged by a final aggregate.
      const whole = table("whole", s, [rows], batchSize);
      const complete = await rowsOf(aggregate("complete", whole.node, ["g"], calls), fakeContext({ tables: whole.tables }));
      const t = table("t", s, parts, batchSize);
      const partial = aggregate("partial", t.node, ["g"], calls);
      const states: Batch[] = [];
      for (let p = 0; p < parts.length; p++) states.push(...(await collect(partial, fakeContext({ tables: t.tables, partition: p, numPartitions: parts.length }))));
      const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
      const final = await rowsOf(aggregate("final", exchange, ["g"], calls), fakeContext({ exchanges: { [exchange.id]: states } }));
      for (const got of [complete, final]) {
        const rounded = got.map((r) => ({ ...r, av: round(r.av as number | null), ad: round(r.ad as number | null), af: round(r.af as number | null), ae: round(r.ae as number | null) }));
        expect(sortRows(rounded)).toEqual(sortRows(expected));
      }
    }
  });

  it("several avgs with more groups than rows in a batch (no shared counts) are still right", async () => {
    const s = schemaOf({ g: Types.int32, d: Types.int32, e: Types.float64 });
    const rows = Array.from({ length: 50 }, (_, i) => ({ g: i % 25, d: i, e: i / 2 }));
    const t = table("t", s, [rows], 4);
    const got = await rowsOf(aggregate("complete", t.node, ["g"], [agg("avg", "ad", ["d"]), agg("avg", "ae", ["e"])]), fakeContext({ tables: t.tables }));
    const expected = Array.from({ length: 25 }, (_, g) => ({ g, ad: g + 12.5, ae: (g + 12.5) / 2 }));
    expect(sortRows(got)).toEqual(sortRows(expected));
  });

  it("global aggregate of empty input is one row: count 0, sum null", async () => {
    const t = table("t", schema, [[]]);
    const got = await rowsOf(aggregate("complete", t.node, [], [agg("count", "n"), agg("sum", "s", ["v"]), agg("max", "m", ["k"])]), fakeContext({ tables: t.tables }));
    expect(got).toEqual([{ n: 0, s: null, m: null }]);
  });

  it("grouped aggregate of empty input has no rows", async () => {
    const t = table("t", schema, [[]]);
    expect(await rowsOf(aggregate("complete", t.node, ["k"]), fakeContext({ tables: t.tables }))).toEqual([]);
  });

  it("sums int64 exactly past 2^53 and keeps negative totals", async () => {
    const s = schemaOf({ k: Types.int32, x: Types.int64 });
    const big = 2n ** 62n;
    const t = table("t", s, [[{ k: 1, x: big }, { k: 1, x: 3n }, { k: 2, x: -big }, { k: 2, x: -5n }, { k: 1, x: -(2n ** 61n) }]], 2);
    const got = await rowsOf(aggregate("complete", t.node, ["k"], [agg("sum", "s", ["x"])]), fakeContext({ tables: t.tables }));
    expect(sortRows(got)).toEqual(sortRows([{ k: 1, s: big + 3n - 2n ** 61n }, { k: 2, s: -big - 5n }]));
  });

  it("groups dictionary-encoded strings whose dictionaries differ between batches", async () => {
    const s = schemaOf({ k: Types.string, v: Types.int32 });
    const enc = new TextEncoder();
    const dict = (words: string[]) => {
      const bytes = enc.encode(words.join(""));
      const offsets = new Int32Array(words.length + 1);
      words.forEach((w, i) => (offsets[i + 1] = offsets[i]! + enc.encode(w).length));
      return { type: Types.string, length: words.length, encoding: "utf8" as const, offsets, bytes, validity: undefined };
    };
    const b1: Batch = { schema: s, length: 3, columns: [
      { type: Types.string, length: 3, encoding: "dict", codes: Int32Array.of(0, 1, 0), dictionary: dict(["x", "y", "unused"]), validity: undefined },
      { type: Types.int32, length: 3, values: Int32Array.of(1, 2, 3), validity: undefined }] };
    const b2: Batch = { schema: s, length: 3, columns: [
      { type: Types.string, length: 3, encoding: "dict", codes: Int32Array.of(1, 0, 1), dictionary: dict(["y", "x"]), validity: Uint8Array.of(0b011) },
      { type: Types.int32, length: 3, values: Int32Array.of(10, 20, 30), validity: undefined }] };
    const scan: PhysicalPlan = { kind: "ScanExec", id: id(), schema: s, outputPartitioning: { kind: "single" }, source: { kind: "memory", id: "d", partitions: 1, rows: 6, bytes: 0 }, filters: [] };
    const got = await rowsOf(aggregate("complete", scan, ["k"], [agg("sum", "s", ["v"])]), fakeContext({ tables: { d: [[b1, b2]] } }));
    expect(sortRows(got)).toEqual(sortRows([{ k: "x", s: 1 + 3 + 10 }, { k: "y", s: 2 + 20 }, { k: null, s: 30 }]));
  });

  it("partial aggregation over a tiny budget emits early and the final answer is unchanged", async () => {
    const rows = makeRows(300, 9);
    const t = table("t", schema, [rows], 10);
    const partial = aggregate("partial", t.node, ["k", "g"]);
    const states = await collect(partial, fakeContext({ tables: t.tables, budget: 2000, spill: true }));
    const keysSeen = batchesToRows(states).length;
    expect(keysSeen).toBeGreaterThan(reference(rows, ["k", "g"]).length); // it really emitted early
    const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
    const got = await rowsOf(aggregate("final", exchange, ["k", "g"]), fakeContext({ exchanges: { [exchange.id]: states } }));
    expect(normalize(got)).toEqual(normalize(reference(rows, ["k", "g"])));
  });

  it("partial aggregation never fails on the budget, even with spilling off: it emits early", async () => {
    const rows = makeRows(300, 13);
    const t = table("t", schema, [rows], 10);
    const partial = aggregate("partial", t.node, ["k", "g"]);
    const states = await collect(partial, fakeContext({ tables: t.tables, budget: 2000, spill: false }));
    const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
    const got = await rowsOf(aggregate("final", exchange, ["k", "g"]), fakeContext({ exchanges: { [exchange.id]: states } }));
    expect(normalize(got)).toEqual(normalize(reference(rows, ["k", "g"])));
  });

  it.each(["complete", "final"] as const)("%s aggregation over a tiny budget spills to disk and gives the in-memory answer", async (mode) => {
    const rows = makeRows(400, 21);
    const t = table("t", schema, [rows], 16);
    let input: PhysicalPlan = t.node;
    let ctxInput = {};
    if (mode === "final") {
      const partial = aggregate("partial", t.node, ["k", "g", "v"]);
      const states = await collect(partial, fakeContext({ tables: t.tables }));
      // Many small state batches, so the final side sees its groups arrive over time.
      const small = states.flatMap((b) => Array.from({ length: Math.ceil(b.length / 16) }, (_, i) => sliceBatch(b, i * 16, i * 16 + 16)));
      input = { kind: "ShuffleExchangeExec", id: id(), input: partial, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
      ctxInput = { exchanges: { [input.id]: small } };
    }
    const node = aggregate(mode, input, ["k", "g", "v"]);
    const ctx = fakeContext({ tables: t.tables, ...ctxInput, budget: 3000, spill: true });
    const got = await rowsOf(node, ctx);
    expect(ctx.metricsById.get(node.id)!.spillBytes).toBeGreaterThan(0);
    expect(normalize(got)).toEqual(normalize(reference(rows, ["k", "g", "v"])));
  });

  it("over the budget with spilling off fails with ResourcesExhausted naming stage and partition", async () => {
    const t = table("t", schema, [makeRows(300, 5)], 50);
    const run = rowsOf(aggregate("complete", t.node, ["k", "g", "v"]), fakeContext({ tables: t.tables, budget: 1000, spill: false, partition: 0 }));
    await expect(run).rejects.toMatchObject({ name: "ResourcesExhausted", message: expect.stringMatching(/stage 1, partition 0/) });
  });

  it("sum/avg of DISTINCT values count each value once per group", async () => {
    const rows = makeRows(150, 11);
    const t = table("t", schema, [rows], 13);
    const calls = [agg("sum", "sd", ["v"], undefined, true), agg("avg", "ad", ["v"], undefined, true), agg("count", "cd", ["v"], undefined, true)];
    const got = await rowsOf(aggregate("complete", t.node, ["k"], calls), fakeContext({ tables: t.tables }));
    const groups = new Map<unknown, Set<number>>();
    for (const r of rows) { const s = groups.get(r.k) ?? new Set<number>(); if (r.v !== null) s.add(r.v as number); groups.set(r.k, s); }
    const expected = [...groups].map(([k, s]) => { const xs = [...s]; const sum = xs.reduce((a, b) => a + b, 0); return { k, sd: xs.length ? sum : null, ad: xs.length ? sum / xs.length : null, cd: xs.length }; });
    expect(sortRows(got)).toEqual(sortRows(expected));
  });

  it("records rows in and out per operator", async () => {
    const rows = makeRows(40, 3);
    const t = table("t", schema, [rows], 7);
    const node = aggregate("complete", t.node, ["k"], [agg("count", "n")]);
    const ctx = fakeContext({ tables: t.tables });
    const out = await rowsOf(node, ctx);
    expect(ctx.metricsById.get(node.id)).toMatchObject({ rowsIn: 40, rowsOut: out.length });
  });
});
