/**
 * Physical node labels in Spark's shape (`HashAggregate(keys=[k], functions=[sum(v)])`,
 * `Exchange hashpartitioning(k, 8)`, `BroadcastHashJoin [k], [k], Inner, BuildRight`) and the
 * per-node detail sections of explain("formatted").
 */
import type { Schema } from "../expr/types.js";
import { joinTypeText, sourceText } from "./explain-logical.js";
import type { AggregateCall, Partitioning, PhysicalPlan } from "./plan.js";
import { printAgg, printExpr, printFrame, printList, printOrders } from "./print-expr.js";

export function partitioningText(p: Partitioning): string {
  switch (p.kind) {
    case "hash": return `hashpartitioning(${p.keys.map(printExpr).join(", ")}, ${p.n})`;
    case "range": return `rangepartitioning(${printOrders(p.order)}, ${p.n})`;
    case "roundRobin": return `RoundRobinPartitioning(${p.n})`;
    case "single": return "SinglePartition";
    case "unknown": return `UnknownPartitioning(${p.n})`;
  }
}

function callsText(calls: readonly AggregateCall[], mode: "partial" | "final" | "complete"): string {
  const prefix = mode === "partial" ? "partial_" : "";
  return `[${calls.map((c) => prefix + printAgg(c.fn, c.args, c.distinct, c.params)).join(", ")}]`;
}

export function columnsText(schema: Schema): string {
  return `[${schema.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(", ")}]`;
}

export function nodeName(p: PhysicalPlan): string {
  switch (p.kind) {
    case "ScanExec": return p.source.kind === "range" ? "Range" : `Scan ${p.source.kind}`;
    case "ProjectExec": return "Project";
    case "FilterExec": return "Filter";
    case "HashAggregateExec": return "HashAggregate";
    case "HashJoinExec": return p.mode === "broadcast" ? "BroadcastHashJoin" : "ShuffledHashJoin";
    case "SortMergeJoinExec": return "SortMergeJoin";
    case "NestedLoopJoinExec": return "BroadcastNestedLoopJoin";
    case "SortExec": return "Sort";
    case "TopKExec": return "TakeOrderedAndProject";
    case "LocalLimitExec": return "LocalLimit";
    case "GlobalLimitExec": return "GlobalLimit";
    case "WindowExec": return "Window";
    case "WindowGroupLimitExec": return "WindowGroupLimit";
    case "UnionExec": return "Union";
    case "CoalescePartitionsExec": return "Coalesce";
    case "SampleExec": return "Sample";
    case "ShuffleExchangeExec": return "Exchange";
    case "BroadcastExchangeExec": return "BroadcastExchange";
    case "CacheExec": return "InMemoryRelation";
  }
}

function buildSideOf(p: PhysicalPlan & { kind: "NestedLoopJoinExec" }): string {
  return p.left.kind === "BroadcastExchangeExec" ? "BuildLeft" : "BuildRight";
}

export function physicalLabel(p: PhysicalPlan): string {
  switch (p.kind) {
    case "ScanExec": {
      if (p.source.kind === "range") return `Range (${p.source.start}, ${p.source.end}, step=${p.source.step}, splits=${p.source.partitions})`;
      const extras: string[] = [];
      if (p.filters.length) extras.push(`PushedFilters: ${printList(p.filters)}`);
      if (p.limit !== undefined) extras.push(`Limit: ${p.limit}`);
      return `Scan ${sourceText(p.source)} ${columnsText(p.schema)}${extras.length ? " " + extras.join(", ") : ""}`;
    }
    case "ProjectExec": return `Project ${printList(p.exprs)}`;
    case "FilterExec": return `Filter ${printExpr(p.predicate)}`;
    case "HashAggregateExec": {
      const results = p.resultExprs && p.mode !== "partial" ? `, results=${printList(p.resultExprs)}` : "";
      return `HashAggregate(keys=${printList(p.keys)}, functions=${callsText(p.aggs, p.mode)}${results})`;
    }
    case "HashJoinExec":
    case "SortMergeJoinExec": {
      const build = p.kind === "HashJoinExec" ? `, Build${p.buildSide === "left" ? "Left" : "Right"}` : "";
      const cond = p.condition ? `, ${printExpr(p.condition)}` : "";
      return `${nodeName(p)} ${printList(p.leftKeys)}, ${printList(p.rightKeys)}, ${joinTypeText(p.how)}${build}${cond}`;
    }
    case "NestedLoopJoinExec":
      return `BroadcastNestedLoopJoin ${buildSideOf(p)}, ${joinTypeText(p.how)}${p.condition ? `, ${printExpr(p.condition)}` : ""}`;
    case "SortExec": return `Sort [${printOrders(p.order)}]`;
    case "TopKExec": return `TakeOrderedAndProject(limit=${p.k}, orderBy=[${printOrders(p.order)}])`;
    case "LocalLimitExec": return `LocalLimit ${p.n}`;
    case "GlobalLimitExec": return p.offset ? `GlobalLimit ${p.n}, offset ${p.offset}` : `GlobalLimit ${p.n}`;
    case "WindowExec": {
      const frame = p.frame ? `, ${printFrame(p.frame)}` : "";
      return `Window ${printList(p.exprs)}, ${printList(p.partitionBy)}, [${printOrders(p.orderBy)}]${frame}`;
    }
    case "WindowGroupLimitExec":
      return `WindowGroupLimit ${printList(p.partitionBy)}, [${printOrders(p.orderBy)}], ${p.fn}, ${p.k}, ${p.mode === "partial" ? "Partial" : "Final"}`;
    case "UnionExec": return "Union";
    case "CoalescePartitionsExec": return `Coalesce ${p.n}`;
    case "SampleExec": return `Sample ${p.fraction}, ${p.withReplacement}, ${p.seed}`;
    case "ShuffleExchangeExec": return `Exchange ${partitioningText(p.partitioning)}`;
    case "BroadcastExchangeExec": return "BroadcastExchange";
    case "CacheExec": return `InMemoryRelation ${p.cacheId} ${columnsText(p.schema)}`;
  }
}

/** Detail lines for explain("formatted"), after the header line `(n) Name`. */
export function physicalDetails(p: PhysicalPlan, inputSchemas: readonly Schema[]): string[] {
  const out: string[] = [];
  const input = inputSchemas.flatMap((s) => s.fields);
  switch (p.kind) {
    case "ScanExec":
      out.push(`Output [${p.schema.fields.length}]: ${columnsText(p.schema)}`, `Source: ${sourceText(p.source)}`);
      if (p.filters.length) out.push(`PushedFilters: ${printList(p.filters)}`);
      if (p.limit !== undefined) out.push(`Limit: ${p.limit}`);
      break;
    case "FilterExec":
      out.push(`Input [${input.length}]: ${columnsText({ fields: input })}`, `Condition : ${printExpr(p.predicate)}`);
      break;
    case "HashAggregateExec":
      out.push(`Input [${input.length}]: ${columnsText({ fields: input })}`, `Mode: ${p.mode}`, `Keys [${p.keys.length}]: ${printList(p.keys)}`,
        `Functions [${p.aggs.length}]: ${callsText(p.aggs, p.mode)}`);
      if (p.resultExprs) out.push(`Results [${p.resultExprs.length}]: ${printList(p.resultExprs)}`);
      break;
    case "HashJoinExec":
    case "SortMergeJoinExec":
      out.push(`Left keys [${p.leftKeys.length}]: ${printList(p.leftKeys)}`, `Right keys [${p.rightKeys.length}]: ${printList(p.rightKeys)}`, `Join type: ${joinTypeText(p.how)}`);
      if (p.kind === "HashJoinExec") out.push(`Build side: ${p.buildSide}`, `Mode: ${p.mode}`);
      out.push(`Join condition: ${p.condition ? printExpr(p.condition) : "None"}`);
      break;
    case "ShuffleExchangeExec":
      out.push(`Input [${input.length}]: ${columnsText({ fields: input })}`, `Arguments: ${partitioningText(p.partitioning)}`);
      break;
    default:
      out.push(`Input [${input.length}]: ${columnsText({ fields: input })}`, `Arguments: ${physicalLabel(p).slice(nodeName(p).length).trim() || "none"}`);
  }
  out.push(`Output partitioning: ${partitioningText(p.outputPartitioning)}`);
  return out;
}
