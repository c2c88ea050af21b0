/**
 * CombineFilters: Filter(Filter(x)) becomes one Filter with the conjuncts of both (duplicates
 * dropped), so pushdown and scans see every predicate at once. A nondeterministic inner predicate
 * keeps its own Filter: the outer one must see only the rows it let through.
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { conjoin, dedupeExprs, isNondeterministic, splitConjuncts } from "../expr-utils.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

export const combineFilters: OptimizerRule = {
  name: "CombineFilters",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Filter" || node.input.kind !== "Filter") return node;
      const inner = node.input;
      if (isNondeterministic(inner.predicate) || isNondeterministic(node.predicate)) return node;
      const predicate = conjoin(dedupeExprs([...splitConjuncts(inner.predicate), ...splitConjuncts(node.predicate)]));
      return { ...node, input: inner.input, predicate };
    });
  },
};
