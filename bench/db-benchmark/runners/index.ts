/** Engine name -> runner. Engines load lazily so a missing one does not stop the others. */
import type { EngineRunner } from "./runner.js";

export const ENGINES = ["kindling", "duckdb", "polars", "arquero"] as const;
export type EngineName = (typeof ENGINES)[number];

export async function createRunner(engine: string, threads: number): Promise<EngineRunner> {
  switch (engine) {
    case "duckdb":
      return (await import("./duckdb.js")).createDuckdbRunner(threads);
    case "polars":
      return (await import("./polars.js")).createPolarsRunner();
    case "arquero":
      return (await import("./arquero.js")).createArqueroRunner();
    case "kindling":
      return (await import("./kindling.js")).createKindlingRunner(threads);
    default:
      throw new Error(`unknown engine "${engine}"; expected one of ${ENGINES.join(", ")}`);
  }
}
