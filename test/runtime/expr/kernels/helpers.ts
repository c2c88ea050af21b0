/** Test helpers: build batches from JS values and read columns back as JS values. */
import type { Batch, Column } from "../../../../runtime/batch/column.js";
import { compileExpr } from "../../../../runtime/expr/kernels/compile.js";
import { buildColumn, valueAt } from "../../../../runtime/expr/kernels/columns.js";
import type { Expr, LiteralValue } from "../../../../runtime/expr/ir.js";
import { type DataType, type Field, Types } from "../../../../runtime/expr/types.js";

export function batchOf(cols: Record<string, [DataType, LiteralValue[]]>, qualifier?: string): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  let length = 0;
  for (const [name, [type, values]] of Object.entries(cols)) {
    fields.push({ name, type, nullable: true, qualifier });
    columns.push(buildColumn(type, values));
    length = values.length;
  }
  return { schema: { fields }, length, columns };
}

/** A dictionary-encoded string column from JS values. */
export function dictColumn(values: (string | null)[]): Column {
  const dict = [...new Set(values.filter((v): v is string => v !== null))];
  const codes = new Int32Array(values.map((v) => (v === null ? 0 : dict.indexOf(v))));
  const dictionary = buildColumn(Types.string, dict);
  const validity = new Uint8Array((values.length + 7) >> 3);
  values.forEach((v, i) => { if (v !== null) validity[i >> 3]! |= 1 << (i & 7); });
  return { type: Types.string, length: values.length, encoding: "dict", codes, dictionary, validity } as Column;
}

export function valuesOf(c: Column): LiteralValue[] {
  return Array.from({ length: c.length }, (_, i) => valueAt(c, i));
}

export function evalExpr(expr: Expr, batch: Batch): LiteralValue[] {
  return valuesOf(compileExpr(expr, batch.schema).evaluate(batch));
}

export const col = (name: string, qualifier?: string): Expr => ({ kind: "Column", name, qualifier });
export const lit = (value: LiteralValue, type: DataType): Expr => ({ kind: "Literal", value, type });
export const call = (fn: string, ...args: Expr[]): Expr => ({ kind: "Call", fn, args });
export const bin = (op: Extract<Expr, { kind: "Binary" }>["op"], left: Expr, right: Expr): Expr => ({ kind: "Binary", op, left, right });
export const str = (s: string | null): Expr => lit(s, Types.string);
export const i32 = (n: number | null): Expr => lit(n, Types.int32);
export const f64 = (n: number | null): Expr => lit(n, Types.float64);
