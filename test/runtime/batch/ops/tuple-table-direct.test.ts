/**
 * TupleKeyTable in direct (perfect hashing) mode, through KeyTable: 0 to 4 varying key columns,
 * new tuples arriving in the middle of later batches, constant columns, empty batches. Ids must be
 * dense and first-seen, the same as a Map over the tuples gives.
 */
import { describe, expect, it } from "vitest";
import type { Column } from "../../../../runtime/batch/column.js";
import { Types } from "../../../../runtime/expr/types.js";
import { KeyTable } from "../../../../runtime/batch/ops/key-table.js";

const int32 = (values: number[]): Column => ({ type: Types.int32, length: values.length, values: Int32Array.from(values), validity: undefined });

function referenceIds(batches: number[][][]): number[][] {
  const seen = new Map<string, number>();
  return batches.map((cols) => Array.from({ length: cols[0]!.length }, (_, i) => {
    const key = cols.map((c) => c[i]).join(",");
    if (!seen.has(key)) seen.set(key, seen.size);
    return seen.get(key)!;
  }));
}

/** Batch b of column c: values that widen slowly, so later batches bring new tuples mid-batch. */
function makeBatches(columns: number, batches: number, rows: number, varying: number): number[][][] {
  let s = 17;
  const rnd = (m: number) => { s = (s * 1103515245 + 12345) % 2147483648; return s % m; };
  return Array.from({ length: batches }, (_, b) => Array.from({ length: columns }, (_, c) =>
    Array.from({ length: b === 1 ? 0 : rows }, () => (c < varying ? rnd(3 + b) - c : 5))));
}

describe("TupleKeyTable direct mode", () => {
  it.each([[2, 0], [2, 1], [2, 2], [3, 3], [5, 4], [5, 5]])("%i int32 key columns, %i of them varying: dense first-seen ids over many batches", (columns, varying) => {
    const batches = makeBatches(columns, 8, 300, varying);
    const table = new KeyTable(Array.from({ length: columns }, () => Types.int32));
    const got = batches.map((cols) => {
      const n = cols[0]!.length, out = new Int32Array(n);
      table.map(cols.map(int32), n, out, true);
      return [...out];
    });
    expect(got).toEqual(referenceIds(batches));
    const expectedGroups = new Set(batches.flatMap((cols) => Array.from({ length: cols[0]!.length }, (_, i) => cols.map((c) => c[i]).join(",")))).size;
    expect(table.size).toBe(expectedGroups);
    // Looking the same rows up again (no insert) finds the same ids.
    const last = batches[batches.length - 1]!, out = new Int32Array(last[0]!.length);
    table.map(last.map(int32), out.length, out, false);
    expect([...out]).toEqual(got[got.length - 1]);
  });
});
