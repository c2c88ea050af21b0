/**
 * Columnar batches in Arrow layout, as plain objects of typed arrays so they cross threads by
 * transfer (or live in SharedArrayBuffer for read-many data) and never become per-row JS objects.
 * runtime/batch also converts to and from apache-arrow Tables (toArrow, createDataFrame(arrowTable))
 * and to plain rows at the edge (collect, show).
 */
import type { DataType, Schema } from "../expr/types.js";

/** Validity bitmap: bit i (LSB-first, Arrow order) set = row i is valid. Absent = no nulls. */
export type Validity = Uint8Array | undefined;

export type Column =
  | { readonly type: DataType & { kind: "null" }; readonly length: number }
  | { readonly type: DataType & { kind: "bool" }; readonly length: number; readonly values: Uint8Array; readonly validity: Validity }
  | { readonly type: DataType & { kind: "int32" | "date" }; readonly length: number; readonly values: Int32Array; readonly validity: Validity }
  | { readonly type: DataType & { kind: "int64" | "timestamp" | "decimal" }; readonly length: number; readonly values: BigInt64Array; readonly validity: Validity }
  | { readonly type: DataType & { kind: "float64" }; readonly length: number; readonly values: Float64Array; readonly validity: Validity }
  /** UTF-8: row i is bytes[offsets[i] .. offsets[i+1]). */
  | { readonly type: DataType & { kind: "string" }; readonly length: number; readonly encoding: "utf8"; readonly offsets: Int32Array; readonly bytes: Uint8Array; readonly validity: Validity }
  /** Dictionary-encoded string: row i is dictionary[codes[i]]; group and join on the codes. */
  | { readonly type: DataType & { kind: "string" }; readonly length: number; readonly encoding: "dict"; readonly codes: Int32Array; readonly dictionary: Column & { encoding: "utf8" }; readonly validity: Validity }
  | { readonly type: DataType & { kind: "list" }; readonly length: number; readonly offsets: Int32Array; readonly child: Column; readonly validity: Validity };

export interface Batch {
  readonly schema: Schema;
  readonly length: number;
  readonly columns: readonly Column[];
}
