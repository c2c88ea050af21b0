/**
 * select(...) as a plan: expands `*`, turns a select of aggregates into a global Aggregate, and
 * moves window expressions into a Window node below the Project (the Window node appends one
 * column per window expression; the Project then computes the final columns from them).
 */
import type { Expr } from "../expr/ir.js";
import { exprName, exprToString } from "../expr/print.js";
import { exprContains, mapExpr } from "../expr/traverse.js";
import type { Field, Schema } from "../expr/types.js";
import { analyzeExpr, type Typed } from "./analyze-expr.js";
import { buildAggregate } from "./build-aggregate.js";
import { AnalysisError } from "./errors.js";
import type { LogicalPlan } from "./plan.js";
import { columnRef } from "./resolve-column.js";

/** Replaces `*` and `q.*` by the columns they stand for. */
export function expandStars(items: readonly Expr[], schema: Schema): Expr[] {
  return items.flatMap((item): Expr[] => {
    if (item.kind !== "Star") return [item];
    const fields = item.qualifier === undefined ? schema.fields : schema.fields.filter((f) => f.qualifier === item.qualifier);
    if (fields.length === 0) {
      const known = [...new Set(schema.fields.map((f) => f.qualifier).filter((q) => q))].join(", ") || "none";
      throw new AnalysisError(`"${item.qualifier}.*" matches no columns; known aliases: ${known}`);
    }
    return fields.map(columnRef);
  });
}

const isAgg = (e: Expr) => e.kind === "Agg";
const isWindow = (e: Expr) => e.kind === "Window";

/** True if an aggregate appears outside any window (so the select is an aggregation). */
export function hasBareAggregate(e: Expr): boolean {
  return exprContains(e, isAgg, isWindow);
}

/** A column keeps its field's name (`col("o.id")` outputs `id`); other expressions their alias or text. */
export function outputName(original: Expr, typed: Typed): string {
  return typed.expr.kind === "Column" ? typed.expr.name : exprName(original);
}

/** The output field of an analyzed expression named `name` (plain columns keep their qualifier). */
export function outputField(typed: Typed, name: string): Field {
  const e = typed.expr;
  if (e.kind === "Column" && e.name === name && e.qualifier !== undefined) {
    return { name, type: typed.type, nullable: typed.nullable, qualifier: e.qualifier };
  }
  return { name, type: typed.type, nullable: typed.nullable };
}

/** A Project expression that produces column `name`: a bare reference when it already has that name. */
export function namedExpr(resolved: Expr, name: string): Expr {
  if (resolved.kind === "Column" && resolved.name === name) return resolved;
  const inner = resolved.kind === "Alias" ? resolved.expr : resolved;
  return { kind: "Alias", expr: inner, name };
}

export function buildProject(input: LogicalPlan, items: readonly Expr[], clause = "select"): LogicalPlan {
  const exprs = expandStars(items, input.schema);
  if (exprs.length === 0) throw new AnalysisError(`${clause}() needs at least one column`);
  if (exprs.some(hasBareAggregate)) return buildAggregate(input, [], exprs, clause);
  const analyzed = exprs.map((e) => {
    const typed = analyzeExpr(e, input.schema, { clause, allowWindow: true });
    return { typed, name: outputName(e, typed) };
  });

  // Window expressions become columns of a Window node; the Project reads them by name.
  const windowExprs: Expr[] = [];
  const windowFields: Field[] = [];
  const taken = new Set(input.schema.fields.map((f) => f.name));
  const projected = analyzed.map(({ typed, name }) => {
    if (!exprContains(typed.expr, isWindow)) return { typed, name };
    const top = typed.expr.kind === "Alias" ? typed.expr.expr : typed.expr;
    const extract = (node: Expr, preferred: string): Expr => {
      const colName = taken.has(preferred) ? `__w${windowExprs.length}` : preferred;
      taken.add(colName);
      const t = analyzeExpr(node, input.schema, { clause, allowWindow: true });
      windowExprs.push({ kind: "Alias", expr: node, name: colName });
      windowFields.push({ name: colName, type: t.type, nullable: t.nullable });
      return { kind: "Column", name: colName };
    };
    // A window that is the whole column gets the column's name; nested ones get hidden names.
    const rewritten = top.kind === "Window"
      ? extract(top, name)
      : mapExpr(typed.expr, (node) => (node.kind === "Window" ? extract(node, `__w${windowExprs.length}`) : node));
    return { typed: { ...typed, expr: rewritten }, name };
  });

  let base = input;
  if (windowExprs.length > 0) {
    base = { kind: "Window", input, exprs: windowExprs, schema: { fields: [...input.schema.fields, ...windowFields] } };
  }
  const fields = projected.map(({ typed, name }) => outputField(typed, name));
  const projectExprs = projected.map(({ typed, name }) => namedExpr(typed.expr, name));
  if (isIdentity(projectExprs, base.schema)) return base;
  return { kind: "Project", input: base, exprs: projectExprs, schema: { fields } };
}

/** A projection that outputs exactly its input's columns, in order, unchanged. */
function isIdentity(exprs: readonly Expr[], schema: Schema): boolean {
  return (
    exprs.length === schema.fields.length &&
    exprs.every((e, i) => {
      const f = schema.fields[i]!;
      return e.kind === "Column" && e.name === f.name && e.qualifier === f.qualifier;
    })
  );
}

export function describeExprs(exprs: readonly Expr[]): string {
  return exprs.map(exprToString).join(", ");
}
