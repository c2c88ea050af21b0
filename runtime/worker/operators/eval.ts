/**
 * How operators evaluate expressions. Column references and aliases are resolved here without
 * any copying (they are most of what operators see: keys, projections, aggregate arguments);
 * everything else goes to the vectorized expression compiler (runtime/expr/kernels/compile.ts).
 */
import type { Batch, Column } from "../../batch/column.js";
import type { Expr } from "../../expr/ir.js";
import type { DataType, Schema } from "../../expr/types.js";
import { isValidAt } from "../../batch/ops/validity.js";
import { compileExpr as compileWithKernels, compilePredicate as predicateWithKernels } from "../../expr/kernels/compile.js";
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
    default:
      return delegate(expr, schema);
  }
}

/** Selected row indices where the predicate is true (null and false drop the row). */
export function compilePredicate(expr: Expr, schema: Schema): (batch: Batch) => Uint32Array {
  if (expr.kind !== "Column") return predicateWithKernels(expr, schema);
  const compiled = compileExpr(expr, schema);
  if (compiled.type.kind !== "bool" && compiled.type.kind !== "null") {
    throw new OperatorError(`filter condition must be boolean, got column "${expr.name}" of type ${compiled.type.kind}`);
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

function delegate(expr: Expr, schema: Schema): CompiledExpr {
  return compileWithKernels(expr, schema);
}
