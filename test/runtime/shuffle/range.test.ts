import { describe, expect, it } from "vitest";
import { rowsToBatches, batchesToRows } from "../../../runtime/batch/rows.js";
import { makeRouter } from "../../../runtime/shuffle/partitioner.js";
import { compareRows } from "../../../runtime/shuffle/compare.js";
import { rangeBounds } from "../../../runtime/scheduler/range-bounds.js";
import type { SortOrder } from "../../../runtime/expr/ir.js";
import type { Schema } from "../../../runtime/expr/types.js";

const schema: Schema = { fields: [{ name: "x", type: { kind: "float64" }, nullable: true }, { name: "s", type: { kind: "string" }, nullable: true }] };
const values = [3.5, null, -1, NaN, 10, 2, null, 7, -0, 0, 99, 3.5, 1e9];
const rows = values.flatMap((x, i) => [{ x, s: i % 3 === 0 ? null : `s${i % 4}` }, { x, s: "é" }]);

function check(order: SortOrder[], n: number): void {
  const [batch] = rowsToBatches(rows, schema);
  const keyCols = order.map((o) => batch!.columns[schema.fields.findIndex((f) => f.name === (o.expr as { name: string }).name)]!);
  const sample = { schema: { fields: order.map((o, i) => ({ name: `k${i}`, type: keyCols[i]!.type, nullable: true })) }, length: batch!.length, columns: keyCols };
  const bounds = rangeBounds([sample], order, n);
  const route = makeRouter({ kind: "range", order, n }, schema, 0, bounds);
  const ids = route(batch!);
  // Sorting rows by the order must give non-decreasing partition ids.
  const idx = [...Array(batch!.length).keys()].sort((a, b) => compareRows(keyCols, a, keyCols, b, order));
  for (let i = 1; i < idx.length; i++) expect(ids[idx[i]!]!).toBeGreaterThanOrEqual(ids[idx[i - 1]!]!);
  // Equal keys never straddle two partitions, and more than one partition is used.
  expect(new Set(ids).size).toBeGreaterThan(1);
  for (let i = 1; i < idx.length; i++) if (compareRows(keyCols, idx[i]!, keyCols, idx[i - 1]!, order) === 0) expect(ids[idx[i]!]).toBe(ids[idx[i - 1]!]);
}

describe("range partitioning", () => {
  it("routes rows so that partitions follow the sort order, nulls first ascending", () => {
    check([{ expr: { kind: "Column", name: "x" }, ascending: true, nullsFirst: true }], 4);
  });
  it("handles descending with nulls last, NaN above every number, and a second string key", () => {
    check([{ expr: { kind: "Column", name: "x" }, ascending: false, nullsFirst: false }, { expr: { kind: "Column", name: "s" }, ascending: true, nullsFirst: false }], 5);
  });
  it("orders NaN after +Infinity-like values and nulls per nullsFirst", () => {
    const [b] = rowsToBatches([{ x: NaN, s: null }, { x: 1e300, s: null }, { x: null, s: null }], schema);
    const cols = [b!.columns[0]!];
    const asc = [{ ascending: true, nullsFirst: true }];
    expect(compareRows(cols, 0, cols, 1, asc)).toBeGreaterThan(0);
    expect(compareRows(cols, 2, cols, 1, asc)).toBeLessThan(0);
    expect(compareRows(cols, 2, cols, 1, [{ ascending: true, nullsFirst: false }])).toBeGreaterThan(0);
    expect(batchesToRows([b!])).toHaveLength(3);
  });
});
