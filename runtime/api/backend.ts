/**
 * The layers below the API that actions and explain() call: physical planner, explain printer
 * and execution engine, in one place so the API depends on them through a small surface.
 * Creating an engine starts the worker pool; Session does that on its first action only.
 */
import type { LogicalPlan } from "../logical/plan.js";
import { explainPlans } from "../physical/explain.js";
import { createPhysicalPlan } from "../physical/planner.js";
import type { PhysicalPlannerContext } from "../physical/context.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { EngineOptions, ExecutionEngine } from "../scheduler/contract.js";
import { createEngine } from "../scheduler/engine.js";

export type ExplainMode = "simple" | "extended" | "formatted" | "cost";

export interface Backend {
  createPhysicalPlan(plan: LogicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan;
  explainPlans(mode: ExplainMode, plans: { analyzed: LogicalPlan; optimized: LogicalPlan; physical: PhysicalPlan }): string;
  createEngine(options: EngineOptions): ExecutionEngine;
}

export const backend: Backend = { createPhysicalPlan, explainPlans, createEngine };
