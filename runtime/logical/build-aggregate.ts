/**
 * groupBy(...).agg(...) and global aggregates as an Aggregate node. Output: the grouping columns,
 * then one aliased column per aggregate expression. Every column read outside an aggregate must be
 * a grouping expression, as in SQL; the error says how to fix it.
 */
import type { Expr } from "../expr/ir.js";
import { exprName, exprToString } from "../expr/print.js";
import { exprChildren, stripAlias } from "../expr/traverse.js";
import { analyzeExpr } from "./analyze-expr.js";
import { outputField, outputName } from "./build-project.js";
import { AnalysisError } from "./errors.js";
import type { LogicalPlan } from "./plan.js";
import { exprEquals } from "./serialize.js";

export function buildAggregate(input: LogicalPlan, groupBy: readonly Expr[], aggs: readonly Expr[], clause = "agg"): LogicalPlan {
  const schema = input.schema;
  const keys = groupBy.map((k) => {
    if (k.kind === "Star") throw new AnalysisError(`groupBy("*") is not supported; name the grouping columns`);
    const typed = analyzeExpr(k, schema, { clause: "groupBy" });
    const name = outputName(k, typed);
    const expr = typed.expr.kind === "Column" ? typed.expr : { kind: "Alias" as const, expr: stripAlias(typed.expr), name };
    return { typed, name, expr, bare: stripAlias(typed.expr) };
  });
  const outputs = aggs.map((a) => {
    if (a.kind === "Star") throw new AnalysisError(`"*" cannot be aggregated; use F.count("*") to count rows`);
    const typed = analyzeExpr(a, schema, { clause, allowAgg: true });
    const name = a.kind === "Alias" ? a.name : exprName(a);
    checkGrouped(typed.expr, keys.map((k) => k.bare), groupBy.length === 0, clause);
    return { typed, name, expr: { kind: "Alias" as const, expr: stripAlias(typed.expr), name } };
  });
  if (outputs.length === 0 && keys.length === 0) throw new AnalysisError(`${clause}() needs at least one aggregate, e.g. F.count("*")`);
  return {
    kind: "Aggregate",
    input,
    groupBy: keys.map((k) => k.expr),
    aggs: outputs.map((o) => o.expr),
    schema: { fields: [...keys.map((k) => outputField(k.typed, k.name)), ...outputs.map((o) => outputField({ ...o.typed, expr: o.expr }, o.name))] },
  };
}

/** Throws if `e` reads a column outside an aggregate that is not a grouping expression. */
function checkGrouped(e: Expr, keys: readonly Expr[], global: boolean, clause: string): void {
  if (e.kind === "Agg" || e.kind === "Literal") return;
  if (keys.some((k) => exprEquals(k, e))) return;
  if (e.kind === "Column") {
    const name = e.qualifier ? `${e.qualifier}.${e.name}` : e.name;
    if (global) {
      throw new AnalysisError(
        `${clause}() mixes aggregates with the plain column "${name}"; aggregate it too (e.g. F.first("${name}")) or use groupBy("${name}").agg(...)`,
      );
    }
    throw new AnalysisError(
      `Column "${name}" in ${clause}() is neither grouped nor aggregated; add it to groupBy(...) or wrap it in an aggregate such as F.first("${name}")`,
    );
  }
  for (const child of exprChildren(e)) checkGrouped(child, keys, global, clause);
}

export function aggregatesText(aggs: readonly Expr[]): string {
  return aggs.map(exprToString).join(", ");
}
