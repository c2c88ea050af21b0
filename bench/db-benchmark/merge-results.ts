/**
 * Combines earlier runs' JSON files into one report (--from a.json,b.json): a 1e8 task run in
 * pieces (--questions, one engine at a time, to keep each hold of the bench lock short) becomes one
 * table, and the scale curve can be drawn from runs made at each size separately.
 */
import { readFileSync } from "node:fs";
import { questionsOf, type Task } from "./questions.js";
import type { EngineResult, TaskReport } from "./report.js";

type MutableEngine = { -readonly [K in keyof EngineResult]: EngineResult[K] };

function mergeEngine(into: MutableEngine, from: EngineResult): void {
  for (const [q, runs] of Object.entries(from.runs)) into.runs = { ...into.runs, [q]: runs };
  into.errors = { ...into.errors, ...from.errors };
  // Each piece loaded the data again: report the slowest load (they differ only by noise).
  if (from.loadSeconds !== undefined && (into.loadSeconds === undefined || from.loadSeconds > into.loadSeconds)) {
    into.loadSeconds = from.loadSeconds;
    if (from.loadPeakRssMb !== undefined) into.loadPeakRssMb = from.loadPeakRssMb;
  }
  if (from.fatal) into.fatal = into.fatal ? `${into.fatal}; ${from.fatal}` : from.fatal;
  if (from.version) into.version = from.version;
}

/**
 * Reports from the files, one per task and size, questions in db-benchmark order, engines in
 * first-seen order; and the distinct values of each meta field across the files (e.g. runs "1, 2").
 */
export function mergeResults(paths: readonly string[], keep?: (task: string, question: string) => boolean): { reports: TaskReport[]; meta: Record<string, string> } {
  const metas = new Map<string, Set<string>>();
  const merged = new Map<string, { task: Task; n: number; ids: Set<string>; engines: Map<string, MutableEngine> }>();
  for (const path of paths) {
    const { reports, meta } = JSON.parse(readFileSync(path, "utf8")) as { reports: TaskReport[]; meta?: Record<string, string> };
    for (const [k, v] of Object.entries(meta ?? {})) (metas.get(k) ?? metas.set(k, new Set()).get(k)!).add(v);
    for (const report of reports) {
      const key = `${report.task} ${report.n}`;
      const entry = merged.get(key) ?? { task: report.task as Task, n: report.n, ids: new Set<string>(), engines: new Map() };
      merged.set(key, entry);
      for (const q of report.questions) if (!keep || keep(report.task, q.id)) entry.ids.add(q.id);
      for (const engine of report.engines) {
        const into = entry.engines.get(engine.engine) ?? { engine: engine.engine, runs: {}, errors: {} };
        entry.engines.set(engine.engine, into);
        mergeEngine(into, engine);
      }
    }
  }
  const reports = [...merged.values()]
    .sort((a, b) => a.n - b.n || (a.task === b.task ? 0 : a.task === "groupby" ? -1 : 1))
    .map(({ task, n, ids, engines }) => ({ task, n, questions: questionsOf(task).filter((q) => ids.has(q.id)), engines: [...engines.values()] }));
  return { reports, meta: Object.fromEntries([...metas].map(([k, v]) => [k, [...v].join(", ")])) };
}
