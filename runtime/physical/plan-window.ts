/**
 * Window planning: window expressions are grouped by their spec (partitionBy, orderBy, frame);
 * each group becomes exchange on partitionBy (one partition if none; skipped when the input is
 * already distributed on those keys, e.g. by the previous group) -> SortExec(partitionBy,
 * orderBy) -> WindowExec. A final projection restores the logical column order if grouping
 * changed it.
 *
 * A Window with a groupLimit (InferWindowGroupLimit) first cuts each group to the rows that can
 * rank within k: a partial WindowGroupLimitExec on the map side (unless the input is already
 * distributed on partitionBy) and a final one after the exchange, so the shuffle and the sort
 * see ~k rows per group and task instead of every row.
 */
import type { Expr, SortOrder, WindowSpec } from "../expr/ir.js";
import type { Field, Schema } from "../expr/types.js";
import type { LogicalPlan, WindowGroupLimit } from "../logical/plan.js";
import { exprKey, stripAlias } from "../optimizer/expr-utils.js";
import { plannedGroupLimit } from "../optimizer/rules/infer-window-group-limit.js";
import { fieldRef } from "../optimizer/schema-utils.js";
import type { PhysicalPlannerContext } from "./context.js";
import { ensureHashDistribution, projectPartitioning } from "./enforce-distribution.js";
import type { PhysicalPlan } from "./plan.js";

type WindowNode = LogicalPlan & { kind: "Window" };

interface SpecGroup {
  readonly spec: WindowSpec;
  readonly members: { readonly expr: Expr; readonly field: Field }[];
}

function specOf(e: Expr): WindowSpec {
  const w = stripAlias(e);
  return w.kind === "Window" ? w.spec : { partitionBy: [], orderBy: [] };
}

export function planWindow(node: WindowNode, child: PhysicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan {
  const n = node.input.schema.fields.length;
  const groups = new Map<string, SpecGroup>();
  node.exprs.forEach((e, j) => {
    const spec = specOf(e);
    const key = exprKey([...spec.partitionBy, ...spec.orderBy]) + JSON.stringify(spec.frame ?? null);
    const g = groups.get(key) ?? { spec, members: [] };
    g.members.push({ expr: e, field: node.schema.fields[n + j]! });
    groups.set(key, g);
  });

  // A groupLimit holds only when every expression shares one spec, so there is one group then.
  const planned = groups.size === 1 ? plannedGroupLimit(node) : undefined;
  let current = planned ? limitGroups(child, planned.spec, planned.limit, ctx) : child;
  for (const { spec, members } of groups.values()) {
    const distributed = ensureHashDistribution(current, spec.partitionBy, ctx);
    const order: SortOrder[] = [
      ...spec.partitionBy.map((expr) => ({ expr, ascending: true, nullsFirst: true })),
      ...spec.orderBy,
    ];
    const sorted: PhysicalPlan = order.length === 0 ? distributed : {
      kind: "SortExec", id: -1, input: distributed, order, schema: distributed.schema, outputPartitioning: distributed.outputPartitioning,
    };
    const schema: Schema = { fields: [...sorted.schema.fields, ...members.map((m) => m.field)] };
    current = {
      kind: "WindowExec", id: -1, input: sorted, partitionBy: spec.partitionBy, orderBy: spec.orderBy,
      ...(spec.frame ? { frame: spec.frame } : {}), exprs: members.map((m) => m.expr), schema,
      outputPartitioning: sorted.outputPartitioning,
    };
  }
  const inOrder = current.schema.fields.every((f, i) => f === node.schema.fields[i]);
  if (inOrder) return current;
  const exprs = node.schema.fields.map((f) => fieldRef(f));
  return {
    kind: "ProjectExec", id: -1, input: current, exprs, schema: node.schema,
    outputPartitioning: projectPartitioning(current.outputPartitioning, exprs, current.schema, node.schema),
  };
}

/** Partial limit per map task (when a shuffle follows), then the final limit over whole groups. */
function limitGroups(child: PhysicalPlan, spec: WindowSpec, limit: WindowGroupLimit, ctx: PhysicalPlannerContext): PhysicalPlan {
  const make = (input: PhysicalPlan, mode: "partial" | "final"): PhysicalPlan => ({
    kind: "WindowGroupLimitExec", id: -1, input, partitionBy: spec.partitionBy, orderBy: spec.orderBy, fn: limit.fn, k: limit.k, mode,
    schema: input.schema, outputPartitioning: input.outputPartitioning,
  });
  if (ensureHashDistribution(child, spec.partitionBy, ctx) === child) return make(child, "final");
  return make(ensureHashDistribution(make(child, "partial"), spec.partitionBy, ctx), "final");
}
