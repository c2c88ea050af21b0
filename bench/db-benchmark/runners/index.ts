/** Engine name -> runner. Engines load lazily so a missing one does not stop the others. */
import type { EngineRunner } from "./runner.js";

export const ENGINES = ["kindling", "duckdb", "polars", "arquero"] as const;
export type EngineName = (typeof ENGINES)[number];

export interface RunnerOptions {
  readonly threads: number;
  /** Kindling only: per-worker memory budget in MB before operators spill (0 or absent: unlimited). */
  readonly memoryBudgetMb?: number;
}

export async function createRunner(engine: string, options: RunnerOptions): Promise<EngineRunner> {
  const { threads } = options;
  switch (engine) {
    case "duckdb":
      return (await import("./duckdb.js")).createDuckdbRunner(threads);
    case "polars":
      return (await import("./polars.js")).createPolarsRunner();
    case "arquero":
      return (await import("./arquero.js")).createArqueroRunner();
    case "kindling":
      return (await import("./kindling.js")).createKindlingRunner(threads, options.memoryBudgetMb !== undefined ? { memoryBudgetMb: options.memoryBudgetMb } : {});
    default:
      throw new Error(`unknown engine "${engine}"; expected one of ${ENGINES.join(", ")}`);
  }
}
