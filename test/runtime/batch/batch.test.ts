import { describe, expect, it } from "vitest";
import type { Batch } from "../../../runtime/batch/column.js";
import { batchBytes, isShared, toShared, transferList } from "../../../runtime/batch/buffers.js";
import { concatBatches, sliceBatch, takeRows } from "../../../runtime/batch/gather.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import { allocValidity, isValid, setValid } from "../../../runtime/batch/validity.js";
import { arrowToBatches, batchesToArrow } from "../../../runtime/batch/arrow.js";
import type { Schema } from "../../../runtime/expr/types.js";
import { Types } from "../../../runtime/expr/types.js";
import { tableFromIPC, tableToIPC } from "apache-arrow";

const schema: Schema = {
  fields: [
    { name: "id", type: Types.int32, nullable: false },
    { name: "big", type: Types.int64, nullable: true },
    { name: "x", type: Types.float64, nullable: true },
    { name: "name", type: Types.string, nullable: true },
    { name: "ok", type: Types.bool, nullable: true },
    { name: "day", type: Types.date, nullable: true },
    { name: "at", type: Types.timestamp, nullable: true },
    { name: "tags", type: Types.list(Types.string), nullable: true },
  ],
};

const rows = [
  { id: 1, big: 5, x: 1.5, name: "ann", ok: true, day: new Date("2024-01-02T00:00:00Z"), at: new Date("2024-01-02T03:04:05.678Z"), tags: ["a", "b"] },
  { id: 2, big: 2n ** 60n, x: null, name: "日本語", ok: false, day: null, at: null, tags: [] },
  { id: 3, big: null, x: -0.25, name: null, ok: null, day: new Date("1969-12-31T00:00:00Z"), at: new Date("1969-12-31T23:59:59.999Z"), tags: null },
  { id: 4, big: -7, x: 1e300, name: "", ok: true, day: new Date("2000-02-29T00:00:00Z"), at: new Date(0), tags: ["ü"] },
];

describe("rows <-> batches", () => {
  it("round-trips every type, splitting into batches of the requested size", () => {
    const batches = rowsToBatches(rows, schema, 3);
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    expect(batchesToRows(batches)).toEqual(rows);
  });

  it("names the row and column of a value that does not fit, with a fix", () => {
    expect(() => rowsToBatches([{ id: 1 }, { id: 2 }, { id: "three" }], { fields: [schema.fields[0]!] }, 2)).toThrow(
      /Row 2, column "id": cannot store "three" \(string\) as int32/,
    );
  });
});

describe("validity", () => {
  it("sets and reads bits LSB first", () => {
    const v = allocValidity(10, true);
    setValid(v, 9, false);
    setValid(v, 0, false);
    expect([...Array(10).keys()].map((i) => isValid(v, i))).toEqual([false, true, true, true, true, true, true, true, true, false]);
    expect(isValid(undefined, 3)).toBe(true);
  });
});

describe("slice, take, concat", () => {
  const [batch] = rowsToBatches(rows, schema);
  it("slices rows with their own buffers", () => {
    const s = sliceBatch(batch!, 1, 3);
    expect(batchesToRows([s])).toEqual(rows.slice(1, 3));
    expect(transferList(s).some((b) => transferList(batch!).includes(b))).toBe(false);
  });
  it("slices as views that read the same rows, and toShared turns them into independent copies", async () => {
    const { sliceView } = await import("../../../runtime/batch/gather.js");
    for (const [a, b] of [[0, 4], [1, 3], [3, 4], [2, 2]] as const) {
      const v = sliceView(batch!, a, b);
      expect(batchesToRows([v])).toEqual(rows.slice(a, b));
      expect(batchesToRows([toShared(v)])).toEqual(rows.slice(a, b));
    }
  });
  it("gathers rows by index, repeats included, strings as bytes", () => {
    const t = takeRows(batch!, Uint32Array.from([3, 0, 3, 1]));
    expect(batchesToRows([t])).toEqual([rows[3], rows[0], rows[3], rows[1]]);
  });
  it("concatenates batches back to the original rows", () => {
    const parts = [sliceBatch(batch!, 0, 1), sliceBatch(batch!, 1, 2), sliceBatch(batch!, 2, 4)];
    expect(batchesToRows([concatBatches(parts)])).toEqual(rows);
  });
});

describe("buffers", () => {
  it("counts bytes, lists transferable buffers once and copies into SharedArrayBuffer", () => {
    const [batch] = rowsToBatches(rows, schema) as [Batch];
    expect(batchBytes(batch)).toBeGreaterThan(4 * 4 + 4 * 8 * 3);
    const list = transferList([batch, batch]);
    expect(new Set(list).size).toBe(list.length);
    const shared = toShared(batch);
    expect(isShared(shared)).toBe(true);
    expect(transferList(shared)).toEqual([]);
    expect(batchesToRows([shared])).toEqual(rows);
  });
});

describe("arrow", () => {
  it("round-trips through an Arrow table and IPC bytes", () => {
    const batches = rowsToBatches(rows, schema, 2);
    const table = batchesToArrow(batches, schema);
    expect(table.numRows).toBe(4);
    const back = arrowToBatches(tableFromIPC(tableToIPC(table)));
    expect(back[0]!.schema.fields.map((f) => f.type.kind)).toEqual(schema.fields.map((f) => f.type.kind));
    expect(batchesToRows(back)).toEqual(rows);
  });
});

describe("dictionary encoding", () => {
  it("encodes low-cardinality strings with one dictionary shared by all batches, kept through toShared", async () => {
    const { dictionaryEncodeTable } = await import("../../../runtime/batch/dictionary.js");
    const strSchema: Schema = { fields: [{ name: "c", type: Types.string, nullable: true }, { name: "u", type: Types.string, nullable: false }] };
    const data = Array.from({ length: 40 }, (_, i) => ({ c: i % 7 === 0 ? null : ["oslo", "lima", "日本"][i % 3]!, u: `unique-${i}` }));
    const encoded = dictionaryEncodeTable(rowsToBatches(data, strSchema, 16));
    const dicts = encoded.map((b) => b.columns[0] as { encoding: string; dictionary?: unknown });
    expect(dicts.every((c) => c.encoding === "dict")).toBe(true);
    expect(new Set(dicts.map((c) => c.dictionary)).size).toBe(1);
    expect((encoded[0]!.columns[1] as { encoding: string }).encoding).toBe("utf8"); // all distinct: left alone
    expect(batchesToRows(encoded)).toEqual(data);
    const shared = encoded.map(toShared);
    expect(new Set(shared.map((b) => (b.columns[0] as { dictionary?: unknown }).dictionary)).size).toBe(1);
    expect(batchesToRows(shared)).toEqual(data);
  });
});

describe("concatenating dictionary columns with different dictionaries", () => {
  const strSchema: Schema = { fields: [{ name: "s", type: Types.string, nullable: true }] };
  /** One batch per piece, each dictionary-encoded on its own (as each partition of a table is). */
  const pieces = async (values: (string | null)[][]): Promise<Batch[]> => {
    const { encodeColumns } = await import("../../../runtime/batch/dictionary.js");
    return values.map((v) => encodeColumns(rowsToBatches(v.map((s) => ({ s })), strSchema), [0])[0]!);
  };
  const kind = (b: Batch): string => (b.columns[0] as { encoding?: string }).encoding ?? "none";

  it("merges small dictionaries into one and keeps codes", async () => {
    const values = [["a", "b", null, "a", "b", "a"], ["b", "c", "c", "b", null, "c"], ["a", "a", "a", "c", "c", "a"]];
    const parts = await pieces(values);
    expect(parts.map(kind)).toEqual(["dict", "dict", "dict"]);
    const all = concatBatches(parts);
    expect(kind(all)).toBe("dict");
    expect((all.columns[0] as { dictionary: { length: number } }).dictionary.length).toBe(3);
    expect(batchesToRows([all]).map((r) => r["s"])).toEqual(values.flat());
  });

  it("turns to UTF-8 when the dictionaries are as big as the rows", async () => {
    const values = [["a", "b"], ["c", "d"], ["e", null]];
    const parts = await pieces(values);
    const all = concatBatches(parts);
    expect(kind(all)).toBe("utf8");
    expect(batchesToRows([all]).map((r) => r["s"])).toEqual(values.flat());
  });
});
