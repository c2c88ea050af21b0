/** Named members of the Column union, for code that switches on layout. */
import type { Column } from "./column.js";

export type Utf8Column = Extract<Column, { encoding: "utf8" }>;
export type DictColumn = Extract<Column, { encoding: "dict" }>;
export type StringColumn = Utf8Column | DictColumn;
export type ListColumn = Extract<Column, { child: Column }>;
export type ValuesColumn = Extract<Column, { values: unknown }>;
export type NullableColumn = Extract<Column, { validity: unknown }>;
