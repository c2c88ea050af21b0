/**
 * PushDownLimit: fewer rows read and moved.
 *  - Limit(Limit(x)) merges into one limit (offsets add up);
 *  - a Limit moves below a Project (the projection then runs on fewer rows);
 *  - each Union input gets a copy of limit + offset (the Union keeps the exact limit), and so does
 *    the preserved side of a left or right outer join;
 *  - a Limit directly over a Scan sets Scan.limit = limit + offset (a per-source hint; the
 *    Limit stays above to make the count exact across partitions).
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { containsKind, isNondeterministic } from "../expr-utils.js";
import { transformPlanDown } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

type LimitNode = LogicalPlan & { kind: "Limit" };

export const pushDownLimit: OptimizerRule = {
  name: "PushDownLimit",
  apply(plan: LogicalPlan) {
    return transformPlanDown(plan, (node) => (node.kind === "Limit" ? pushLimit(node) : node));
  },
};

function limitOver(input: LogicalPlan, n: number, offset = 0): LimitNode {
  return { kind: "Limit", input, n, offset, schema: input.schema };
}

function pushLimit(limit: LimitNode): LogicalPlan {
  const child = limit.input;
  const wanted = limit.n + limit.offset;
  switch (child.kind) {
    case "Limit": {
      const n = Math.min(limit.n, Math.max(0, child.n - limit.offset));
      return pushLimit(limitOver(child.input, n, child.offset + limit.offset));
    }
    case "Project":
      if (child.exprs.some((e) => isNondeterministic(e) || containsKind(e, ["Window", "Agg"]))) return limit;
      return { ...child, input: pushLimit(limitOver(child.input, limit.n, limit.offset)) };
    case "Union": {
      const inputs = child.inputs.map((i) => (i.kind === "Limit" && i.offset === 0 && i.n <= wanted ? i : limitOver(i, wanted)));
      return { ...limit, input: { ...child, inputs } };
    }
    case "Join": {
      // Every row of an outer join's preserved side yields at least one output row, so that side
      // never needs more than limit + offset rows (Spark's LimitPushDown for outer joins).
      const side = child.how === "left" ? "left" : child.how === "right" ? "right" : undefined;
      if (!side) return limit;
      const input = child[side];
      if (input.kind === "Limit" && input.offset === 0 && input.n <= wanted) return limit;
      return { ...limit, input: { ...child, [side]: limitOver(input, wanted) } };
    }
    case "Scan":
      if (child.limit !== undefined && child.limit <= wanted) return limit;
      return { ...limit, input: { ...child, limit: wanted } };
    default:
      return limit;
  }
}
