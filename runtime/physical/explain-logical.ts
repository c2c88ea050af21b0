/** One-line labels of logical plan nodes for explain("extended") and explain("cost"). */
import { children, type LogicalPlan, type SourceRef } from "../logical/plan.js";
import { estimateSize } from "./estimate.js";
import { printExpr, printList, printOrders } from "./print-expr.js";
import { drawTree } from "./tree-text.js";

export function sourceText(source: SourceRef): string {
  if (source.kind === "range") return `range(${source.start}, ${source.end}, step=${source.step}, splits=${source.partitions})`;
  if (source.kind === "memory") return `memory ${source.id}`;
  const described = source as { kind: string; path?: string; id?: string };
  return `${described.kind} ${described.path ?? described.id ?? ""}`.trim();
}

function columnsText(plan: LogicalPlan): string {
  return `[${plan.schema.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(", ")}]`;
}

const JOIN_NAMES = { inner: "Inner", left: "LeftOuter", right: "RightOuter", full: "FullOuter", semi: "LeftSemi", anti: "LeftAnti", cross: "Cross" } as const;
export function joinTypeText(how: keyof typeof JOIN_NAMES): string {
  return JOIN_NAMES[how];
}

export function logicalLabel(plan: LogicalPlan): string {
  switch (plan.kind) {
    case "Scan": {
      const extras: string[] = [];
      if (plan.filters.length) extras.push(`PushedFilters: ${printList(plan.filters)}`);
      if (plan.limit !== undefined) extras.push(`Limit: ${plan.limit}`);
      return `Relation ${sourceText(plan.source)} ${columnsText(plan)}${extras.length ? " " + extras.join(", ") : ""}`;
    }
    case "Project": return `Project ${printList(plan.exprs)}`;
    case "Filter": return `Filter ${printExpr(plan.predicate)}`;
    case "Aggregate": return `Aggregate ${printList(plan.groupBy)}, ${printList(plan.aggs)}`;
    case "Window": {
      const limit = plan.groupLimit ? `, groupLimit=${plan.groupLimit.fn} ${plan.groupLimit.column} <= ${plan.groupLimit.k}` : "";
      return `Window ${printList(plan.exprs)}${limit}`;
    }
    case "Join": {
      const conds = [...plan.on.map((o) => `(${printExpr(o.left)} = ${printExpr(o.right)})`), ...(plan.condition ? [printExpr(plan.condition)] : [])];
      const using = plan.usingColumns?.length ? ` USING [${plan.usingColumns.join(", ")}]` : "";
      return `Join ${joinTypeText(plan.how)}${conds.length ? ", " + conds.join(" AND ") : ""}${using}${plan.hint ? `, hint=${plan.hint}` : ""}`;
    }
    case "Sort": return `Sort [${printOrders(plan.order)}], true`;
    case "Limit": return plan.offset ? `Limit ${plan.n}, offset ${plan.offset}` : `Limit ${plan.n}`;
    case "Distinct": return plan.subset ? `Deduplicate [${plan.subset.join(", ")}]` : "Distinct";
    case "Union": return plan.byName ? "Union byName" : "Union";
    case "Repartition": {
      const s = plan.scheme;
      if (s.kind === "hash") return `RepartitionByExpression ${printList(s.keys)}, ${s.n}`;
      if (s.kind === "range") return `RepartitionByRange [${printOrders(s.order)}], ${s.n}`;
      return s.kind === "coalesce" ? `Repartition ${s.n}, false` : `Repartition ${s.n}, true`;
    }
    case "Sample": return `Sample ${plan.fraction}, ${plan.withReplacement}, ${plan.seed}`;
    case "Cache": return `InMemoryRelation ${plan.id} ${columnsText(plan)}, ${plan.level}`;
    case "SubqueryAlias": return `SubqueryAlias ${plan.alias}`;
  }
}

function bytesText(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? Math.round(v) : v.toFixed(1)} ${units[u]}`;
}

export function logicalTree(plan: LogicalPlan, withStats = false): string {
  return drawTree(plan, (p) => {
    if (!withStats) return logicalLabel(p);
    const s = estimateSize(p);
    return `${logicalLabel(p)}, Statistics(sizeInBytes=${bytesText(s.bytes)}, rowCount=${Math.round(s.rows)})`;
  }, children);
}
