/** Named variants of the Column union (runtime/batch/column.ts) for narrowing in kernels. */
import type { Column } from "../column.js";

// The string and list variants are defined once, in runtime/batch/kinds.ts.
export type { DictColumn, ListColumn, StringColumn, Utf8Column } from "../kinds.js";
export type Float64Column = Extract<Column, { values: Float64Array }>;
export type Int32Column = Extract<Column, { values: Int32Array }>;
export type BigIntColumn = Extract<Column, { values: BigInt64Array }>;
export type BoolColumn = Extract<Column, { values: Uint8Array }>;
