/**
 * How operators evaluate expressions. Column references, aliases and literals are handled here
 * (they are most of what operators see: keys, projections, aggregate arguments); everything else
 * is delegated to the vectorized expression compiler (runtime/expr/kernels/compile.ts) once it is
 * wired in below.
 */
import type { Batch, Column } from "../../batch/column.js";
import type { Expr, LiteralValue } from "../../expr/ir.js";
import type { DataType, Schema } from "../../expr/types.js";
import { bitmapBytes, isValidAt } from "../../batch/ops/validity.js";
import { OperatorError } from "./errors.js";

export interface CompiledExpr {
  readonly type: DataType;
  evaluate(batch: Batch): Column;
}

export function resolveColumnIndex(schema: Schema, name: string, qualifier?: string): number {
  const fields = schema.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.name === name && (qualifier === undefined || f.qualifier === undefined || f.qualifier === qualifier)) return i;
  }
  const known = fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(", ");
  throw new OperatorError(`Column "${qualifier ? qualifier + "." : ""}${name}" not found; the input has: ${known}`);
}

/** Output name of an expression in a projection. */
export function exprName(expr: Expr): string {
  switch (expr.kind) {
    case "Alias": return expr.name;
    case "Column": return expr.name;
    default: return JSON.stringify(expr, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)).slice(0, 60);
  }
}

export function compileExpr(expr: Expr, schema: Schema): CompiledExpr {
  switch (expr.kind) {
    case "Alias":
      return compileExpr(expr.expr, schema);
    case "Column": {
      const i = resolveColumnIndex(schema, expr.name, expr.qualifier);
      return { type: schema.fields[i]!.type, evaluate: (b) => b.columns[i]! };
    }
    case "Literal": {
      const { value, type } = expr;
      return { type, evaluate: (b) => literalColumn(value, type, b.length) };
    }
    case "Cast":
      if (expr.to.kind === "float64") {
        const inner = compileExpr(expr.expr, schema);
        if (inner.type.kind === "int32" || inner.type.kind === "float64") {
          return { type: expr.to, evaluate: (b) => toFloat64(inner.evaluate(b)) };
        }
      }
      return delegate(expr, schema);
    default:
      return delegate(expr, schema);
  }
}

/** Selected row indices where the predicate is true (null and false drop the row). */
export function compilePredicate(expr: Expr, schema: Schema): (batch: Batch) => Uint32Array {
  const compiled = compileExpr(expr, schema);
  if (compiled.type.kind !== "bool" && compiled.type.kind !== "null") {
    throw new OperatorError(`filter condition must be boolean, got ${compiled.type.kind}`);
  }
  return (batch) => {
    const col = compiled.evaluate(batch);
    if (col.type.kind === "null") return new Uint32Array(0);
    const { values, validity } = col as { values: Uint8Array; validity: Uint8Array | undefined };
    let n = 0;
    const out = new Uint32Array(batch.length);
    for (let i = 0; i < batch.length; i++) if (values[i] !== 0 && isValidAt(validity, i)) out[n++] = i;
    return out.subarray(0, n);
  };
}

function delegate(expr: Expr, _schema: Schema): CompiledExpr {
  throw new OperatorError(`expression kind "${expr.kind}" needs the expression compiler (runtime/expr/kernels/compile.ts), which is not wired in yet`);
}

function toFloat64(col: Column): Column {
  if (col.type.kind === "float64") return col;
  const src = (col as { values: Int32Array }).values;
  const out = new Float64Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = src[i]!;
  return { type: { kind: "float64" }, length: col.length, values: out, validity: (col as { validity: Uint8Array | undefined }).validity };
}

export function literalColumn(value: LiteralValue, type: DataType, length: number): Column {
  const validity = value === null ? new Uint8Array(bitmapBytes(length)) : undefined;
  switch (type.kind) {
    case "null": return { type, length };
    case "bool": return { type, length, values: new Uint8Array(length).fill(value ? 1 : 0), validity };
    case "int32": case "date": return { type, length, values: new Int32Array(length).fill(Number(value ?? 0)), validity };
    case "int64": case "timestamp": case "decimal":
      return { type, length, values: new BigInt64Array(length).fill(BigInt((value as bigint | number | null) ?? 0)), validity };
    case "float64": return { type, length, values: new Float64Array(length).fill(Number(value ?? 0)), validity };
    case "string": {
      const one = new TextEncoder().encode(String(value ?? ""));
      const bytes = new Uint8Array(value === null ? 0 : one.length);
      bytes.set(value === null ? new Uint8Array(0) : one);
      const dictionary = { type, length: 1, encoding: "utf8" as const, offsets: Int32Array.of(0, bytes.length), bytes, validity: undefined };
      return { type, length, encoding: "dict", codes: new Int32Array(length), dictionary, validity };
    }
    case "list":
      throw new OperatorError("list literals are not supported in this position");
  }
}
