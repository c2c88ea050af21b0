/**
 * Registration's split of the dictionary work: the driver picks the columns from a sample of the
 * whole table (columnsWorthEncoding), each partition encodes them with its own dictionary
 * (encodeColumns). toSharedByColumn keeps each column in its own shared buffer.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../runtime/batch/column.js";
import type { DictColumn } from "../../../runtime/batch/kinds.js";
import { toSharedByColumn } from "../../../runtime/batch/buffers.js";
import { columnsWorthEncoding, encodeColumns } from "../../../runtime/batch/dictionary.js";
import { batchesToRows, rowsToBatches } from "../../../runtime/batch/rows.js";
import type { Schema } from "../../../runtime/expr/types.js";
import { Types } from "../../../runtime/expr/types.js";

const schema: Schema = {
  fields: [
    { name: "low", type: Types.string, nullable: true },
    { name: "id", type: Types.string, nullable: false },
    { name: "n", type: Types.int32, nullable: false },
  ],
};
const rows = Array.from({ length: 50_000 }, (_, i) => ({ low: i % 9 === 0 ? null : `c${(i * 13) % 40}`, id: `u${i}`, n: i }));
const encodingOf = (c: Column): string => ("encoding" in c ? c.encoding : c.type.kind);

describe("columnsWorthEncoding + encodeColumns", () => {
  it("picks the low-cardinality string column only, from the whole table", () => {
    expect(columnsWorthEncoding(rowsToBatches(rows, schema, 4_000))).toEqual([0]);
    expect(columnsWorthEncoding([])).toEqual([]);
  });

  it("encodes the chosen columns of one partition under one dictionary, nulls kept, rows unchanged", () => {
    const batches = rowsToBatches(rows.slice(0, 9_000), schema, 2_000); // 5 batches, the last one short
    const encoded = encodeColumns(batches, [0]);
    expect(batchesToRows(encoded)).toEqual(rows.slice(0, 9_000));
    expect(encoded.map((b) => encodingOf(b.columns[0]!))).toEqual(["dict", "dict", "dict", "dict", "dict"]);
    expect(encoded.map((b) => encodingOf(b.columns[1]!))).toEqual(["utf8", "utf8", "utf8", "utf8", "utf8"]);
    expect(new Set(encoded.map((b) => (b.columns[0] as DictColumn).dictionary)).size).toBe(1);
    expect((encoded[0]!.columns[0] as DictColumn).dictionary.length).toBe(40);
    // the input is not changed: its column is still plain UTF-8
    expect(encodingOf(batches[0]!.columns[0]!)).toBe("utf8");
  });

  it("encodes a chosen column even when this partition's values are all distinct (partitions must agree)", () => {
    const encoded = encodeColumns(rowsToBatches(rows.slice(0, 100), schema), [1]);
    expect(encodingOf(encoded[0]!.columns[1]!)).toBe("dict");
    expect(batchesToRows(encoded)).toEqual(rows.slice(0, 100));
  });

  it("leaves a chosen index alone when it is not plain UTF-8, and handles empty and all-null batches", () => {
    const s: Schema = { fields: [{ name: "s", type: Types.string, nullable: true }] };
    const input = [...rowsToBatches([], s), ...rowsToBatches(Array.from({ length: 20 }, () => ({ s: null })), s)];
    expect(batchesToRows(encodeColumns(input, [0]))).toEqual(Array.from({ length: 20 }, () => ({ s: null })));
    const ints = rowsToBatches(rows.slice(0, 10), schema);
    expect(encodingOf(encodeColumns(ints, [2])[0]!.columns[2]!)).toBe("int32");
  });
});

describe("toSharedByColumn", () => {
  it("copies each column into its own shared buffer, same rows", () => {
    const [batch] = rowsToBatches(rows.slice(0, 500), schema);
    const shared = toSharedByColumn(batch!);
    expect(batchesToRows([shared])).toEqual(rows.slice(0, 500));
    const buffers = shared.columns.map((c) => ((c as { values?: Int32Array; offsets?: Int32Array }).values ?? (c as { offsets: Int32Array }).offsets).buffer);
    expect(buffers.every((b) => b instanceof SharedArrayBuffer)).toBe(true);
    expect(new Set(buffers).size).toBe(3);
    expect(toSharedByColumn(shared)).toBe(shared);
  });
});
