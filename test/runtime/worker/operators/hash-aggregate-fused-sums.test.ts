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

describe("HashAggregateExec fused key lookup + sums (one int32 key, only sum/avg/count without nulls)", () => {
  const plainAggs: AggregateCall[] = [agg("count", "n"), agg("count", "nv", ["v"]), agg("sum", "sv", ["v"]), agg("avg", "av", ["v"]), agg("sum", "sf", ["f"]), agg("avg", "af", ["f"]), agg("avg", "aw", ["w"])];
  const plainSchema = schemaOf({ g: Types.int32, v: Types.int32, f: Types.float64, w: Types.int32 });

  function plainReference(rows: Row[]): Row[] {
    const groups = new Map<number, Row[]>();
    for (const r of rows) { const g = r.g as number; const list = groups.get(g); if (list) list.push(r); else groups.set(g, [r]); }
    return [...groups].map(([g, rs]) => {
      const total = (name: string) => rs.reduce((a, r) => a + (r[name] as number), 0);
      return { g, n: rs.length, nv: rs.length, sv: total("v"), av: total("v") / rs.length, sf: total("f"), af: total("f") / rs.length, aw: total("w") / rs.length };
    });
  }

  async function run(rows: Row[], batchSize: number, mode: "complete" | "partial-final"): Promise<Row[]> {
    const t = table("t", plainSchema, [rows, []], batchSize);
    const node = (m: "partial" | "final" | "complete", input: PhysicalPlan): PhysicalPlan => ({ kind: "HashAggregateExec", id: id(), mode: m, input, keys: [col("g")], aggs: plainAggs, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } });
    if (mode === "complete") return rowsOf(node("complete", t.node), fakeContext({ tables: t.tables }));
    const states = await collect(node("partial", t.node), fakeContext({ tables: t.tables }));
    const exchange: PhysicalPlan = { kind: "ShuffleExchangeExec", id: id(), input: t.node, partitioning: { kind: "single" }, schema: states[0]!.schema, outputPartitioning: { kind: "single" } };
    return rowsOf(node("final", exchange), fakeContext({ exchanges: { [exchange.id]: states } }));
  }

  const keysOf: Record<string, (i: number) => number> = {
    "few keys": (i) => (i * 7919) % 23,
    "keys widening both ways": (i) => (i % 2 === 0 ? i : -i) >> 4,
    "int32 extremes": (i) => [2147483647, -2147483648, 0, 2147483646][i % 4]!,
    "a span past the direct limit mid-stream": (i) => (i < 1500 ? i % 17 : (i % 3) * 3_000_000 + (i % 5)),
  };

  for (const [label, keyOf] of Object.entries(keysOf)) {
    it.each([[1, "complete"], [7, "complete"], [1000, "complete"], [4000, "partial-final"]] as const)(`${label}, batches of %i, %s: equals the reference`, async (batchSize, mode) => {
      const rows: Row[] = Array.from({ length: 4000 }, (_, i) => ({ g: keyOf(i), v: ((i * 37) % 201) - 100, f: ((i * 13) % 97) / 8, w: 2_000_000_000 - (i % 9) }));
      expect(rounded(await run(rows, batchSize, mode))).toEqual(rounded(plainReference(rows)));
    });
  }
});

describe("HashAggregateExec fused key lookup + sums over one dictionary string key", () => {
  const dictAggs: AggregateCall[] = [agg("count", "n"), agg("sum", "sv", ["v"]), agg("avg", "af", ["f"])];
  const dictSchema = schemaOf({ k: Types.string, v: Types.int32, f: Types.float64 });

  /** Batches whose k column is dictionary-encoded, sharing one dictionary (or one per batch). */
  function encoded(rows: Row[], batchSize: number, shared: boolean): Batch[] {
    const plain = table("t", dictSchema, [rows], batchSize).tables.t![0]!;
    if (!shared) return dictionaryEncoded(plain, 0);
    const words = [...new Set(rows.map((r) => r.k as string))].reverse();
    const one = dictionaryEncoded([{ schema: plain[0]!.schema, length: words.length, columns: [columnOfStrings(words)] }], 0)[0]!.columns[0] as Extract<Column, { encoding: "dict" }>;
    return plain.map((b, bi) => {
      const ks = rows.slice(bi * batchSize, bi * batchSize + b.length).map((r) => words.indexOf(r.k as string));
      const column: Column = { ...one, length: b.length, codes: Int32Array.from(ks), validity: undefined };
      return { ...b, columns: [column, ...b.columns.slice(1)] };
    });
  }

  function columnOfStrings(words: string[]): Column {
    const bytes = new TextEncoder().encode(words.join(""));
    const offsets = new Int32Array(words.length + 1);
    words.forEach((w, i) => { offsets[i + 1] = offsets[i]! + new TextEncoder().encode(w).length; });
    return { type: Types.string, length: words.length, encoding: "utf8", offsets, bytes, validity: undefined } as Column;
  }

  it.each([[1000, true], [1000, false], [3, true], [5000, true]])("batches of %i rows (one shared dictionary: %s) equal the plain-string answer", async (batchSize, shared) => {
    const rows: Row[] = Array.from({ length: 5000 }, (_, i) => ({ k: `s${(i * 7919) % (i < 2500 ? 30 : 61)}`, v: 2_000_000_000 - (i % 11), f: (i % 13) / 4 }));
    const t = table("t", dictSchema, [rows], batchSize);
    const node = (): PhysicalPlan => ({ kind: "HashAggregateExec", id: id(), mode: "complete", input: t.node, keys: [col("k")], aggs: dictAggs, schema: { fields: [] }, outputPartitioning: { kind: "unknown", n: 1 } });
    const plain = await rowsOf(node(), fakeContext({ tables: t.tables }));
    const coded = await rowsOf(node(), fakeContext({ tables: { t: [encoded(rows, batchSize, shared)] } }));
    expect(plain.length).toBe(61);
    expect(rounded(coded)).toEqual(rounded(plain));
    const s0 = rows.filter((r) => r.k === "s0");
    expect(coded.find((r) => r.k === "s0")).toMatchObject({ n: s0.length, sv: s0.reduce((a, r) => a + (r.v as number), 0) });
  });
});
