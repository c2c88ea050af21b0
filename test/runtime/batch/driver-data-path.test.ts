/**
 * The driver's data path: which string columns registration dictionary-encodes (sampled), codes
 * written to shared memory, and toArrow keeping per-batch dictionaries instead of decoding them.
 */
import { describe, expect, it } from "vitest";
import { Bool, Dictionary, Float64, Int32, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray, DataType as ArrowType } from "apache-arrow";
import type { Batch, Column } from "../../../runtime/batch/column.js";
import type { DictColumn, Utf8Column } from "../../../runtime/batch/kinds.js";
import { toShared } from "../../../runtime/batch/buffers.js";
import { dictionaryEncodeTable, estimateDistinct } from "../../../runtime/batch/dictionary.js";
import { arrowToBatches, batchesToArrow } from "../../../runtime/batch/arrow.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import { takeRows } from "../../../runtime/batch/gather.js";
import { takeBatch, takeColumns } from "../../../runtime/batch/ops/take.js";
import type { Schema } from "../../../runtime/expr/types.js";
import { Types } from "../../../runtime/expr/types.js";

const schema: Schema = { fields: [{ name: "low", type: Types.string, nullable: true }, { name: "high", type: Types.string, nullable: false }, { name: "n", type: Types.int32, nullable: false }] };

function table(rows: number, batchRows: number): { batches: Batch[]; data: { low: string | null; high: string; n: number }[] } {
  const data = Array.from({ length: rows }, (_, i) => ({ low: i % 11 === 0 ? null : `grp-${(i * 7919) % 37}`, high: `id${String((i * 2654435761) % 1e9).padStart(10, "0")}`, n: i }));
  return { batches: rowsToBatches(data, schema, batchRows), data };
}

const encodingOf = (c: Column): string => ("encoding" in c ? c.encoding : c.type.kind);

describe("registration: dictionary encoding decided from a sample", () => {
  it("encodes a low-cardinality column and leaves a near-unique one as UTF-8 on a table larger than the sample", () => {
    const { batches, data } = table(60_000, 7_000);
    const encoded = dictionaryEncodeTable(batches);
    expect(encoded.every((b) => encodingOf(b.columns[0]!) === "dict")).toBe(true);
    expect(encoded.every((b) => encodingOf(b.columns[1]!) === "utf8")).toBe(true);
    const dicts = new Set(encoded.map((b) => (b.columns[0] as DictColumn).dictionary));
    expect(dicts.size).toBe(1);
    expect([...dicts][0]!.length).toBe(37);
    // codes and dictionary are already shared memory: toShared keeps them instead of copying
    const first = encoded[0]!.columns[0] as DictColumn;
    expect(first.codes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect((first.dictionary as unknown as { bytes: Uint8Array }).bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    const shared = encoded.map(toShared);
    expect((shared[0]!.columns[0] as DictColumn).codes).toBe(first.codes);
    expect(batchesToRows(shared)).toEqual(data);
  });

  it("estimates distinct counts: exact on small inputs, near the truth on repeats, unbounded when no sampled value repeats", () => {
    const col = (values: string[]): Utf8Column => rowsToBatches(values.map((v) => ({ s: v })), { fields: [{ name: "s", type: Types.string, nullable: false }] })[0]!.columns[0] as Utf8Column;
    expect(estimateDistinct([col(["a", "b", "a", "c"])], 4)).toBe(3);
    const repeats = Array.from({ length: 200_000 }, (_, i) => `k${(i * 48271) % 5000}`);
    const estimate = estimateDistinct([col(repeats)], repeats.length);
    expect(estimate).toBeGreaterThan(4000);
    expect(estimate).toBeLessThan(6500);
    const unique = Array.from({ length: 200_000 }, (_, i) => `u${i}`);
    expect(estimateDistinct([col(unique)], unique.length)).toBe(Number.POSITIVE_INFINITY);
  });

  it("handles empty batches and all-null columns", () => {
    const s: Schema = { fields: [{ name: "s", type: Types.string, nullable: true }] };
    const batches = [...rowsToBatches([], s), ...rowsToBatches(Array.from({ length: 50 }, () => ({ s: null })), s)];
    const encoded = dictionaryEncodeTable(batches);
    expect(batchesToRows(encoded)).toEqual(Array.from({ length: 50 }, () => ({ s: null })));
  });
});

describe("toArrow keeps dictionaries per batch", () => {
  it("emits one Dictionary<Int32, Utf8> column for batches with different dictionaries and plain UTF-8 batches", () => {
    const s: Schema = { fields: [{ name: "c", type: Types.string, nullable: true }] };
    const a = dictionaryEncodeTable(rowsToBatches([{ c: "x" }, { c: null }, { c: "y" }, { c: "x" }], s));
    const b = dictionaryEncodeTable(rowsToBatches([{ c: "日本" }, { c: "z" }, { c: "日本" }, { c: "z" }], s));
    const plain = rowsToBatches([{ c: "p" }, { c: null }, { c: "q" }], s);
    expect(encodingOf(a[0]!.columns[0]!)).toBe("dict");
    expect(encodingOf(b[0]!.columns[0]!)).toBe("dict");
    const t = batchesToArrow([...a, ...b, ...plain], s);
    expect(ArrowType.isDictionary(t.schema.fields[0]!.type)).toBe(true);
    const want = ["x", null, "y", "x", "日本", "z", "日本", "z", "p", null, "q"];
    expect(t.getChild("c")!.toArray()).toEqual(want);
    expect([...tableFromIPC(tableToIPC(t)).getChild("c")!]).toEqual(want);
  });

  it("keeps plain UTF-8 when no batch is dictionary-encoded", () => {
    const s: Schema = { fields: [{ name: "c", type: Types.string, nullable: true }] };
    const t = batchesToArrow(rowsToBatches([{ c: "a" }, { c: null }], s), s);
    expect(ArrowType.isUtf8(t.schema.fields[0]!.type)).toBe(true);
    expect(t.getChild("c")!.toArray()).toEqual(["a", null]);
  });
});

describe("one gather for every caller", () => {
  it("takeRows (driver, shuffle) and takeBatch (operators) agree, over dictionary and plain strings with nulls", () => {
    const { batches, data } = table(3_000, 3_000);
    const [encoded] = dictionaryEncodeTable(batches);
    const picks = [2999, 0, 11, 11, 1500, 22];
    const viaRows = takeRows(encoded!, Uint32Array.from(picks));
    const viaTake = takeBatch(encoded!, Int32Array.from(picks));
    expect(batchesToRows([viaRows])).toEqual(picks.map((i) => data[i]));
    expect(batchesToRows([viaTake])).toEqual(picks.map((i) => data[i]));
  });

  it("pads -1 with nulls in every column, dictionary codes included", () => {
    const { batches, data } = table(100, 100);
    const [encoded] = dictionaryEncodeTable(batches);
    const idx = Int32Array.from([5, -1, 7]);
    const cols = takeColumns(encoded!.columns, idx);
    const rows = batchesToRows([{ schema, length: 3, columns: cols }]);
    expect(rows).toEqual([data[5], { low: null, high: null, n: null }, data[7]]);
  });
});

describe("createDataFrame(arrowTable) input", () => {
  it("reads validity at byte-aligned and unaligned offsets and dictionary vectors (codes viewed, not widened)", () => {
    const n = 40;
    const nums = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : i));
    const words = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? null : ["red", "green", "blue"][i % 3]!));
    const flags = nums.map((x) => (x === null ? null : x % 2 === 0));
    const t = new Table({
      x: vectorFromArray(nums, new Int32()), w: vectorFromArray(words, new Dictionary(new Utf8(), new Int32())),
      s: vectorFromArray(words, new Utf8()), f: vectorFromArray(nums.map((x) => (x === null ? null : x / 2)), new Float64()), b: vectorFromArray(flags, new Bool()),
    });
    for (const start of [0, 8, 5]) {
      const sliced = t.slice(start);
      const rows = batchesToRows(arrowToBatches(sliced));
      expect(rows).toEqual(nums.slice(start).map((x, i) => ({ x, w: words[start + i], s: words[start + i], f: x === null ? null : x / 2, b: flags[start + i] })));
    }
  });
});
