/**
 * Runs one engine over one task's questions in its own process, so each engine's peak memory is
 * its own. Prints one JSON line per event, prefixed with "@@bench ", for run.ts to collect.
 * Usage: node engine-child.js <engine> <task> <tablesJson> <questionIds,...> <runs> <threads> [memoryBudgetMb]
 */
import { performance } from "node:perf_hooks";
import { questionsOf, type Task } from "./questions.js";
import { peakRssMb, resetPeakRss } from "./memory.js";
import { createRunner } from "./runners/index.js";

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`@@bench ${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const [engine, task, tablesJson, ids, runsText, threadsText, budgetText] = process.argv.slice(2);
  if (!engine || !task || !tablesJson || !ids) throw new Error("usage: engine-child <engine> <task> <tablesJson> <q1,q2> <runs> <threads>");
  const runs = Number(runsText ?? 2);
  const budget = Number(budgetText ?? 0);
  const runner = await createRunner(engine, { threads: Number(threadsText ?? 2), ...(budget > 0 ? { memoryBudgetMb: budget } : {}) });
  emit({ type: "engine", engine, version: runner.version });

  resetPeakRss();
  const loadStart = performance.now();
  await runner.load(task as Task, { tables: JSON.parse(tablesJson) as Record<string, string> });
  emit({ type: "load", seconds: (performance.now() - loadStart) / 1000, peakRssMb: peakRssMb() });

  const wanted = new Set(ids.split(","));
  for (const question of questionsOf(task as Task)) {
    if (!wanted.has(question.id)) continue;
    for (let run = 1; run <= runs; run++) {
      try {
        (globalThis as { gc?: () => void }).gc?.();
        resetPeakRss();
        const start = performance.now();
        await runner.run(question);
        const seconds = (performance.now() - start) / 1000;
        const peak = peakRssMb();
        const answer = await runner.answer(question);
        emit({ type: "result", question: question.id, run, seconds, peakRssMb: peak, rows: answer.rows, checksum: answer.checksum });
        await runner.release();
      } catch (error) {
        emit({ type: "error", question: question.id, run, message: error instanceof Error ? error.message : String(error) });
        break;
      }
    }
  }
  await runner.close();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    emit({ type: "fatal", message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    process.exit(1);
  },
);
