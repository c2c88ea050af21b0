/** Named variants of the Column union (runtime/batch/column.ts) for narrowing in kernels. */
import type { Column } from "../column.js";

export type Utf8Column = Extract<Column, { encoding: "utf8" }>;
export type DictColumn = Extract<Column, { encoding: "dict" }>;
export type StringColumn = Utf8Column | DictColumn;
export type ListColumn = Extract<Column, { child: Column }>;
export type Float64Column = Extract<Column, { values: Float64Array }>;
export type Int32Column = Extract<Column, { values: Int32Array }>;
export type BigIntColumn = Extract<Column, { values: BigInt64Array }>;
export type BoolColumn = Extract<Column, { values: Uint8Array }>;
