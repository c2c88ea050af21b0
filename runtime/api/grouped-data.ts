/**
 * df.groupBy(...): aggregate with agg(...) or the shortcuts count/sum/avg/min/max, and pivot a
 * column into one output column per value (conditional aggregation: sum(CASE WHEN k = 'a' THEN x END)).
 */
import { Column, type ColumnLike, toColumnExpr } from "../expr/column.js";
import type { AggFn, Expr } from "../expr/ir.js";
import { literalExpr, type JsValue } from "../expr/literal.js";
import { exprName } from "../expr/print.js";
import { mapExpr } from "../expr/traverse.js";
import { isNumeric } from "../expr/types.js";
import * as A from "../logical/analyzer.js";
import type { DataFrame } from "./dataframe.js";

export class GroupedData {
  constructor(
    private readonly df: DataFrame,
    private readonly keys: readonly Expr[],
    private readonly pivotSpec?: { readonly column: Expr; readonly values: readonly JsValue[] },
  ) {}

  /** agg(F.sum("amount").alias("spend"), F.count("*")) or agg({ amount: "sum", id: "count" }). */
  agg(...aggs: readonly (Column | readonly Column[] | Readonly<Record<string, string>>)[]): DataFrame {
    const exprs = aggs.flatMap((a): Expr[] => {
      if (a instanceof Column) return [a.expr];
      if (Array.isArray(a)) return (a as readonly Column[]).map((c) => c.expr);
      return Object.entries(a as Record<string, string>).map(([column, fn]) => aggCall(fnName(fn), column));
    });
    if (exprs.length === 0) throw new A.AnalysisError("agg() needs at least one aggregate, e.g. F.count(\"*\")");
    const outputs = this.pivotSpec ? this.pivoted(exprs) : exprs;
    return this.df.withPlan(A.buildAggregate(this.df.plan, this.keys, outputs));
  }

  /** Number of rows per group, as column `count`. */
  count(): DataFrame {
    return this.agg(new Column({ kind: "Alias", expr: { kind: "Agg", fn: "count", args: [], distinct: false }, name: "count" }));
  }
  sum(...cols: string[]): DataFrame { return this.shortcut("sum", cols); }
  avg(...cols: string[]): DataFrame { return this.shortcut("avg", cols); }
  mean(...cols: string[]): DataFrame { return this.shortcut("avg", cols); }
  min(...cols: string[]): DataFrame { return this.shortcut("min", cols); }
  max(...cols: string[]): DataFrame { return this.shortcut("max", cols); }

  /**
   * One output column per value of `column`: groupBy("user").pivot("category", ["a", "b"]).agg(F.sum("x")).
   * The values must be given (finding them would need a job; collect them first with
   * `await df.select("category").distinct().collect()`).
   */
  pivot(column: ColumnLike, values?: readonly JsValue[]): GroupedData {
    if (this.pivotSpec) throw new A.AnalysisError("pivot() can be applied once per groupBy()");
    if (!values) {
      throw new A.AnalysisError(
        "pivot() needs its values: pivot(\"category\", [\"a\", \"b\"]). Finding them takes a job; get them with " +
          "(await df.select(\"category\").distinct().collect()).map((r) => r.category)",
      );
    }
    const expr = toColumnExpr(column);
    A.analyzeExpr(expr, this.df.schema, { clause: "pivot" });
    return new GroupedData(this.df, this.keys, { column: expr, values });
  }

  /** Numeric columns when none are named, like Spark. */
  private shortcut(fn: AggFn, cols: readonly string[]): DataFrame {
    const keyNames = new Set(this.keys.map(exprName));
    const names = cols.length > 0 ? cols : this.df.schema.fields.filter((f) => isNumeric(f.type) && !keyNames.has(f.name)).map((f) => f.name);
    if (names.length === 0) throw new A.AnalysisError(`${fn}() found no numeric columns to aggregate; name them: ${fn}("amount")`);
    return this.agg(...names.map((n) => new Column(aggCall(fn, n))));
  }

  private pivoted(aggs: readonly Expr[]): Expr[] {
    const spec = this.pivotSpec!;
    const out: Expr[] = [];
    for (const value of spec.values) {
      const matches: Expr = { kind: "Binary", op: "=", left: spec.column, right: literalExpr(value) };
      for (const agg of aggs) {
        const inner = agg.kind === "Alias" ? agg.expr : agg;
        const conditional = mapExpr(inner, (node) => (node.kind === "Agg" ? onlyWhen(node, matches) : node));
        const label = value === null ? "null" : String(value);
        const name = aggs.length === 1 ? label : `${label}_${exprName(agg)}`;
        out.push({ kind: "Alias", expr: conditional, name });
      }
    }
    return out;
  }
}

/** The aggregate restricted to rows where `cond` holds (count(*) becomes count(CASE WHEN cond THEN 1 END)). */
function onlyWhen(agg: Expr & { kind: "Agg" }, cond: Expr): Expr {
  const args = agg.args.length === 0 ? [literalExpr(1)] : agg.args;
  return { ...agg, args: args.map((a): Expr => ({ kind: "Case", branches: [{ when: cond, then: a }] })) };
}

const AGG_NAMES: Readonly<Record<string, AggFn>> = {
  count: "count", sum: "sum", avg: "avg", mean: "avg", min: "min", max: "max", first: "first", last: "last",
  stddev: "stddev", variance: "variance", median: "median", countDistinct: "count_distinct", count_distinct: "count_distinct",
  collect_list: "collect_list", collectList: "collect_list", collect_set: "collect_set", collectSet: "collect_set",
};

function fnName(name: string): AggFn {
  const fn = AGG_NAMES[name];
  if (!fn) throw new A.AnalysisError(`Unknown aggregate "${name}" in agg({...}); use one of ${Object.keys(AGG_NAMES).join(", ")}`);
  return fn;
}

function aggCall(fn: AggFn, column: string): Expr {
  const arg = toColumnExpr(column);
  const args = fn === "count" && column === "*" ? [] : [arg];
  return { kind: "Agg", fn, args, distinct: fn === "count_distinct" };
}
