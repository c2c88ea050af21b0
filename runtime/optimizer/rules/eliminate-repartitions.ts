/**
 * EliminateRepartitions (Spark's CollapseRepartition): a repartition directly over another makes
 * the inner shuffle useless, so only the outer one is kept. A coalesce over a shuffle keeps both
 * unless the coalesce would not reduce the count; coalesce over coalesce keeps the smaller count.
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

export const eliminateRepartitions: OptimizerRule = {
  name: "EliminateRepartitions",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Repartition" || node.input.kind !== "Repartition") return node;
      const inner = node.input;
      const outerShuffles = node.scheme.kind !== "coalesce";
      const innerShuffles = inner.scheme.kind !== "coalesce";
      if (outerShuffles) return { ...node, input: inner.input };
      if (innerShuffles) return node.scheme.n >= inner.scheme.n ? inner : node;
      return { ...node, input: inner.input, scheme: { kind: "coalesce", n: Math.min(node.scheme.n, inner.scheme.n) } };
    });
  },
};
