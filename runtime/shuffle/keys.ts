/**
 * Evaluates partitioning / sort key expressions over a batch. Plain column references (by far
 * the common case) are looked up directly; other expressions go through the expression compiler.
 */
import type { Batch, Column } from "../batch/column.js";
import type { Expr } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";

export type KeyEvaluator = (batch: Batch) => Column[];

/** Index of a column reference in a schema, or -1. A qualifier, when given, must match too. */
export function columnIndex(schema: Schema, name: string, qualifier?: string): number {
  const byName = schema.fields.map((f, i) => [f, i] as const).filter(([f]) => f.name === name);
  if (byName.length === 1 || qualifier === undefined) return byName[0]?.[1] ?? -1;
  return byName.find(([f]) => f.qualifier === qualifier)?.[1] ?? -1;
}

function plainColumn(expr: Expr): { name: string; qualifier?: string } | undefined {
  if (expr.kind === "Column") return expr;
  if (expr.kind === "Alias") return plainColumn(expr.expr);
  return undefined;
}

/** Compiled expression: `(batch) => Column`; supplied by the expression compiler when present. */
export type ExprCompiler = (expr: Expr, schema: Schema) => (batch: Batch) => Column;

export function keyEvaluator(exprs: readonly Expr[], schema: Schema, compile?: ExprCompiler): KeyEvaluator {
  const parts = exprs.map((e) => {
    const col = plainColumn(e);
    if (col !== undefined) {
      const i = columnIndex(schema, col.name, col.qualifier);
      if (i < 0) {
        const names = schema.fields.map((f) => f.name).join(", ");
        throw new Error(`Partitioning key column "${col.name}" is not in the data being shuffled (columns: ${names}). This is a planner bug; please report the query.`);
      }
      return (b: Batch): Column => b.columns[i]!;
    }
    if (compile === undefined) throw new Error(`Partitioning by the expression ${JSON.stringify(e.kind)} needs the expression compiler, which is not loaded; partition by a column instead (withColumn first).`);
    return compile(e, schema);
  });
  return (batch) => parts.map((p) => p(batch));
}
