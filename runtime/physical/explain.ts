/**
 * explain(mode) text, in Spark's format:
 *  - simple:    `== Physical Plan ==` and the operator tree; `*(n)` marks the stage each operator
 *               runs in (stages are cut at exchanges), exchanges themselves carry no mark;
 *  - extended:  parsed, analyzed and optimized logical plans, then the physical plan (analysis is
 *               eager, so the parsed plan is the analyzed one);
 *  - formatted: a numbered outline of the physical plan, then one details section per node;
 *  - cost:      the optimized logical plan with size estimates, then the physical plan.
 */
import type { LogicalPlan } from "../logical/plan.js";
import { logicalTree } from "./explain-logical.js";
import { columnsText, nodeName, physicalDetails, physicalLabel } from "./explain-physical.js";
import { physicalChildren, type PhysicalPlan } from "./plan.js";
import { isExchange, stageOfNode, stagesOf } from "./stages.js";
import { drawTree } from "./tree-text.js";

export type ExplainMode = "simple" | "extended" | "formatted" | "cost";

export interface ExplainInput {
  readonly analyzed: LogicalPlan;
  readonly optimized: LogicalPlan;
  readonly physical: PhysicalPlan;
}

export function explainPlans(mode: ExplainMode, plans: ExplainInput): string {
  switch (mode) {
    case "simple":
      return `== Physical Plan ==\n${physicalTree(plans.physical)}\n`;
    case "extended":
      return [
        "== Parsed Logical Plan ==", logicalTree(plans.analyzed), "",
        "== Analyzed Logical Plan ==", logicalTree(plans.analyzed), "",
        "== Optimized Logical Plan ==", logicalTree(plans.optimized), "",
        "== Physical Plan ==", physicalTree(plans.physical), "",
      ].join("\n");
    case "cost":
      return ["== Optimized Logical Plan ==", logicalTree(plans.optimized, true), "", "== Physical Plan ==", physicalTree(plans.physical), ""].join("\n");
    case "formatted":
      return formatted(plans.physical);
  }
}

/** The physical operator tree with Spark's `*(stage)` marks (1-based like Spark's codegen ids). */
export function physicalTree(plan: PhysicalPlan): string {
  const stageOf = stageOfNode(stagesOf(plan));
  // An exchange reached a second time is the same node (ReuseExchange): print its subtree once.
  const printed = new Set<number>();
  interface Line { readonly text: string; readonly kids: readonly Line[] }
  const toLine = (p: PhysicalPlan): Line => {
    if (isExchange(p) && printed.has(p.id)) return { text: `ReusedExchange ${columnsText(p.schema)}, ${physicalLabel(p)}`, kids: [] };
    if (isExchange(p)) printed.add(p.id);
    const text = isExchange(p) ? physicalLabel(p) : `*(${(stageOf.get(p.id) ?? 0) + 1}) ${physicalLabel(p)}`;
    return { text, kids: physicalChildren(p).map(toLine) };
  };
  return drawTree(toLine(plan), (l) => l.text, (l) => l.kids);
}

function formatted(plan: PhysicalPlan): string {
  // Spark numbers operators in post-order: leaves first, the root last.
  const order = new Map<number, number>();
  const postOrder: PhysicalPlan[] = [];
  const visit = (p: PhysicalPlan): void => {
    if (order.has(p.id)) return;
    physicalChildren(p).forEach(visit);
    order.set(p.id, order.size + 1);
    postOrder.push(p);
  };
  visit(plan);
  const stageOf = stageOfNode(stagesOf(plan));
  const printed = new Set<number>();
  interface Line { readonly text: string; readonly kids: readonly Line[] }
  const toLine = (p: PhysicalPlan): Line => {
    if (isExchange(p) && printed.has(p.id)) return { text: `ReusedExchange (${order.get(p.id)})`, kids: [] };
    if (isExchange(p)) printed.add(p.id);
    return { text: `${isExchange(p) ? "" : "* "}${nodeName(p)} (${order.get(p.id)})`, kids: physicalChildren(p).map(toLine) };
  };
  const outline = drawTree(toLine(plan), (l) => l.text, (l) => l.kids);
  const sections = postOrder.map((p) => {
    const header = `(${order.get(p.id)}) ${nodeName(p)}${isExchange(p) ? "" : ` [codegen id : ${(stageOf.get(p.id) ?? 0) + 1}]`}`;
    const details = physicalDetails(p, physicalChildren(p).map((c) => c.schema));
    return [header, ...details].join("\n");
  });
  return `== Physical Plan ==\n${outline}\n\n\n${sections.join("\n\n")}\n`;
}
