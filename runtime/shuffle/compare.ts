/**
 * Row comparison across columns for range partitioning (sort order with nulls first/last).
 * Strings compare by UTF-8 bytes (= code point order), floats put NaN above every number,
 * like Spark.
 */
import type { Column } from "../batch/column.js";
import type { NullableColumn, StringColumn, ValuesColumn } from "../batch/kinds.js";
import { isValid } from "../batch/validity.js";

function stringBytes(c: StringColumn, i: number): [Uint8Array, number, number] {
  if (c.encoding === "dict") return stringBytes(c.dictionary as StringColumn, c.codes[i]!);
  return [c.bytes, c.offsets[i]!, c.offsets[i + 1]!];
}

/** Compares non-null values a[i] and b[j] of the same type: negative, 0 or positive. */
export function compareValues(a: Column, i: number, b: Column, j: number): number {
  switch (a.type.kind) {
    case "null":
      return 0;
    case "string": {
      const [ab, as, ae] = stringBytes(a as StringColumn, i);
      const [bb, bs, be] = stringBytes(b as StringColumn, j);
      const n = Math.min(ae - as, be - bs);
      for (let k = 0; k < n; k++) {
        const d = ab[as + k]! - bb[bs + k]!;
        if (d !== 0) return d;
      }
      return ae - as - (be - bs);
    }
    case "float64": {
      const x = (a as ValuesColumn).values[i] as number;
      const y = (b as ValuesColumn).values[j] as number;
      if (x !== x) return y !== y ? 0 : 1;
      if (y !== y) return -1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case "list":
      throw new Error("Cannot sort or range-partition by a list column; sort by a scalar column instead.");
    default: {
      const x = (a as ValuesColumn).values[i]!;
      const y = (b as ValuesColumn).values[j]!;
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}

export interface SortKey {
  readonly ascending: boolean;
  readonly nullsFirst: boolean;
}

/** Compares row i of key columns `a` with row j of key columns `b` under `order`. */
export function compareRows(a: readonly Column[], i: number, b: readonly Column[], j: number, order: readonly SortKey[]): number {
  for (let k = 0; k < order.length; k++) {
    const ca = a[k]!;
    const cb = b[k]!;
    const va = ca.type.kind !== "null" && isValid((ca as NullableColumn).validity, i);
    const vb = cb.type.kind !== "null" && isValid((cb as NullableColumn).validity, j);
    const o = order[k]!;
    if (!va || !vb) {
      if (va === vb) continue;
      return !va === o.nullsFirst ? -1 : 1;
    }
    const c = compareValues(ca, i, cb, j);
    if (c !== 0) return o.ascending ? c : -c;
  }
  return 0;
}
