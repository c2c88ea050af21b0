/**
 * From an analyzed plan to results: bind in-memory sources to the engine, optimize, plan
 * physically, run on the worker pool. Also builds the text of explain(), which needs the same
 * steps short of running.
 */
import { optimize } from "../optimizer/index.js";
import type { LogicalPlan } from "../logical/plan.js";
import { logicalPlanToString } from "../logical/tree-string.js";
import type { PhysicalPlannerContext } from "../physical/context.js";
import type { RunResult } from "../scheduler/contract.js";
import { type ExplainMode, loadBackend, loadedBackend } from "./backend.js";
import type { Session } from "./session.js";

export function plannerContext(session: Session): PhysicalPlannerContext {
  const conf = session.config;
  return {
    shufflePartitions: conf.shufflePartitions,
    autoBroadcastThreshold: conf.autoBroadcastThreshold,
    defaultParallelism: conf.workers,
    cachedSource: (id) => session.cachedSource(id),
  };
}

export async function runPlan(session: Session, plan: LogicalPlan, description: string): Promise<RunResult> {
  const backend = await loadBackend();
  if (!backend.planner) throw new Error("Physical planning is not available in this build (runtime/physical/planner.ts)");
  const bound = await session.bindSources(plan);
  const optimized = optimize(bound).plan;
  const physical = backend.planner.createPhysicalPlan(optimized, plannerContext(session));
  return session.execute(physical, description);
}

/** explain() text: Spark's sections when the physical layer is loaded, else the logical plans. */
export function explainText(session: Session, analyzed: LogicalPlan, mode: ExplainMode): string {
  const optimized = optimize(analyzed).plan;
  const { planner, explain } = loadedBackend();
  if (planner && explain) {
    const physical = planner.createPhysicalPlan(optimized, plannerContext(session));
    return explain.explainPlans(mode, { analyzed, optimized, physical });
  }
  const sections = [
    ...(mode === "simple" ? [] : [`== Analyzed Logical Plan ==\n${logicalPlanToString(analyzed)}`]),
    `== Optimized Logical Plan ==\n${logicalPlanToString(optimized)}`,
    "== Physical Plan ==\n(physical planning is not loaded yet; run an action or try again)",
  ];
  return sections.join("\n\n");
}
