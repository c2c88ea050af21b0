/**
 * The layers below the API that actions and explain() call: optimizer, physical planner, explain
 * printer and execution engine. The planner, printer and engine modules are loaded on first use, so
 * building and analyzing DataFrames (and their tests) never starts worker threads or needs them.
 */
import type { LogicalPlan } from "../logical/plan.js";
import type { PhysicalPlan } from "../physical/plan.js";
import type { PhysicalPlannerContext } from "../physical/context.js";
import type { EngineOptions, ExecutionEngine } from "../scheduler/contract.js";

export type ExplainMode = "simple" | "extended" | "formatted" | "cost";

export interface PlannerModule {
  createPhysicalPlan(plan: LogicalPlan, ctx: PhysicalPlannerContext): PhysicalPlan;
}
export interface ExplainModule {
  explainPlans(mode: ExplainMode, plans: { analyzed: LogicalPlan; optimized: LogicalPlan; physical: PhysicalPlan }): string;
}
export interface EngineModule {
  createEngine(options: EngineOptions): ExecutionEngine;
}

export interface Backend {
  readonly planner?: PlannerModule;
  readonly explain?: ExplainModule;
  readonly engine?: EngineModule;
}

const SPECIFIERS = {
  planner: "../physical/planner.js",
  explain: "../physical/explain.js",
  engine: "../scheduler/engine.js",
} as const;

let loaded: Backend = {};
let loading: Promise<Backend> | undefined;

async function tryImport<T>(specifier: string, exportName: string): Promise<T | undefined> {
  try {
    const mod = (await import(specifier)) as Record<string, unknown>;
    return typeof mod[exportName] === "function" ? (mod as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Loads whichever backend modules exist; resolves once all were tried. */
export function loadBackend(): Promise<Backend> {
  if (loading && loaded.planner && loaded.explain && loaded.engine) return loading;
  loading = (async () => {
    const [planner, explain, engine] = await Promise.all([
      loaded.planner ?? tryImport<PlannerModule>(SPECIFIERS.planner, "createPhysicalPlan"),
      loaded.explain ?? tryImport<ExplainModule>(SPECIFIERS.explain, "explainPlans"),
      loaded.engine ?? tryImport<EngineModule>(SPECIFIERS.engine, "createEngine"),
    ]);
    loaded = { ...(planner ? { planner } : {}), ...(explain ? { explain } : {}), ...(engine ? { engine } : {}) };
    return loaded;
  })();
  return loading;
}

/** What has been loaded so far (sync, for explain()). */
export function loadedBackend(): Backend {
  return loaded;
}

// Start loading at import so a later synchronous explain() finds the planner ready.
void loadBackend();
