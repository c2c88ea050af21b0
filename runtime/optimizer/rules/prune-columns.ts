/**
 * PruneColumns (projection pushdown): walks the plan top-down with the set of columns each node's
 * parent actually reads, drops unused Project/Aggregate/Window outputs, and sets Scan.projection
 * so sources read only those columns. A node may keep a few extra columns (a Filter's predicate
 * inputs); parents read columns by name, so extras are harmless, except under a Union (which is
 * positional) where each input is trimmed exactly. Nothing under a Cache is pruned: the cached
 * data is shared by every reader.
 */
import type { Expr } from "../../expr/ir.js";
import type { Field, Schema } from "../../expr/types.js";
import type { LogicalPlan } from "../../logical/plan.js";
import { columnsOf, columnsOfAll, columnsOfOrders } from "../expr-utils.js";
import { joinInputSchema, joinOutputSources, type JoinNode } from "../join-sides.js";
import { withChildren } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { fieldRef, referencedIndices, resolveColumn, sameField } from "../schema-utils.js";

export const pruneColumns: OptimizerRule = {
  name: "PruneColumns",
  apply(plan: LogicalPlan) {
    return prune(plan, allOf(plan.schema));
  },
};

function allOf(schema: Schema): Set<number> {
  return new Set(schema.fields.map((_f, i) => i));
}

function union(a: Set<number>, b: Iterable<number>): Set<number> {
  const out = new Set(a);
  for (const x of b) out.add(x);
  return out;
}

function refs(schema: Schema, exprs: readonly Expr[]): Set<number> {
  return referencedIndices(schema, columnsOfAll(exprs));
}

function sorted(s: Set<number>): number[] {
  return [...s].sort((a, b) => a - b);
}

function pick(schema: Schema, indices: readonly number[]): Schema {
  return { fields: indices.map((i) => schema.fields[i]!) };
}

/** Returns `plan` rewritten so its output holds at least the fields at `required` (by identity). */
function prune(plan: LogicalPlan, required: Set<number>): LogicalPlan {
  switch (plan.kind) {
    case "Scan": {
      const keep = union(required, refs(plan.schema, plan.filters));
      if (keep.size === plan.schema.fields.length) return plan;
      // Keep one column so the scan still yields row counts (count(*)).
      const indices = keep.size === 0 ? [0] : sorted(keep);
      const schema = pick(plan.schema, indices);
      return { ...plan, schema, projection: schema.fields.map((f) => f.name) };
    }
    case "Project": {
      const keepIdx = required.size === 0 ? [0] : sorted(required);
      const exprs = keepIdx.map((i) => plan.exprs[i]!);
      const input = prune(plan.input, refs(plan.input.schema, exprs));
      return { ...plan, input, exprs, schema: pick(plan.schema, keepIdx) };
    }
    case "Filter":
      return pruneThrough(plan, union(required, refs(plan.input.schema, [plan.predicate])));
    case "Sort":
      return pruneThrough(plan, union(required, referencedIndices(plan.input.schema, columnsOfOrders(plan.order))));
    case "Limit":
    case "Sample":
    case "SubqueryAlias":
      return pruneThrough(plan, required);
    case "Repartition": {
      const s = plan.scheme;
      const extra = s.kind === "hash" ? refs(plan.input.schema, s.keys)
        : s.kind === "range" ? referencedIndices(plan.input.schema, columnsOfOrders(s.order)) : new Set<number>();
      return pruneThrough(plan, union(required, extra));
    }
    case "Distinct": {
      if (!plan.subset) return pruneThrough(plan, allOf(plan.input.schema));
      const subset = plan.subset.map((name) => resolveColumn(plan.input.schema, { name }));
      return pruneThrough(plan, union(required, subset.filter((i) => i >= 0)));
    }
    case "Cache":
      return withChildren(plan, [prune(plan.input, allOf(plan.input.schema))]);
    case "Aggregate":
      return pruneAggregate(plan, required);
    case "Window":
      return pruneWindow(plan, required);
    case "Join":
      return pruneJoin(plan, required);
    case "Union":
      return pruneUnion(plan, required);
  }
}

/** Nodes whose output is their input's columns (same positions). */
function pruneThrough(plan: LogicalPlan & { input: LogicalPlan }, required: Set<number>): LogicalPlan {
  return withChildren(plan, [prune(plan.input, required)]);
}

function pruneAggregate(plan: LogicalPlan & { kind: "Aggregate" }, required: Set<number>): LogicalPlan {
  const k = plan.groupBy.length;
  const layoutKnown = plan.schema.fields.length === k + plan.aggs.length;
  let aggIdx = plan.aggs.map((_a, j) => j);
  if (layoutKnown) {
    aggIdx = aggIdx.filter((j) => required.has(k + j));
    // A global aggregate must still produce its one row; keep one aggregate for it.
    if (aggIdx.length === 0 && k === 0 && plan.aggs.length > 0) aggIdx = [0];
  }
  const aggs = aggIdx.map((j) => plan.aggs[j]!);
  const input = prune(plan.input, refs(plan.input.schema, [...plan.groupBy, ...aggs]));
  if (!layoutKnown) return { ...plan, input };
  const fields = [...plan.schema.fields.slice(0, k), ...aggIdx.map((j) => plan.schema.fields[k + j]!)];
  return { ...plan, input, aggs, schema: { fields } };
}

function pruneWindow(plan: LogicalPlan & { kind: "Window" }, required: Set<number>): LogicalPlan {
  const n = plan.input.schema.fields.length;
  const kept = plan.exprs.map((_e, j) => j).filter((j) => required.has(n + j));
  const inputRequired = new Set([...required].filter((i) => i < n));
  if (kept.length === 0) return prune(plan.input, inputRequired);
  const exprs = kept.map((j) => plan.exprs[j]!);
  const input = prune(plan.input, union(inputRequired, refs(plan.input.schema, exprs)));
  const fields: Field[] = [...input.schema.fields, ...kept.map((j) => plan.schema.fields[n + j]!)];
  return { ...plan, input, exprs, schema: { fields } };
}

function pruneJoin(join: JoinNode, required: Set<number>): LogicalPlan {
  const sources = joinOutputSources(join);
  const leftReq = refs(join.left.schema, join.on.map((o) => o.left));
  const rightReq = refs(join.right.schema, join.on.map((o) => o.right));
  for (const i of required) {
    const s = sources[i];
    if (!s || s.index < 0) continue;
    if (s.side === "left" || s.side === "both") leftReq.add(s.index);
    if (s.side === "right") rightReq.add(s.index);
    if (s.side === "both" && s.rightIndex !== undefined && s.rightIndex >= 0) rightReq.add(s.rightIndex);
  }
  if (join.condition) {
    const nLeft = join.left.schema.fields.length;
    for (const c of columnsOf(join.condition)) {
      const i = resolveColumn(joinInputSchema(join), c);
      if (i >= 0 && i < nLeft) leftReq.add(i);
      else if (i >= nLeft) rightReq.add(i - nLeft);
    }
  }
  for (const name of join.usingColumns ?? []) {
    const li = resolveColumn(join.left.schema, { name });
    const ri = resolveColumn(join.right.schema, { name });
    if (li >= 0) leftReq.add(li);
    if (ri >= 0) rightReq.add(ri);
  }
  const left = prune(join.left, leftReq);
  const right = prune(join.right, rightReq);
  if (left === join.left && right === join.right) return join;
  let fields: Field[];
  if (join.how === "semi" || join.how === "anti") fields = [...left.schema.fields];
  else if (!join.usingColumns?.length) fields = [...left.schema.fields, ...right.schema.fields];
  else {
    fields = join.schema.fields.filter((_f, i) => {
      const s = sources[i]!;
      const child = s.side === "right" ? join.right.schema : join.left.schema;
      const now = s.side === "right" ? right.schema : left.schema;
      const old = child.fields[s.index];
      return old !== undefined && now.fields.some((g) => sameField(g, old));
    });
  }
  return { ...join, left, right, schema: { fields } };
}

function pruneUnion(plan: LogicalPlan & { kind: "Union" }, required: Set<number>): LogicalPlan {
  if (required.size === plan.schema.fields.length) {
    return withChildren(plan, plan.inputs.map((c) => prune(c, allOf(c.schema))));
  }
  const keep = required.size === 0 ? [0] : sorted(required);
  const inputs = plan.inputs.map((child) => {
    const pruned = prune(child, new Set(keep));
    const wanted = keep.map((i) => child.schema.fields[i]!);
    const exact = pruned.schema.fields.length === wanted.length && pruned.schema.fields.every((f, i) => sameField(f, wanted[i]!));
    if (exact) return pruned;
    const exprs = wanted.map((f) => fieldRef(f));
    return { kind: "Project", input: pruned, exprs, schema: { fields: wanted } } satisfies LogicalPlan;
  });
  return { ...plan, inputs, schema: pick(plan.schema, keep) };
}
