/**
 * EliminateDistinct: removes a distinct/dropDuplicates whose input rows are already unique on its
 * keys: distinct of distinct, or distinct over an aggregate whose grouping keys are among the
 * distinct's columns (a global aggregate yields a single row, unique on anything).
 */
import type { LogicalPlan } from "../../logical/plan.js";
import { transformPlanUp } from "../plan-utils.js";
import type { OptimizerRule } from "../rule.js";

export const eliminateDistinct: OptimizerRule = {
  name: "EliminateDistinct",
  apply(plan: LogicalPlan) {
    return transformPlanUp(plan, (node) => {
      if (node.kind !== "Distinct") return node;
      const keys = node.subset ?? node.input.schema.fields.map((f) => f.name);
      const unique = uniqueOn(node.input);
      return unique && unique.every((k) => keys.includes(k)) ? node.input : node;
    });
  },
};

/** Column names the rows of `plan` are known to be unique on, if any. */
export function uniqueOn(plan: LogicalPlan): readonly string[] | undefined {
  switch (plan.kind) {
    case "Distinct":
      return plan.subset ?? plan.schema.fields.map((f) => f.name);
    case "Aggregate":
      if (plan.schema.fields.length !== plan.groupBy.length + plan.aggs.length) return undefined;
      return plan.schema.fields.slice(0, plan.groupBy.length).map((f) => f.name);
    case "Filter":
    case "Sort":
    case "Limit":
    case "Sample":
      return plan.kind === "Sample" && plan.withReplacement ? undefined : uniqueOn(plan.input);
    default:
      return undefined;
  }
}
