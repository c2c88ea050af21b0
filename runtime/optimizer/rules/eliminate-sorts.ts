/**
 * EliminateSorts: drops sorts whose order nobody can observe (Spark's EliminateSorts):
 * a sort with no keys; a sort below another sort (through filters and projections); a sort
 * feeding a join, a hash/round-robin/range repartition, or an aggregate whose functions do not
 * depend on row order (first, last and collect_list do, so those keep their sort).
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { walkExpr } from "../expr-utils.js";
import { transformPlanUp, withChildren } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

export const eliminateSorts: OptimizerRule = {
  name: "EliminateSorts",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind === "Sort" && node.order.length === 0) return node.input;
      if (node.kind === "Sort") return withChildren(node, [removeSortsBelow(node.input)]);
      if (node.kind === "Join") return withChildren(node, [removeSortsBelow(node.left), removeSortsBelow(node.right)]);
      if (node.kind === "Repartition" && node.scheme.kind !== "coalesce") return withChildren(node, [removeSortsBelow(node.input)]);
      if (node.kind === "Aggregate" && !orderSensitive(node)) return withChildren(node, [removeSortsBelow(node.input)]);
      return node;
    });
  },
};

/** Removes the first sort reachable through order-preserving, row-wise nodes. */
function removeSortsBelow(plan: LogicalPlan): LogicalPlan {
  if (plan.kind === "Sort") return removeSortsBelow(plan.input);
  if (plan.kind === "Project" || plan.kind === "Filter") return withChildren(plan, [removeSortsBelow(plan.input)]);
  return plan;
}

function orderSensitive(agg: LogicalPlan & { kind: "Aggregate" }): boolean {
  for (const e of agg.aggs) {
    for (const n of walkExpr(e)) {
      if (n.kind === "Agg" && (n.fn === "first" || n.fn === "last" || n.fn === "collect_list")) return true;
    }
  }
  return false;
}
