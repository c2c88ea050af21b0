/**
 * From an analyzed plan to results: bind in-memory sources to the engine, optimize, plan
 * physically, run on the worker pool. Also builds the text of explain(), which needs the same
 * steps short of running.
 */
import { optimize } from "../optimizer/index.js";
import type { LogicalPlan } from "../logical/plan.js";
import type { PhysicalPlannerContext } from "../physical/context.js";
import type { RunResult } from "../scheduler/contract.js";
import { backend, type ExplainMode } from "./backend.js";
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
  const bound = await session.bindSources(plan);
  const optimized = optimize(bound).plan;
  const physical = backend.createPhysicalPlan(optimized, plannerContext(session));
  return session.execute(physical, description);
}

/** explain() text in Spark's sections (parsed/analyzed/optimized/physical per mode). Runs nothing. */
export function explainText(session: Session, analyzed: LogicalPlan, mode: ExplainMode): string {
  const optimized = optimize(analyzed).plan;
  const physical = backend.createPhysicalPlan(optimized, plannerContext(session));
  return backend.explainPlans(mode, { analyzed, optimized, physical });
}
