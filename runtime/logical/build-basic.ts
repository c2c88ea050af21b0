/**
 * The simple transformations as analyzed plan nodes: filter, sort, limit, distinct, union,
 * repartition, sample, cache and alias. Each checks its arguments against the input schema now,
 * so mistakes surface on the line that wrote them.
 */
import type { Expr, SortOrder } from "../expr/ir.js";
import { exprToString } from "../expr/print.js";
import { exprChildren } from "../expr/traverse.js";
import { type Field, type Schema, typeToString } from "../expr/types.js";
import { analyzeExpr, castTo } from "./analyze-expr.js";
import { AnalysisError } from "./errors.js";
import type { LogicalPlan } from "./plan.js";
import { columnRef, resolveField } from "./resolve-column.js";

export function buildFilter(input: LogicalPlan, predicate: Expr): LogicalPlan {
  const typed = analyzeExpr(predicate, input.schema, { clause: "filter" });
  if (typed.type.kind !== "bool" && typed.type.kind !== "null") {
    throw new AnalysisError(`filter() needs a boolean condition, but ${exprToString(predicate)} is ${typeToString(typed.type)}; compare it, e.g. .gt(0) or .isNotNull()`);
  }
  return { kind: "Filter", input, predicate: castTo(typed, { kind: "bool" }), schema: input.schema };
}

export function analyzeSortOrders(orders: readonly SortOrder[], schema: Schema, clause: string): SortOrder[] {
  return orders.map((o) => {
    const typed = analyzeExpr(o.expr, schema, { clause });
    if (typed.type.kind === "list") throw new AnalysisError(`Cannot sort by ${exprToString(o.expr)}: lists have no order`);
    return { ...o, expr: typed.expr.kind === "Alias" ? typed.expr.expr : typed.expr };
  });
}

export function buildSort(input: LogicalPlan, orders: readonly SortOrder[]): LogicalPlan {
  if (orders.length === 0) throw new AnalysisError("orderBy() needs at least one column");
  try {
    return { kind: "Sort", input, order: analyzeSortOrders(orders, input.schema, "orderBy"), schema: input.schema };
  } catch (e) {
    const viaChild = e instanceof AnalysisError ? sortByDroppedColumns(input, orders) : undefined;
    if (viaChild) return viaChild;
    throw e;
  }
}

function resolves(schema: Schema, ref: { name: string; qualifier?: string }): boolean {
  try {
    resolveField(schema, ref.name, ref.qualifier);
    return true;
  } catch (error) {
    if (error instanceof AnalysisError) return false;
    throw error;
  }
}

/**
 * `df.select("name").orderBy("age")`, as Spark allows: when the sort reads columns the Project
 * just dropped, carry them through the Project, sort, then drop them again.
 */
function sortByDroppedColumns(input: LogicalPlan, orders: readonly SortOrder[]): LogicalPlan | undefined {
  if (input.kind !== "Project") return undefined;
  const child = input.input.schema;
  const missing: Field[] = [];
  const visit = (e: Expr): boolean => {
    if (e.kind === "Column") {
      if (resolves(input.schema, e)) return true;
      if (!resolves(child, e)) return false;
      const { field } = resolveField(child, e.name, e.qualifier);
      if (!missing.includes(field)) missing.push(field);
      return true;
    }
    return exprChildren(e).every(visit);
  };
  if (!orders.every((o) => visit(o.expr)) || missing.length === 0) return undefined;
  const extended: LogicalPlan = {
    ...input,
    exprs: [...input.exprs, ...missing.map(columnRef)],
    schema: { fields: [...input.schema.fields, ...missing] },
  };
  const sorted: LogicalPlan = { kind: "Sort", input: extended, order: analyzeSortOrders(orders, extended.schema, "orderBy"), schema: extended.schema };
  return { kind: "Project", input: sorted, exprs: input.schema.fields.map(columnRef), schema: input.schema };
}

export function buildLimit(input: LogicalPlan, n: number, offset = 0): LogicalPlan {
  if (!Number.isInteger(n) || n < 0) throw new AnalysisError(`limit(${n}): the row count must be a non-negative integer`);
  if (!Number.isInteger(offset) || offset < 0) throw new AnalysisError(`offset(${offset}): must be a non-negative integer`);
  return { kind: "Limit", input, n, offset, schema: input.schema };
}

export function buildDistinct(input: LogicalPlan, subset?: readonly string[]): LogicalPlan {
  if (subset === undefined) return { kind: "Distinct", input, schema: input.schema };
  if (subset.length === 0) throw new AnalysisError("dropDuplicates([]) needs at least one column; call distinct() to compare whole rows");
  const names = subset.map((n) => resolveField(input.schema, n).field.name);
  return { kind: "Distinct", input, subset: names, schema: input.schema };
}

export function buildRepartition(input: LogicalPlan, n: number, keys: readonly Expr[]): LogicalPlan {
  checkPartitions(n, "repartition");
  if (keys.length === 0) return { kind: "Repartition", input, scheme: { kind: "roundRobin", n }, schema: input.schema };
  const resolved = keys.map((k) => analyzeExpr(k, input.schema, { clause: "repartition" }).expr);
  return { kind: "Repartition", input, scheme: { kind: "hash", keys: resolved, n }, schema: input.schema };
}

export function buildRangeRepartition(input: LogicalPlan, n: number, orders: readonly SortOrder[]): LogicalPlan {
  checkPartitions(n, "repartitionByRange");
  const order = analyzeSortOrders(orders, input.schema, "repartitionByRange");
  return { kind: "Repartition", input, scheme: { kind: "range", order, n }, schema: input.schema };
}

export function buildCoalesce(input: LogicalPlan, n: number): LogicalPlan {
  checkPartitions(n, "coalesce");
  return { kind: "Repartition", input, scheme: { kind: "coalesce", n }, schema: input.schema };
}

function checkPartitions(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) throw new AnalysisError(`${what}(${n}): the partition count must be a positive integer`);
}

export function buildSample(input: LogicalPlan, fraction: number, withReplacement: boolean, seed: number): LogicalPlan {
  if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
    throw new AnalysisError(`sample(${fraction}): the fraction must be in [0, 1] without replacement (>= 0 with replacement)`);
  }
  return { kind: "Sample", input, fraction, withReplacement, seed, schema: input.schema };
}

export function buildCache(input: LogicalPlan, id: string, level: "memory" | "memory_and_disk"): LogicalPlan {
  return { kind: "Cache", input, id, level, schema: input.schema };
}

export function buildSubqueryAlias(input: LogicalPlan, alias: string): LogicalPlan {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new AnalysisError(`alias("${alias}"): use letters, digits and _ (it is written before a dot: col("${alias}.id"))`);
  return { kind: "SubqueryAlias", input, alias, schema: { fields: input.schema.fields.map((f) => ({ ...f, qualifier: alias })) } };
}
