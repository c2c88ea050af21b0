/**
 * sum/avg/count over columns without nulls go through one fused pass per batch
 * (aggregate/fused-sums.ts); aggregates over columns with nulls, and batches with too many groups
 * for their rows, take the per-aggregate loops. Every mix must give the obvious answer.
 */
import { describe, expect, it } from "vitest";
import type { Batch, Column } from "../../../../runtime/batch/column.js";
import { Types } from "../../../../runtime/expr/types.js";
import type { AggregateCall, PhysicalPlan } from "../../../../runtime/physical/plan.js";
import { IntSumAccumulator, AvgAccumulator, CountAccumulator } from "../../../../runtime/worker/operators/aggregate/numeric.js";
import { fusedUpdate } from "../../../../runtime/worker/operators/aggregate/fused-sums.js";
import { agg, col, collect, fakeContext, id, rowsOf, schemaOf, sortRows, table, type Row } from "../../operators/helpers.js";

const schema = schemaOf({ k: Types.string, g: Types.int32, v: Types.int32, f: Types.float64, w: Types.int32, vn: Types.int32 });

/** v, f, w never null; vn null on every fifth row; k a string key with a null group. */
function makeRows(n: number, groups: number): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const g = (i * 7919) % groups;
    rows.push({ k: g % 13 === 0 ? null : `key${g % 9}`, g, v: ((i * 37) % 201) - 100, f: ((i * 13) % 97) / 8, w: 18000 + (i % 50), vn: i % 5 === 0 ? null : i % 17 });
  }
  return rows;
}

const aggs: AggregateCall[] = [
  agg("count", "n"), agg("count", "nv", ["v"]), agg("count", "nvn", ["vn"]), agg("sum", "sv", ["v"]), agg("avg", "av", ["v"]),
  agg("sum", "sf", ["f"]), agg("avg", "af", ["f"]), agg("avg", "aw", ["w"]), agg("sum", "svn", ["vn"]), agg("avg", "avn", ["vn"]),
];

function reference(rows: Row[], keys: string[]): Row[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify(keys.map((k) => r[k]));
    const group = groups.get(key);
    if (group) group.push(r); else groups.set(key, [r]);
  }
  return [...groups.values()].map((rs) => {
    const out: Row = {};
    for (const k of keys) out[k] = rs[0]![k];
    const nums = (name: string) => rs.map((r) => r[name]).filter((x): x is number => x !== null);
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const v = nums("v"), f = nums("f"), w = nums("w"), vn = nums("vn");
    out.n = rs.length; out.nv = v.length; out.nvn = vn.length;
    out.sv = total(v); out.av = total(v) / v.length;
    out.sf = total(f); out.af = total(f) / f.length; out.aw = total(w) / w.length;
    out.svn = vn.length ? total(vn) : null; out.avn = vn.length ? total(vn) / vn.length : null;
    return out;
  });
}

function rounded(rows: Row[]): Row[] {
  return sortRows(rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "number" ? Math.round(v * 1e6) / 1e6 : v]))));
}

function aggregate(mode: "partial" | "final" | "complete", input: PhysicalPlan, keys: string[]): PhysicalPlan {
  return { kind: "HashAggregateExec", id: id(), mode, input, keys: keys.map(col), aggs, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } };
}

/** The same batches with string column `index` dictionary-encoded. */
function dictionaryEncoded(batches: Batch[], index: number): Batch[] {
  return batches.map((b) => {
    const plain = b.columns[index] as Extract<Column, { encoding: "utf8" }>;
    const words: string[] = [];
    const codes = new Int32Array(b.length);
    const decoder = new TextDecoder();
    for (let i = 0; i < b.length; i++) {
      const s = decoder.decode(plain.bytes.subarray(plain.offsets[i]!, plain.offsets[i + 1]!));
      let c = words.indexOf(s);
      if (c < 0) { c = words.length; words.push(s); }
      codes[i] = c;
    }
    const bytes = new TextEncoder().encode(words.join(""));
    const offsets = new Int32Array(words.length + 1);
    words.forEach((w, i) => { offsets[i + 1] = offsets[i]! + new TextEncoder().encode(w).length; });
    const dictionary = { type: Types.string, length: words.length, encoding: "utf8", offsets, bytes, validity: undefined } as Column & { encoding: "utf8" };
    const column: Column = { type: Types.string as typeof plain.type, length: b.length, encoding: "dict", codes, dictionary, validity: plain.validity };
    return { ...b, columns: b.columns.map((c, i) => (i === index ? column : c)) };
  });
}

describe("HashAggregateExec fused sum/avg/count", () => {
  it.each([
    [["g"], 1], [["g"], 7], [["g"], 1000], [["k"], 64], [["k", "g"], 500], [[], 300],
  ])("complete mode by %j in batches of %i equals the reference (fused and per-aggregate loops mixed)", async (keys, batchSize) => {
    const rows = makeRows(2000, 40);
    const t = table("t", schema, [rows, []], batchSize);
    const got = await rowsOf(aggregate("complete", t.node, keys), fakeContext({ tables: t.tables }));
    expect(rounded(got)).toEqual(rounded(reference(rows, keys)));
  });

  it("dictionary-encoded and plain string keys give the same groups and totals", async () => {
    const rows = makeRows(3000, 30);
    const t = table("t", schema, [rows], 600);
    const dict = { t: t.tables.t!.map((p) => dictionaryEncoded(p, 0)) };
    const plain = await rowsOf(aggregate("complete", t.node, ["k"]), fakeContext({ tables: t.tables }));
    const coded = await rowsOf(aggregate("complete", t.node, ["k"]), fakeContext({ tables: dict }));
    expect(rounded(coded)).toEqual(rounded(plain));
    expect(rounded(coded)).toEqual(rounded(reference(rows, ["k"])));
  });

  it.each([[5000, 40_000], [5000, 6000]])("%i groups over %i rows in one batch (fused only when rows >= 4 x groups) equals the reference", async (groups, n) => {
    const rows = makeRows(n, groups);
    const t = table("t", schema, [rows], n);
    const got = await rowsOf(aggregate("complete", t.node, ["g"]), fakeContext({ tables: t.tables }));
    expect(got.length).toBe(groups);
    expect(rounded(got)).toEqual(rounded(reference(rows, ["g"])));
  });

  it("partial per partition then final equals the reference", async () => {
    const rows = makeRows(3000, 25);
    const t = table("t", schema, [rows.slice(0, 1700), rows.slice(1700), []], 250);
    const partials: Batch[] = [];
    for (let p = 0; p < 3; p++) partials.push(...(await collect(aggregate("partial", t.node, ["g"]), fakeContext({ tables: t.tables, partition: p }))));
    const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: t.node, partitioning: { kind: "single" }, schema: partials[0]!.schema, outputPartitioning: { kind: "single" } };
    const got = await rowsOf(aggregate("final", exchange, ["g"]), fakeContext({ exchanges: { [exchange.id]: partials } }));
    expect(rounded(got)).toEqual(rounded(reference(rows, ["g"])));
  });
});

describe("fusedUpdate", () => {
  const int32 = (values: Int32Array, validity?: Uint8Array): Column => ({ type: Types.int32, length: values.length, values, validity });

  it("keeps an int32 sum exact past 2^53 over several chunks of rows", () => {
    const n = 5_000_000, big = 2147483647;
    const values = new Int32Array(n).fill(big);
    const gids = new Int32Array(n); // one group
    const sum = new IntSumAccumulator(Types.int64), count = new CountAccumulator(true);
    const done = fusedUpdate([sum, count], [[int32(values)], []], gids, n, 1);
    expect(done).toEqual([true, true]);
    expect((sum.finish(1) as { values: BigInt64Array }).values[0]).toBe(BigInt(n) * BigInt(big));
    expect((count.finish(1) as { values: BigInt64Array }).values[0]).toBe(BigInt(n));
  });

  it("leaves aggregates over columns with nulls, and batches with too many groups, to the caller", () => {
    const gids = Int32Array.from([0, 1, 0, 1, 0, 1, 0, 1]);
    const values = Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
    const withNull = int32(values, Uint8Array.from([0b11111110]));
    const avg = new AvgAccumulator(), avgNulls = new AvgAccumulator();
    expect(fusedUpdate([avg, avgNulls], [[int32(values)], [withNull]], gids, 8, 2)).toEqual([true, false]);
    expect([...(avg.finish(2) as { values: Float64Array }).values]).toEqual([4, 5]);
    expect(fusedUpdate([avg], [[int32(values)]], gids, 8, 3)).toBeUndefined(); // 3 groups need >= 12 rows
    expect(fusedUpdate([avgNulls], [[withNull]], gids, 8, 2)).toBeUndefined();
  });
});
