/**
 * ExtractEquiKeys: `left.a = right.b` conjuncts of a join condition become equi-join keys, so the
 * physical planner can use a hash join (and co-partitioning) instead of a nested loop. A cross
 * join that gains keys becomes an inner join.
 */
import type { Expr } from "../../expr/ir.js";
import type { LogicalPlan } from "../../logical/plan.js";
import { conjoin, isNondeterministic, splitConjuncts } from "../expr-utils.js";
import { conditionSide, conditionToSide, type JoinNode } from "../join-sides.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

export function extractEquiKeys(join: JoinNode): JoinNode {
  if (!join.condition || isNondeterministic(join.condition)) return join;
  const on: { left: Expr; right: Expr }[] = [...join.on];
  const rest: Expr[] = [];
  for (const c of splitConjuncts(join.condition)) {
    const pair = c.kind === "Binary" && c.op === "=" ? equiPair(c.left, c.right, join) ?? equiPair(c.right, c.left, join) : undefined;
    if (pair) on.push(pair);
    else rest.push(c);
  }
  if (on.length === join.on.length) return join;
  const { condition: _old, ...base } = join;
  const how = join.how === "cross" ? "inner" : join.how;
  return rest.length ? { ...base, how, on, condition: conjoin(rest) } : { ...base, how, on };
}

function equiPair(a: Expr, b: Expr, join: JoinNode): { left: Expr; right: Expr } | undefined {
  if (conditionSide(a, join) !== "left" || conditionSide(b, join) !== "right") return undefined;
  const left = conditionToSide(a, join, "left");
  const right = conditionToSide(b, join, "right");
  return left && right ? { left, right } : undefined;
}

export const extractEquiKeysRule: OptimizerRule = {
  name: "ExtractEquiKeys",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => (node.kind === "Join" ? extractEquiKeys(node) : node));
  },
};
