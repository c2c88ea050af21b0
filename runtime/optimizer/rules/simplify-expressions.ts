/**
 * SimplifyExpressions: constant folding and boolean/null simplification in every expression of
 * the plan (see ../simplify-expr.ts); a Filter whose predicate folds to `true` disappears.
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { isLiteralBool } from "../expr-utils.js";
import { mapPlanExprs, transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { simplifyExpr } from "../simplify-expr.js";

export const simplifyExpressions: OptimizerRule = {
  name: "SimplifyExpressions",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      const simplified = mapPlanExprs(node, simplifyExpr);
      if (simplified.kind === "Filter" && isLiteralBool(simplified.predicate, true)) return simplified.input;
      if (simplified.kind === "Scan" && simplified.filters.some((f) => isLiteralBool(f, true))) {
        return { ...simplified, filters: simplified.filters.filter((f) => !isLiteralBool(f, true)) };
      }
      return simplified;
    });
  },
};
