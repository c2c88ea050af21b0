/**
 * InferJoinKeyNotNull (part of Spark's InferFiltersFromConstraints): a row whose equi-join key is
 * null never matches, so the inputs whose unmatched rows are dropped anyway (both sides of an
 * inner or semi join, the right side of a left or anti join, the left side of a right join) get
 * `isNotNull(key)` filters. PushDownFilter then moves them into the scans, so null keys (often the
 * biggest skewed group) are dropped before any shuffle.
 *
 * The rule only adds a filter when it can see that none is there yet, walking down exactly the
 * path PushDownFilter would move it along; so it adds each filter once and the optimizer reaches
 * a fixed point.
 */
import type { Expr } from "../../expr/ir.js";
import type { JoinType, LogicalPlan } from "../../logical/plan.js";
import { splitConjuncts, stripAlias } from "../expr-utils.js";
import { joinOutputSources, type JoinNode } from "../join-sides.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { fieldRef, resolveColumn } from "../schema-utils.js";
import { commonPartitionColumns } from "./push-down-filter.js";

type ColumnRef = Expr & { kind: "Column" };
type Seen = "found" | "absent" | "unknown";

const FILTER_LEFT: readonly JoinType[] = ["inner", "semi", "right"];
const FILTER_RIGHT: readonly JoinType[] = ["inner", "semi", "left", "anti"];

export const inferJoinKeyNotNull: OptimizerRule = {
  name: "InferJoinKeyNotNull",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Join" || node.on.length === 0) return node;
      const left = FILTER_LEFT.includes(node.how) ? withNotNull(node.left, node.on.map((o) => o.left)) : node.left;
      const right = FILTER_RIGHT.includes(node.how) ? withNotNull(node.right, node.on.map((o) => o.right)) : node.right;
      return left === node.left && right === node.right ? node : { ...node, left, right };
    });
  },
};

function withNotNull(child: LogicalPlan, keys: readonly Expr[]): LogicalPlan {
  const missing: Expr[] = [];
  for (const k of keys) {
    const key = stripAlias(k.kind === "Cast" ? k.expr : k);
    if (key.kind !== "Column") continue;
    const i = resolveColumn(child.schema, key);
    if (i < 0 || !child.schema.fields[i]!.nullable) continue;
    if (notNullState(child, key) === "absent") missing.push({ kind: "Unary", op: "isNotNull", expr: key });
  }
  if (missing.length === 0) return child;
  const predicate = missing.reduce((acc, c) => ({ kind: "Binary", op: "and", left: acc, right: c }));
  return { kind: "Filter", input: child, predicate, schema: child.schema };
}

function isNotNullOf(e: Expr, plan: LogicalPlan, index: number): boolean {
  return e.kind === "Unary" && e.op === "isNotNull" && e.expr.kind === "Column" && resolveColumn(plan.schema, e.expr) === index;
}

/** Whether an `isNotNull(col)` filter already sits on the path PushDownFilter would move one along. */
function notNullState(plan: LogicalPlan, col: ColumnRef): Seen {
  const i = resolveColumn(plan.schema, col);
  if (i < 0) return "unknown";
  if (!plan.schema.fields[i]!.nullable) return "found";
  const down = (input: LogicalPlan, inputIndex: number): Seen =>
    inputIndex < 0 ? "unknown" : notNullState(input, fieldRef(input.schema.fields[inputIndex]!));
  switch (plan.kind) {
    case "Filter":
      return splitConjuncts(plan.predicate).some((c) => isNotNullOf(c, plan, i)) ? "found" : notNullState(plan.input, col);
    case "Scan":
      return plan.filters.some((f) => isNotNullOf(f, plan, i)) ? "found" : "absent";
    case "Sort":
    case "Repartition":
      return notNullState(plan.input, col);
    case "Distinct":
      return !plan.subset || plan.subset.includes(plan.schema.fields[i]!.name) ? notNullState(plan.input, col) : "absent";
    case "SubqueryAlias":
      return down(plan.input, i);
    case "Project": {
      const d = stripAlias(plan.exprs[i]!);
      return d.kind === "Column" ? down(plan.input, resolveColumn(plan.input.schema, d)) : "unknown";
    }
    case "Aggregate": {
      const d = i < plan.groupBy.length ? stripAlias(plan.groupBy[i]!) : undefined;
      if (!d) return "absent";
      return d.kind === "Column" ? down(plan.input, resolveColumn(plan.input.schema, d)) : "unknown";
    }
    case "Window":
      return i < plan.input.schema.fields.length && commonPartitionColumns(plan).has(i) ? down(plan.input, i) : "absent";
    case "Union": {
      const states = plan.inputs.map((c) => down(c, i));
      return states.every((s) => s === "found") ? "found" : states.includes("unknown") ? "unknown" : "absent";
    }
    case "Join":
      return joinState(plan, i);
    default:
      return "absent";
  }
}

function joinState(join: JoinNode, i: number): Seen {
  const s = joinOutputSources(join)[i];
  if (!s || s.index < 0) return "unknown";
  const leftOk = ["inner", "cross", "left", "semi", "anti"].includes(join.how);
  const rightOk = ["inner", "cross", "right"].includes(join.how);
  if (s.side === "left" && leftOk) return notNullState(join.left, fieldRef(join.left.schema.fields[s.index]!));
  if (s.side === "right" && rightOk) return notNullState(join.right, fieldRef(join.right.schema.fields[s.index]!));
  return s.side === "both" ? "unknown" : "absent";
}
