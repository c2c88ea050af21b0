/** Test helper: an int32 or float64 column from JS numbers, null entries as cleared validity bits. */
import type { Column } from "../../../../../runtime/batch/column.js";
import { Types } from "../../../../../runtime/expr/types.js";

export type NumericKind = "int32" | "float64";

export function numericColumn(kind: NumericKind, values: readonly (number | null)[]): Column {
  const n = values.length;
  const arr = kind === "int32" ? new Int32Array(n) : new Float64Array(n);
  const anyNull = values.some((v) => v === null);
  const validity = anyNull ? new Uint8Array((n + 7) >>> 3) : undefined;
  values.forEach((v, i) => { if (v !== null) { arr[i] = v; if (validity) validity[i >>> 3]! |= 1 << (i & 7); } });
  return { type: kind === "int32" ? Types.int32 : Types.float64, length: n, values: arr, validity } as Column;
}
