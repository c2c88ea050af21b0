/**
 * A logical plan as an indented tree in Spark's shape (`+- ` under each parent), for the lazy
 * DataFrame's display bundle and as a fallback for explain() before physical planning is available.
 */
import { exprToString, sortOrderToString } from "../expr/print.js";
import { typeToString } from "../expr/types.js";
import { children, type LogicalPlan } from "./plan.js";

export function nodeLabel(plan: LogicalPlan): string {
  const list = (xs: readonly string[]) => `[${xs.join(", ")}]`;
  switch (plan.kind) {
    case "Scan": {
      const s = plan.source;
      const src = s.kind === "memory" ? `memory ${s.id} (${s.rows} rows, ${s.partitions} partitions)` : `range(${s.start}, ${s.end}, ${s.step})`;
      const cols = plan.projection ?? plan.schema.fields.map((f) => f.name);
      const filters = plan.filters.length ? ` PushedFilters: ${list(plan.filters.map(exprToString))}` : "";
      const limit = plan.limit !== undefined ? ` Limit: ${plan.limit}` : "";
      return `Scan ${src} ${list(cols)}${filters}${limit}`;
    }
    case "Project": return `Project ${list(plan.exprs.map(exprToString))}`;
    case "Filter": return `Filter ${exprToString(plan.predicate)}`;
    case "Aggregate": return `Aggregate ${list(plan.groupBy.map(exprToString))}, ${list(plan.aggs.map(exprToString))}`;
    case "Window": return `Window ${list(plan.exprs.map(exprToString))}`;
    case "Join": {
      const keys = plan.on.map((k) => `${exprToString(k.left)} = ${exprToString(k.right)}`);
      const cond = plan.condition ? [exprToString(plan.condition)] : [];
      const using = plan.usingColumns ? ` USING ${list(plan.usingColumns)}` : "";
      const hint = plan.hint ? ` hint=${plan.hint}` : "";
      return `Join ${plan.how}${using}, ${[...keys, ...cond].join(" AND ") || "true"}${hint}`;
    }
    case "Sort": return `Sort ${list(plan.order.map(sortOrderToString))}`;
    case "Limit": return plan.offset ? `Limit ${plan.n} OFFSET ${plan.offset}` : `Limit ${plan.n}`;
    case "Distinct": return plan.subset ? `Deduplicate ${list(plan.subset)}` : "Distinct";
    case "Union": return plan.byName ? "Union (by name)" : "Union";
    case "Repartition": {
      const s = plan.scheme;
      switch (s.kind) {
        case "hash": return `RepartitionByExpression ${list(s.keys.map(exprToString))}, ${s.n}`;
        case "range": return `RepartitionByRange ${list(s.order.map(sortOrderToString))}, ${s.n}`;
        case "roundRobin": return `Repartition ${s.n}, roundRobin`;
        case "coalesce": return `Coalesce ${s.n}`;
      }
      break;
    }
    case "Sample": return `Sample ${plan.fraction}, withReplacement=${plan.withReplacement}, seed=${plan.seed}`;
    case "Cache": return `InMemoryRelation ${plan.id} (${plan.level})`;
    case "SubqueryAlias": return `SubqueryAlias ${plan.alias}`;
  }
  return plan satisfies never;
}

export function logicalPlanToString(plan: LogicalPlan): string {
  const lines: string[] = [];
  const walk = (p: LogicalPlan, prefix: string, childPrefix: string): void => {
    lines.push(prefix + nodeLabel(p));
    const kids = children(p);
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      walk(k, `${childPrefix}+- `, `${childPrefix}${last ? "   " : "|  "}`);
    });
  };
  walk(plan, "", "");
  return lines.join("\n");
}

/** `user_id: int64, amount: float64 (nullable)`-style one-line schema. */
export function schemaToString(plan: LogicalPlan): string {
  return plan.schema.fields.map((f) => `${f.name}: ${typeToString(f.type)}`).join(", ");
}
