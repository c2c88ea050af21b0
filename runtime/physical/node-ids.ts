/** Gives every node of a physical plan a unique id (pre-order from 0): metrics are keyed by it. */
import { physicalChildren, type PhysicalPlan } from "./plan.js";

export function withPhysicalChildren(plan: PhysicalPlan, kids: readonly PhysicalPlan[]): PhysicalPlan {
  switch (plan.kind) {
    case "ScanExec":
      return plan;
    case "HashJoinExec":
    case "SortMergeJoinExec":
    case "NestedLoopJoinExec":
      return { ...plan, left: kids[0]!, right: kids[1]! };
    case "UnionExec":
      return { ...plan, inputs: kids };
    default:
      return { ...plan, input: kids[0]! } as PhysicalPlan;
  }
}

export function assignIds(plan: PhysicalPlan): PhysicalPlan {
  let next = 0;
  const visit = (p: PhysicalPlan): PhysicalPlan => {
    const id = next++;
    const kids = physicalChildren(p).map(visit);
    return { ...withPhysicalChildren(p, kids), id };
  };
  return visit(plan);
}

export function* walkPhysical(plan: PhysicalPlan): Generator<PhysicalPlan> {
  yield plan;
  for (const c of physicalChildren(plan)) yield* walkPhysical(c);
}
