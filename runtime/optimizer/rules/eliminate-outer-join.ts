/**
 * EliminateOuterJoin: a Filter above an outer join that rejects the null-extended rows of one side
 * turns the join into a less-outer one (Spark's rule), which lets PushDownFilter move predicates
 * into both inputs. A predicate rejects nulls of a side when, with every column of that side set
 * to null, it folds to false or null, e.g. `r.amount > 10` or `isNotNull(r.id)`, but not
 * `isNull(r.id)` or `l.a > 0 or r.b > 0`.
 */
import type { Expr } from "../../expr/ir.js";
import type { JoinType, LogicalPlan } from "../../logical/plan.js";
import { isLiteralBool, isNullLiteral, splitConjuncts } from "../expr-utils.js";
import { joinOutputSources, type JoinNode, type OutputSource } from "../join-sides.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";
import { fieldRef, rebind } from "../schema-utils.js";
import { simplifyExpr } from "../simplify-expr.js";

export const eliminateOuterJoin: OptimizerRule = {
  name: "EliminateOuterJoin",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Filter" || node.input.kind !== "Join") return node;
      const join = node.input;
      if (join.how !== "left" && join.how !== "right" && join.how !== "full") return node;
      const sources = joinOutputSources(join);
      const conds = splitConjuncts(node.predicate);
      const rejectsLeft = conds.some((c) => rejectsNullsOf(c, join, sources, "left"));
      const rejectsRight = conds.some((c) => rejectsNullsOf(c, join, sources, "right"));
      const how = strengthen(join.how, rejectsLeft, rejectsRight);
      return how === join.how ? node : { ...node, input: { ...join, how } };
    });
  },
};

function strengthen(how: JoinType, rejectsLeft: boolean, rejectsRight: boolean): JoinType {
  if (how === "left") return rejectsRight ? "inner" : how;
  if (how === "right") return rejectsLeft ? "inner" : how;
  if (how === "full") {
    if (rejectsLeft && rejectsRight) return "inner";
    if (rejectsLeft) return "left";
    if (rejectsRight) return "right";
  }
  return how;
}

function rejectsNullsOf(cond: Expr, join: JoinNode, sources: readonly OutputSource[], side: "left" | "right"): boolean {
  let touchesSide = false;
  const nulled = rebind(cond, join.schema, (i) => {
    const s = sources[i]!;
    const f = join.schema.fields[i]!;
    if (s.side === side) {
      touchesSide = true;
      return { kind: "Literal", value: null, type: f.type };
    }
    return fieldRef(f);
  });
  if (!nulled || !touchesSide) return false;
  const folded = simplifyExpr(nulled);
  return isLiteralBool(folded, false) || isNullLiteral(folded);
}
