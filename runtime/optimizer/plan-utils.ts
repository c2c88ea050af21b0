/**
 * Traversal and rebuilding of logical plans. Rules rebuild nodes with new children through
 * `withChildren`; schemas of pass-through nodes follow their input automatically.
 */
import type { Expr, SortOrder } from "../expr/ir.js";
import type { Schema } from "../expr/types.js";
import { children, type LogicalPlan } from "../logical/plan.js";

/** Nodes whose output schema is exactly their (single) input's schema. */
const PASS_THROUGH = new Set<LogicalPlan["kind"]>(["Filter", "Sort", "Limit", "Repartition", "Sample", "Cache", "Distinct"]);

export function isPassThrough(plan: LogicalPlan): boolean {
  return PASS_THROUGH.has(plan.kind);
}

/**
 * `plan` with its inputs replaced. Pass-through nodes and SubqueryAlias take their schema from the
 * new input; other nodes keep theirs (rules that change what a Project/Aggregate/Join outputs set
 * the schema themselves).
 */
export function withChildren(plan: LogicalPlan, kids: readonly LogicalPlan[]): LogicalPlan {
  const old = children(plan);
  if (kids.length === old.length && kids.every((k, i) => k === old[i])) return plan;
  switch (plan.kind) {
    case "Scan":
      return plan;
    case "Join":
      return { ...plan, left: kids[0]!, right: kids[1]! };
    case "Union":
      return { ...plan, inputs: kids };
    case "SubqueryAlias":
      return { ...plan, input: kids[0]!, schema: aliasSchema(kids[0]!.schema, plan.alias) };
    default: {
      const input = kids[0]!;
      return isPassThrough(plan) ? { ...plan, input, schema: input.schema } as LogicalPlan : { ...plan, input } as LogicalPlan;
    }
  }
}

export function aliasSchema(input: Schema, alias: string): Schema {
  return { fields: input.fields.map((f) => ({ ...f, qualifier: alias })) };
}

/** Bottom-up rewrite of every node. */
export function transformPlanUp(plan: LogicalPlan, fn: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const kids = children(plan);
  const rebuilt = kids.length === 0 ? plan : withChildren(plan, kids.map((k) => transformPlanUp(k, fn)));
  return fn(rebuilt);
}

/** Top-down rewrite: `fn` first, then its result's children. */
export function transformPlanDown(plan: LogicalPlan, fn: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const top = fn(plan);
  const kids = children(top);
  return kids.length === 0 ? top : withChildren(top, kids.map((k) => transformPlanDown(k, fn)));
}

export function* walkPlan(plan: LogicalPlan): Generator<LogicalPlan> {
  yield plan;
  for (const c of children(plan)) yield* walkPlan(c);
}

/** `plan` with `fn` applied to each of its own expressions (not its inputs'); same object if unchanged. */
export function mapPlanExprs(plan: LogicalPlan, fn: (e: Expr) => Expr): LogicalPlan {
  const list = (es: readonly Expr[]): readonly Expr[] => {
    const out = es.map(fn);
    return out.every((e, i) => e === es[i]) ? es : out;
  };
  const orders = (os: readonly SortOrder[]): readonly SortOrder[] => {
    const out = os.map((o) => { const e = fn(o.expr); return e === o.expr ? o : { ...o, expr: e }; });
    return out.every((o, i) => o === os[i]) ? os : out;
  };
  const same = <T>(a: T, b: T) => a === b;
  switch (plan.kind) {
    case "Scan": { const filters = list(plan.filters); return same(filters, plan.filters) ? plan : { ...plan, filters }; }
    case "Project": { const exprs = list(plan.exprs); return same(exprs, plan.exprs) ? plan : { ...plan, exprs }; }
    case "Window": { const exprs = list(plan.exprs); return same(exprs, plan.exprs) ? plan : { ...plan, exprs }; }
    case "Filter": { const predicate = fn(plan.predicate); return same(predicate, plan.predicate) ? plan : { ...plan, predicate }; }
    case "Aggregate": {
      const groupBy = list(plan.groupBy);
      const aggs = list(plan.aggs);
      return same(groupBy, plan.groupBy) && same(aggs, plan.aggs) ? plan : { ...plan, groupBy, aggs };
    }
    case "Sort": { const order = orders(plan.order); return same(order, plan.order) ? plan : { ...plan, order }; }
    case "Join": {
      const on = plan.on.map((p) => { const l = fn(p.left); const r = fn(p.right); return l === p.left && r === p.right ? p : { left: l, right: r }; });
      const condition = plan.condition ? fn(plan.condition) : undefined;
      if (on.every((p, i) => p === plan.on[i]) && condition === plan.condition) return plan;
      return condition ? { ...plan, on, condition } : { ...plan, on };
    }
    case "Repartition": {
      const s = plan.scheme;
      if (s.kind === "hash") { const keys = list(s.keys); return same(keys, s.keys) ? plan : { ...plan, scheme: { ...s, keys } }; }
      if (s.kind === "range") { const order = orders(s.order); return same(order, s.order) ? plan : { ...plan, scheme: { ...s, order } }; }
      return plan;
    }
    default:
      return plan;
  }
}

/**
 * Structural equality of two plans (or any plain data). Rules share unchanged subtrees by
 * reference, so the identity check at each level makes comparing a rewritten plan with its
 * original cost about the size of what changed.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}
